package camt_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"billbridge"
	"billbridge/camt"
)

func read(t *testing.T, name string) *billbridge.BankStatement {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	st, err := camt.Reader{}.ReadStatement(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return st
}

// row is an entry as the tests compare it.
type row struct {
	ref, qr, amount, ccy, date, debtor string
	counts                             bool
}

func rows(st *billbridge.BankStatement) []row {
	var out []row
	for _, e := range st.Entries {
		out = append(out, row{e.EntryReference, e.Reference, e.Amount.String(), e.Currency, e.BookingDate.String(), e.DebtorName, e.Counts()})
	}
	return out
}

func equal(t *testing.T, got, want []row) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d entries %+v, want %d %+v", len(got), got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestReadsEveryTransactionOfEachVersion(t *testing.T) {
	t.Run("camt.054 .04: a batch entry gives one entry per TxDtls with its own bank reference; debits do not count", func(t *testing.T) {
		st := read(t, "camt054-v04.xml")
		if st.Kind != "camt.054" || st.MessageID != "20261128375204000006009" {
			t.Fatalf("kind %q, message %q", st.Kind, st.MessageID)
		}
		equal(t, rows(st), []row{
			{"261128CH0000A0Z1-1", "210000000003139471430009017", "1949.75", "CHF", "2026-11-28", "Pia Rutschmann", true},
			{"261128CH0000A0Z1-2", "", "2000.00", "CHF", "2026-11-28", "", true},
			{"261128CH0000A0Z2", "", "120.00", "CHF", "2026-11-28", "", false},
		})
	})
	t.Run("camt.054 .08: status code, booking date-time, party name; reversals and pending entries do not count", func(t *testing.T) {
		equal(t, rows(read(t, "camt054-v08.xml")), []row{
			{"ZKB-9981", "RF18 5390 0754 7034", "250.50", "EUR", "2026-11-30", "Dupont S.à r.l.", true},
			{"ZKB-9982", "", "10.00", "CHF", "2026-12-01", "", false},
			{"ZKB-9983", "", "10.00", "CHF", "2026-12-01", "", false},
		})
	})
	t.Run("camt.053 .02: amount in AmtDtls; without any bank reference the entry is named by message, statement and position", func(t *testing.T) {
		st := read(t, "camt053-v02.xml")
		if st.Kind != "camt.053" {
			t.Fatalf("kind %q", st.Kind)
		}
		equal(t, rows(st), []row{{"STMT-20261130/1/1", "000000000000000000001234565", "500.00", "CHF", "2026-11-30", "", true}})
	})
}

func TestRefusesWhatIsNotABankFile(t *testing.T) {
	ntry := func(amt, ccy string) string {
		return `<Document><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>M</MsgId></GrpHdr><Ntfctn><Ntry><Amt Ccy="` + ccy + `">` + amt +
			`</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-28</Dt></BookgDt></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`
	}
	for name, doc := range map[string]string{
		"billion laughs": `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>` +
			`<Document><BkToCstmrStmt><GrpHdr><MsgId>&lol2;</MsgId></GrpHdr></BkToCstmrStmt></Document>`,
		"external entity":     `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Document><BkToCstmrStmt><GrpHdr><MsgId>&xxe;</MsgId></GrpHdr></BkToCstmrStmt></Document>`,
		"undeclared entity":   `<Document><BkToCstmrStmt><GrpHdr><MsgId>&xxe;</MsgId></GrpHdr></BkToCstmrStmt></Document>`,
		"empty":               ``,
		"not XML":             `{"camt": 54}`,
		"unclosed":            `<Document><BkToCstmrStmt>`,
		"another root":        `<Invoice/>`,
		"another message":     `<Document><CstmrCdtTrfInitn/></Document>`,
		"no message id":       `<Document><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>`,
		"negative amount":     ntry("-5.00", "CHF"),
		"amount with comma":   ntry("5,00", "CHF"),
		"fraction of a cent":  ntry("5.001", "CHF"),
		"no currency":         ntry("5.00", ""),
		"lower-case currency": ntry("5.00", "chf"),
		"latin-1":             `<?xml version="1.0" encoding="ISO-8859-1"?><Document/>`,
		"no booking date": `<Document><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>M</MsgId></GrpHdr><Ntfctn><Ntry><Amt Ccy="CHF">1</Amt>` +
			`<CdtDbtInd>CRDT</CdtDbtInd></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`,
	} {
		t.Run(name, func(t *testing.T) {
			st, err := camt.Reader{}.ReadStatement(strings.NewReader(doc))
			if err == nil {
				t.Fatalf("accepted: %+v", st)
			}
			var e *billbridge.Error
			if !errors.As(err, &e) || e.Code != billbridge.EINVALID || len(e.Fields) != 1 || e.Fields[0].Name != "file" {
				t.Fatalf("error %v, want EINVALID naming file", err)
			}
			if strings.Contains(err.Error(), "root:") {
				t.Fatalf("an entity was expanded: %v", err)
			}
		})
	}
}
