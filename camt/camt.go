// Package camt reads ISO 20022 bank-to-customer files: camt.054 debit and
// credit notifications and camt.053 statements (versions .001.02 to
// .001.08, the ones Swiss banks send), into billbridge.BankStatement.
//
// It reads with encoding/xml, which expands no entities and fetches
// nothing; a document with a DOCTYPE is refused outright, so entity
// declarations (XML bombs, external entities) never reach the decoder.
package camt

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"billbridge"
)

// Reader implements billbridge.StatementReader.
type Reader struct{}

var _ billbridge.StatementReader = Reader{}

type amount struct {
	Value    string `xml:",chardata"`
	Currency string `xml:"Ccy,attr"`
}

// status is <Sts>BOOK</Sts> up to version .04 and <Sts><Cd>BOOK</Cd></Sts> after.
type status struct {
	Text string `xml:",chardata"`
	Code string `xml:"Cd"`
}

type date struct {
	Date     string `xml:"Dt"`
	DateTime string `xml:"DtTm"`
}

type entry struct {
	NtryRef     string    `xml:"NtryRef"`
	Amount      amount    `xml:"Amt"`
	CdtDbtInd   string    `xml:"CdtDbtInd"`
	Reversal    string    `xml:"RvslInd"`
	Status      status    `xml:"Sts"`
	BookingDate date      `xml:"BookgDt"`
	ValueDate   date      `xml:"ValDt"`
	AcctSvcrRef string    `xml:"AcctSvcrRef"`
	Details     []details `xml:"NtryDtls"`
}

type details struct {
	Transactions []transaction `xml:"TxDtls"`
}

type party struct {
	Name      string `xml:"Nm"`
	PartyName string `xml:"Pty>Nm"` // version .08
}

type transaction struct {
	AcctSvcrRef string   `xml:"Refs>AcctSvcrRef"`
	Amount      *amount  `xml:"Amt"`               // version .04 on
	TxAmount    *amount  `xml:"AmtDtls>TxAmt>Amt"` // version .02
	CdtDbtInd   string   `xml:"CdtDbtInd"`
	Debtor      party    `xml:"RltdPties>Dbtr"`
	References  []string `xml:"RmtInf>Strd>CdtrRefInf>Ref"`
}

// ReadStatement reads a camt.054 or camt.053 document from r; see
// billbridge.StatementReader. It streams: one entry (Ntry) is decoded at a
// time and only the transactions read are kept, so memory grows with the
// number of credits, not with the size of the XML. Every refusal is
// EINVALID naming "file".
func (Reader) ReadStatement(r io.Reader) (*billbridge.BankStatement, error) {
	st, err := read(xml.NewDecoder(r))
	if err != nil {
		return nil, billbridge.Invalid("file", err.Error())
	}
	return st, nil
}

// kinds names the message elements billbridge reads by their kind.
var kinds = map[string]string{"BkToCstmrDbtCdtNtfctn": "camt.054", "BkToCstmrStmt": "camt.053"}

func accountElement(kind string) string {
	if kind == "camt.053" {
		return "Stmt"
	}
	return "Ntfctn"
}

var errDirective = errors.New("has a DOCTYPE or other declaration; camt files have none (entities are refused)")

// read walks Document > message > GrpHdr | account > Ntry, skipping every
// other element, after refusing a DOCTYPE.
func read(d *xml.Decoder) (*billbridge.BankStatement, error) {
	if err := openRoot(d); err != nil {
		return nil, err
	}
	st := &billbridge.BankStatement{}
	accounts := 0
	err := children(d, func(msg xml.StartElement) error {
		kind := kinds[msg.Name.Local]
		if kind == "" {
			return skip(d)
		}
		if st.Kind != "" {
			return errors.New("holds more than one message (BkToCstmrDbtCdtNtfctn or BkToCstmrStmt)")
		}
		st.Kind = kind
		return children(d, func(el xml.StartElement) error {
			switch el.Name.Local {
			case "GrpHdr":
				var h struct {
					MsgID string `xml:"MsgId"`
				}
				if err := d.DecodeElement(&h, &el); err != nil {
					return malformed(err)
				}
				st.MessageID = strings.TrimSpace(h.MsgID)
				return nil
			case accountElement(kind):
				if st.MessageID == "" {
					return fmt.Errorf("has no GrpHdr/MsgId before its first %s", accountElement(kind))
				}
				accounts++
				return readAccount(d, st, accounts)
			}
			return skip(d)
		})
	})
	switch {
	case err != nil:
		return nil, err
	case st.Kind == "":
		return nil, errors.New("is neither a camt.054 notification (BkToCstmrDbtCdtNtfctn) nor a camt.053 statement (BkToCstmrStmt)")
	case st.MessageID == "":
		return nil, errors.New("has no GrpHdr/MsgId")
	}
	return st, nil
}

// readAccount appends the transactions of the a-th account element (Ntfctn
// or Stmt), one Ntry at a time.
func readAccount(d *xml.Decoder, st *billbridge.BankStatement, a int) error {
	n := 0
	return children(d, func(el xml.StartElement) error {
		if el.Name.Local != "Ntry" {
			return skip(d)
		}
		n++
		var e entry
		if err := d.DecodeElement(&e, &el); err != nil {
			return malformed(err)
		}
		txs, err := e.transactions(st.MessageID, a, n)
		if err != nil {
			return fmt.Errorf("entry %d of %s %d: %v", n, accountElement(st.Kind), a, err)
		}
		st.Entries = append(st.Entries, txs...)
		return nil
	})
}

