// Package camt reads ISO 20022 bank-to-customer files: camt.054 debit and
// credit notifications and camt.053 statements (versions .001.02 to
// .001.08, the ones Swiss banks send), into billbridge.BankStatement.
//
// It reads with encoding/xml, which expands no entities and fetches
// nothing; a document with a DOCTYPE is refused outright, so entity
// declarations (XML bombs, external entities) never reach the decoder.
package camt

import (
	"bytes"
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

// document is the part of camt.053/054 billbridge reads. Tags carry no
// namespace, so every version of the schema matches.
type document struct {
	XMLName      xml.Name
	Notification *message `xml:"BkToCstmrDbtCdtNtfctn"`
	Statement    *message `xml:"BkToCstmrStmt"`
}

type message struct {
	MsgID         string    `xml:"GrpHdr>MsgId"`
	Notifications []account `xml:"Ntfctn"`
	Statements    []account `xml:"Stmt"`
}

type account struct {
	ID      string  `xml:"Id"`
	Entries []entry `xml:"Ntry"`
}

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

// ReadStatement parses a camt.054 or camt.053 document; see
// billbridge.StatementReader. Every refusal is EINVALID naming "file".
func (Reader) ReadStatement(data []byte) (*billbridge.BankStatement, error) {
	doc, err := decode(data)
	if err != nil {
		return nil, billbridge.Invalid("file", err.Error())
	}
	st := &billbridge.BankStatement{}
	var accounts []account
	switch {
	case doc.Notification != nil:
		st.Kind, st.MessageID, accounts = "camt.054", doc.Notification.MsgID, doc.Notification.Notifications
	case doc.Statement != nil:
		st.Kind, st.MessageID, accounts = "camt.053", doc.Statement.MsgID, doc.Statement.Statements
	default:
		return nil, billbridge.Invalid("file", "is neither a camt.054 notification (BkToCstmrDbtCdtNtfctn) nor a camt.053 statement (BkToCstmrStmt)")
	}
	st.MessageID = strings.TrimSpace(st.MessageID)
	if st.MessageID == "" {
		return nil, billbridge.Invalid("file", "has no GrpHdr/MsgId")
	}
	for a, acct := range accounts {
		for n, e := range acct.Entries {
			txs, err := e.transactions(fmt.Sprintf("%s/%d/%d", st.MessageID, a+1, n+1))
			if err != nil {
				return nil, billbridge.Invalid("file", fmt.Sprintf("entry %d of %s %d: %v", n+1, accountElement(st.Kind), a+1, err))
			}
			st.Entries = append(st.Entries, txs...)
		}
	}
	return st, nil
}

func accountElement(kind string) string {
	if kind == "camt.053" {
		return "Stmt"
	}
	return "Ntfctn"
}

// decode reads the root element after refusing a DOCTYPE.
func decode(data []byte) (*document, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("holds no XML element")
		}
		if err != nil {
			return nil, fmt.Errorf("is not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, errors.New("has a DOCTYPE or other declaration; camt files have none (entities are refused)")
		case xml.StartElement:
			if t.Name.Local != "Document" {
				return nil, fmt.Errorf("has root element %q, not Document", t.Name.Local)
			}
			var doc document
			if err := d.DecodeElement(&doc, &t); err != nil {
				return nil, fmt.Errorf("is not well-formed XML: %v", err)
			}
			return &doc, nil
		}
	}
}

// transactions flattens an entry into one StatementEntry per TxDtls (one
// for an entry without details). fallbackRef names the entry when the bank
// gave it no reference.
func (e entry) transactions(fallbackRef string) ([]billbridge.StatementEntry, error) {
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
	ref := firstNonEmpty(e.AcctSvcrRef, e.NtryRef, fallbackRef)

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
