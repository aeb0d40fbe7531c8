package camt_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"billbridge"
	"billbridge/camt"
)

// FuzzReadStatement: any bytes give a statement or an EINVALID error naming
// "file", never a panic; every entry read has a bank reference, a currency
// of three letters and a non-negative amount.
func FuzzReadStatement(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<!DOCTYPE d [<!ENTITY a "b">]><Document/>`))
	f.Add([]byte(`<Document><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Ntry><Amt Ccy="CHF">1</Amt></Ntry></Stmt></BkToCstmrStmt></Document>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := camt.Reader{}.ReadStatement(bytes.NewReader(data))
		if err != nil {
			var e *billbridge.Error
			if !errors.As(err, &e) || e.Code != billbridge.EINVALID || len(e.Fields) != 1 || e.Fields[0].Name != "file" {
				t.Fatalf("error %v, want EINVALID naming file", err)
			}
			return
		}
		if st.MessageID == "" || (st.Kind != "camt.054" && st.Kind != "camt.053") {
			t.Fatalf("statement %q %q", st.Kind, st.MessageID)
		}
		for _, e := range st.Entries {
			if e.EntryReference == "" || len(e.Currency) != 3 || e.Amount < 0 || e.BookingDate.IsZero() {
				t.Fatalf("entry %+v", e)
			}
		}
	})
}