// openRoot reads up to the root element, which must be Document.
func openRoot(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return errors.New("holds no XML element")
		}
		if err != nil {
			return malformed(err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return errDirective
		case xml.StartElement:
			if t.Name.Local != "Document" {
				return fmt.Errorf("has root element %q, not Document", t.Name.Local)
			}
			return nil
		}
	}
}

// children calls fn for each child element of the element just opened,
// up to its end tag; fn consumes the child (decodes or skips it).
func children(d *xml.Decoder, fn func(xml.StartElement) error) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return malformed(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		case xml.Directive:
			return errDirective
		}
	}
}

func skip(d *xml.Decoder) error {
	if err := d.Skip(); err != nil {
		return malformed(err)
	}
	return nil
}

func malformed(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("is not well-formed XML: %v", err)
}

// transactions flattens an entry into one StatementEntry per TxDtls (one
// for an entry without details). When the bank gave the entry no reference
// it is named msgID/a/n: the n-th entry of the a-th account element.
func (e entry) transactions(msgID string, a, n int) ([]billbridge.StatementEntry, error) {
	base := billbridge.StatementEntry{
		Credit:   strings.TrimSpace(e.CdtDbtInd) == "CRDT",
		Booked:   strings.TrimSpace(e.Status.Code+e.Status.Text) == "BOOK",
		Reversal: strings.TrimSpace(e.Reversal) == "true",
	}
	if d, ok := pickDate(e.BookingDate, e.ValueDate); ok {
		base.BookingDate = d
	} else {
		return nil, errors.New("has no readable BookgDt or ValDt")
	}
	amt, ccy, err := readAmount(e.Amount)
	if err != nil {
		return nil, fmt.Errorf("amount (Amt) %v", err)
	}
	base.Amount, base.Currency = amt, ccy
	ref := firstNonEmpty(e.AcctSvcrRef, e.NtryRef)
	if ref == "" {
		ref = msgID + "/" + strconv.Itoa(a) + "/" + strconv.Itoa(n)
	}

	var txs []transaction
	for _, d := range e.Details {
		txs = append(txs, d.Transactions...)
	}
	if len(txs) == 0 {
		base.EntryReference = ref
		return []billbridge.StatementEntry{base}, nil
	}
	out := make([]billbridge.StatementEntry, 0, len(txs))
	for i, tx := range txs {
		s := base
		s.EntryReference = strings.TrimSpace(tx.AcctSvcrRef)
		if s.EntryReference == "" {
			s.EntryReference = ref
			if len(txs) > 1 {
				s.EntryReference += "/" + strconv.Itoa(i+1)
			}
		}
		if a := firstAmount(tx.Amount, tx.TxAmount); a != nil {
			if s.Amount, s.Currency, err = readAmount(*a); err != nil {
				return nil, fmt.Errorf("TxDtls %d: Amt %v", i+1, err)
			}
		} else if len(txs) > 1 {
			return nil, fmt.Errorf("TxDtls %d has no amount", i+1)
		}
		if ind := strings.TrimSpace(tx.CdtDbtInd); ind != "" {
			s.Credit = ind == "CRDT"
		}
		s.DebtorName = strings.TrimSpace(firstNonEmpty(tx.Debtor.Name, tx.Debtor.PartyName))
		for _, r := range tx.References {
			if r = strings.TrimSpace(r); r != "" {
				s.Reference = r
				break
			}
		}
		out = append(out, s)
	}
	return out, nil
}

func pickDate(dates ...date) (billbridge.Date, bool) {
	for _, d := range dates {
		s := strings.TrimSpace(firstNonEmpty(d.Date, d.DateTime))
		if len(s) >= 10 {
			if v, err := billbridge.ParseDate(s[:10]); err == nil {
				return v, true
			}
		}
	}
	return billbridge.Date{}, false
}

// readAmount parses a non-negative amount of at most two significant
// fraction digits (camt allows five; "100.50000" is 100.50) and its
// three-letter currency.
func readAmount(a amount) (billbridge.Money, string, error) {
	ccy := strings.TrimSpace(a.Currency)
	if len(ccy) != 3 || strings.ToUpper(ccy) != ccy {
		return 0, "", fmt.Errorf("has currency %q, not a three-letter code", ccy)
	}
	s := strings.TrimSpace(a.Value)
	if whole, frac, ok := strings.Cut(s, "."); ok && len(frac) > 2 {
		if strings.TrimRight(frac[2:], "0") != "" {
			return 0, "", fmt.Errorf("%q has more than two significant fraction digits", a.Value)
		}
		s = whole + "." + frac[:2]
	}
	v, err := billbridge.ParseDecimal(s, 2)
	if err != nil || v < 0 {
		return 0, "", fmt.Errorf("%q is not a non-negative decimal amount", a.Value)
	}
	return billbridge.Money(v), ccy, nil
}

func firstAmount(as ...*amount) *amount {
	for _, a := range as {
		if a != nil {
			return a
		}
	}
	return nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
