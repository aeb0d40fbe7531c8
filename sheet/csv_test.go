package sheet_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"billbridge"
	"billbridge/sheet"
)

var kinds = []billbridge.CellKind{billbridge.CellText, billbridge.CellNumber, billbridge.CellDate}

func write(t *testing.T, profile string, rows ...[]string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := sheet.WriteAll(&buf, billbridge.SheetFormat{Format: billbridge.SheetCSV, Profile: profile}, kinds, rows); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestCSVProfiles(t *testing.T) {
	rows := [][]string{{"name", "amount", "date"}, {"Müller; Söhne AG", "1234.50", "2026-12-01"}}
	t.Run("rfc4180 is UTF-8 without BOM, comma and CRLF", func(t *testing.T) {
		got := write(t, "", rows...)
		want := "name,amount,date\r\nMüller; Söhne AG,1234.50,2026-12-01\r\n"
		if got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
	t.Run("excel has a BOM, semicolons, CRLF and a dot in amounts", func(t *testing.T) {
		got := write(t, billbridge.ProfileExcel, rows...)
		want := "\uFEFFname;amount;date\r\n\"Müller; Söhne AG\";1234.50;2026-12-01\r\n"
		if got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
	t.Run("an unknown profile is refused", func(t *testing.T) {
		if _, err := sheet.NewCSVWriter(&bytes.Buffer{}, "tsv", kinds); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("a row of the wrong width is refused", func(t *testing.T) {
		w, _ := sheet.NewCSVWriter(&bytes.Buffer{}, "", kinds)
		if err := w.WriteRow([]string{"a"}); err == nil {
			t.Fatal("no error")
		}
	})
}

func TestFormulaCellsAreNeutralised(t *testing.T) {
	for _, in := range []string{"=HYPERLINK(\"http://evil\")", "+41 44 123 45 67", "-2+3", "@SUM(A1)", "\tx"} {
		got := write(t, "", []string{in, "0.00", "2026-01-01"})
		r, err := csv.NewReader(strings.NewReader(got)).Read()
		if err != nil {
			t.Fatal(err)
		}
		if r[0] != "'"+in {
			t.Errorf("%q written as %q, want a leading apostrophe", in, r[0])
		}
		if sheet.Restore(r[0]) != in {
			t.Errorf("Restore(%q) = %q, want %q", r[0], sheet.Restore(r[0]), in)
		}
	}
	// A lone CR is neutralised too (encoding/csv drops it on CRLF output).
	if got := sheet.Neutralise("\rx"); got != "'\rx" {
		t.Errorf("Neutralise(CR x) = %q", got)
	}
	for _, in := range []string{"Dupont AG", "'quoted", "0800", ""} {
		if got := sheet.Neutralise(in); got != in {
			t.Errorf("Neutralise(%q) = %q, want it unchanged", in, got)
		}
		if got := sheet.Restore(in); got != in {
			t.Errorf("Restore(%q) = %q, want it unchanged", in, got)
		}
	}
	// Numbers and dates are never text: a number cell is written as it is.
	if got := write(t, "", []string{"x", "-5.00", "2026-01-01"}); !strings.Contains(got, ",-5.00,") {
		t.Errorf("number cell changed: %q", got)
	}
}
