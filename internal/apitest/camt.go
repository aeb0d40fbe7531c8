package apitest

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"strings"
)

// Credit is one transaction of a test bank file.
type Credit struct {
	Ref       string // the bank's AcctSvcrRef of the transaction
	Reference string // the QR or creditor reference ("" none)
	Amount    string // e.g. "100.00"
	Currency  string // default CHF
	Debit     bool   // money leaving the account
}

// Camt054 writes a camt.054.001.04 notification holding each credit as an
// entry of its own, booked on 2026-11-28.
func Camt054(msgID string, credits ...Credit) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>%s</MsgId><CreDtTm>2026-11-28T19:30:47</CreDtTm></GrpHdr>
<Ntfctn><Id>%[1]s</Id><Acct><Id><IBAN>CH4431999123000889012</IBAN></Id></Acct>`, msgID)
	for _, c := range credits {
		ccy, ind := c.Currency, "CRDT"
		if ccy == "" {
			ccy = "CHF"
		}
		if c.Debit {
			ind = "DBIT"
		}
		rmt := ""
		if c.Reference != "" {
			rmt = `<RmtInf><Strd><CdtrRefInf><Ref>` + c.Reference + `</Ref></CdtrRefInf></Strd></RmtInf>`
		}
		fmt.Fprintf(&b, `
<Ntry><Amt Ccy="%[2]s">%[1]s</Amt><CdtDbtInd>%[3]s</CdtDbtInd><RvslInd>false</RvslInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-11-28</Dt></BookgDt><ValDt><Dt>2026-11-28</Dt></ValDt><AcctSvcrRef>%[4]s</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><AcctSvcrRef>%[4]s</AcctSvcrRef></Refs><Amt Ccy="%[2]s">%[1]s</Amt><CdtDbtInd>%[3]s</CdtDbtInd>
<RltdPties><Dbtr><Nm>Pia Rutschmann</Nm></Dbtr></RltdPties>%[5]s</TxDtls></NtryDtls></Ntry>`, c.Amount, ccy, ind, c.Ref, rmt)
	}
	b.WriteString("\n</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n")
	return []byte(b.String())
}

// Multipart wraps data as the multipart/form-data field of that name, the
// way a browser or an automation platform uploads a file, and returns the
// body with its Content-Type.
func Multipart(field, filename string, data []byte) (body []byte, contentType string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	part, err := w.CreateFormFile(field, filename)
	if err == nil {
		_, err = part.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		panic(err) // writes to a bytes.Buffer do not fail
	}
	return buf.Bytes(), w.FormDataContentType()
}
