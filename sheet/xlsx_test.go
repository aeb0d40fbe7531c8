package sheet_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"billbridge"
	"billbridge/sheet"

	"github.com/xuri/excelize/v2"
)

func writeXLSX(t testing.TB, kinds []billbridge.CellKind, rows ...[]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sheet.WriteAll(&buf, billbridge.SheetFormat{Format: billbridge.SheetXLSX}, kinds, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestXLSXCells opens the written workbook with excelize and checks what
// Excel would see: text cells as strings formatted "@" (leading zeros kept,
// formulas never), numbers and dates as numbers.
func TestXLSXCells(t *testing.T) {
	kinds := []billbridge.CellKind{billbridge.CellText, billbridge.CellText, billbridge.CellNumber, billbridge.CellNumber, billbridge.CellDate}
	data := writeXLSX(t, kinds,
		[]string{"name", "postal_code", "total", "days", "issue_date"},
		[]string{"=HYPERLINK(\"http://evil\")", "0800", "1234.50", "30", "2026-12-01"},
		[]string{"+41 44 123 45 67", "", "-0.05", "0", ""},
	)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]excelize.CellType{"A1": excelize.CellTypeInlineString, "C1": excelize.CellTypeInlineString,
		"A2": excelize.CellTypeInlineString, "B2": excelize.CellTypeInlineString, "C2": excelize.CellTypeNumber, "D2": excelize.CellTypeNumber,
		"A3": excelize.CellTypeInlineString} {
		got, err := f.GetCellType("Sheet1", cell)
		if got == excelize.CellTypeUnset { // no t attribute: a number, XLSX's default
			got = excelize.CellTypeNumber
		}
		if err != nil || got != want {
			t.Errorf("%s: type %v, %v; want %v", cell, got, err, want)
		}
	}
	for _, cell := range []string{"A2", "A3"} {
		if formula, _ := f.GetCellFormula("Sheet1", cell); formula != "" {
			t.Errorf("%s is a formula: %q", cell, formula)
		}
	}
	for cell, want := range map[string]string{"A2": "=HYPERLINK(\"http://evil\")", "B2": "0800", "C2": "1234.50", "D2": "30", "E2": "2026-12-01", "A3": "+41 44 123 45 67", "C3": "-0.05"} {
		if got, _ := f.GetCellValue("Sheet1", cell); got != want {
			t.Errorf("%s shows %q, want %q", cell, got, want)
		}
	}
	for cell, want := range map[string]string{"B2": "@", "C2": "0.00", "D2": "0", "E2": "yyyy-mm-dd"} {
		id, _ := f.GetCellStyle("Sheet1", cell)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int]string{49: "@", 2: "0.00", 1: "0"}[st.NumFmt]
		if st.CustomNumFmt != nil {
			got = *st.CustomNumFmt
		}
		if got != want {
			t.Errorf("%s: number format %q, want %q", cell, got, want)
		}
	}
}

// TestXLSXRoundTrip: what the writer writes the reader reads back, text as
// written, numbers as stored and dates as Excel serial numbers.
func TestXLSXRoundTrip(t *testing.T) {
	kinds := []billbridge.CellKind{billbridge.CellText, billbridge.CellText, billbridge.CellNumber, billbridge.CellDate}
	data := writeXLSX(t, kinds,
		[]string{"Firma", "PLZ", "Total", "Datum"},
		[]string{"Müller AG", "0800", "1234.50", "2026-12-01"},
		[]string{"=1+2", "8000", "", ""},
	)
	tb, err := sheet.ReadXLSX(data, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tb.Header, "|"); got != "Firma|PLZ|Total|Datum" {
		t.Fatalf("header %q", got)
	}
	if got := strings.Join(tb.Rows[0], "|"); got != "Müller AG|0800|1234.5|46357" {
		t.Fatalf("row 2: %q", got)
	}
	if got := strings.Join(tb.Rows[1], "|"); got != "=1+2|8000||" {
		t.Fatalf("row 3: %q", got)
	}
	if tb.RowNumbers[0] != 2 || tb.RowNumbers[1] != 3 {
		t.Fatalf("row numbers %v", tb.RowNumbers)
	}
	if d, err := billbridge.ImportDate(tb.Rows[0][3]); err != nil || d.String() != "2026-12-01" {
		t.Fatalf("serial date: %v %v", d, err)
	}
}

// TestReadXLSX covers what spreadsheets write: numbers typed as numbers,
// rows above the header, gaps, a second sheet, and files that are none.
func TestReadXLSX(t *testing.T) {
	f := excelize.NewFile()
	_ = f.SetCellValue("Sheet1", "A2", "Firma")
	_ = f.SetCellValue("Sheet1", "B2", "PLZ")
	_ = f.SetCellValue("Sheet1", "A3", "Dupont SA")
	_ = f.SetCellValue("Sheet1", "B3", 1200)
	_ = f.SetCellValue("Sheet1", "A6", "Müller; Söhne")
	_, _ = f.NewSheet("Notes")
	_ = f.SetCellValue("Notes", "A1", "ignored")
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	tb, err := sheet.ReadXLSX(buf.Bytes(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tb.Header, "|") != "Firma|PLZ" || len(tb.Rows) != 2 || strings.Join(tb.Rows[0], "|") != "Dupont SA|1200" ||
		strings.Join(tb.Rows[1], "|") != "Müller; Söhne|" || tb.RowNumbers[0] != 3 || tb.RowNumbers[1] != 6 {
		t.Fatalf("got %q %q %v", tb.Header, tb.Rows, tb.RowNumbers)
	}
	t.Run("too many rows is too large", func(t *testing.T) {
		if _, err := sheet.ReadXLSX(buf.Bytes(), 1); billbridge.ErrorCode(err) != billbridge.ETOOLARGE {
			t.Fatalf("got %v", err)
		}
	})
	for name, data := range map[string][]byte{
		"CSV":                []byte("Firma;PLZ\nA;1\n"),
		"an empty zip":       emptyZip(t),
		"a truncated file":   buf.Bytes()[:buf.Len()/2],
		"an empty worksheet": writeXLSX(t, []billbridge.CellKind{billbridge.CellText}),
	} {
		t.Run(name+" is malformed", func(t *testing.T) {
			if _, err := sheet.ReadXLSX(data, 10); billbridge.ErrorCode(err) != billbridge.EMALFORMED {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func emptyZip(t testing.TB) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("hello.txt")
	_, _ = io.WriteString(w, "hello")
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzReadXLSX feeds the reader mutated workbooks: it never panics, and
// what it accepts is valid UTF-8 with rows at least as wide as the header.
func FuzzReadXLSX(f *testing.F) {
	kinds := []billbridge.CellKind{billbridge.CellText, billbridge.CellNumber}
	f.Add(writeXLSX(f, kinds, []string{"Firma", "Total"}, []string{"Müller", "1.50"}))
	f.Add(writeXLSX(f, kinds, []string{"a", "b"}))
	f.Add(emptyZip(f))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := sheet.ReadXLSX(data, 100)
		if err != nil {
			if c := billbridge.ErrorCode(err); c != billbridge.EMALFORMED && c != billbridge.ETOOLARGE {
				t.Fatalf("error of code %s: %v", c, err)
			}
			return
		}
		checkTable(t, tb)
	})
}
