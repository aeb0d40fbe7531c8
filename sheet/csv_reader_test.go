package sheet_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"billbridge"
	"billbridge/sheet"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func TestReadCSV(t *testing.T) {
	want := [][]string{{"Müller AG", "8000", "Zürich"}, {"Dupont; Fils", "1200", "Genève"}}
	german := "\uFEFFFirma;PLZ;Ort\r\nMüller AG;8000;Zürich\r\n\"Dupont; Fils\";1200;Genève\r\n"
	cp1252, _ := charmap.Windows1252.NewEncoder().String(strings.TrimPrefix(german, "\uFEFF"))
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("Firma\tPLZ\tOrt\r\nMüller AG\t8000\tZürich\r\n\"Dupont; Fils\"\t1200\tGenève\r\n")
	for name, file := range map[string]string{
		"Excel UTF-8 with BOM, semicolons, CRLF": german,
		"Excel's plain CSV: Windows-1252":        cp1252,
		"Excel's Unicode text: UTF-16 and TAB":   utf16,
		"RFC 4180, LF only":                      "Firma,PLZ,Ort\nMüller AG,8000,Zürich\n\"Dupont; Fils\",1200,Genève",
		"pipes":                                  "Firma|PLZ|Ort\nMüller AG|8000|Zürich\nDupont; Fils|1200|Genève\n",
	} {
		t.Run(name, func(t *testing.T) {
			tb, err := sheet.ReadCSV([]byte(file), 10)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(tb.Header, "|") != "Firma|PLZ|Ort" {
				t.Fatalf("header %q", tb.Header)
			}
			if len(tb.Rows) != 2 || strings.Join(tb.Rows[0], "|") != strings.Join(want[0], "|") || strings.Join(tb.Rows[1], "|") != strings.Join(want[1], "|") {
				t.Fatalf("rows %q", tb.Rows)
			}
			if tb.RowNumbers[0] != 2 || tb.RowNumbers[1] != 3 {
				t.Fatalf("row numbers %v", tb.RowNumbers)
			}
		})
	}
	t.Run("row numbers are the file's lines, blank lines and multi-line cells counted", func(t *testing.T) {
		tb, err := sheet.ReadCSV([]byte("name,notes\na,\"two\nlines\"\n\nb,x\n"), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(tb.RowNumbers) != 2 || tb.RowNumbers[0] != 2 || tb.RowNumbers[1] != 5 {
			t.Fatalf("row numbers %v", tb.RowNumbers)
		}
	})
	t.Run("short rows are padded, neutralised cells restored", func(t *testing.T) {
		tb, err := sheet.ReadCSV([]byte("a,b,c\n'=1+2\n"), 10)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(tb.Rows[0], "|") != "=1+2||" {
			t.Fatalf("row %q", tb.Rows[0])
		}
	})
	t.Run("too many rows is too large", func(t *testing.T) {
		_, err := sheet.ReadCSV([]byte("a\n1\n2\n3\n"), 2)
		if billbridge.ErrorCode(err) != billbridge.ETOOLARGE {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a broken quote is malformed, naming the line", func(t *testing.T) {
		_, err := sheet.ReadCSV([]byte("a,b\n1,2\n3,x\"y\n"), 10)
		if billbridge.ErrorCode(err) != billbridge.EMALFORMED || !strings.Contains(billbridge.ErrorMessage(err), "line 3") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("an empty file is malformed", func(t *testing.T) {
		if _, err := sheet.ReadCSV([]byte("\uFEFF"), 10); billbridge.ErrorCode(err) != billbridge.EMALFORMED {
			t.Fatalf("got %v", err)
		}
	})
}

// FuzzReadCSV feeds the reader anything: it never panics, and what it
// accepts is valid UTF-8, rows at least as wide as the header, row numbers
// rising after the header's.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"\uFEFFFirma;PLZ\r\nMüller;8000\r\n", "a,b\n\"x\ny\",2\n", "a\tb\n1\t2", "\xff\xfea\x00", "a,b\n'=1,2\n", "\"", "a;\"b\"\"c\";d\n", "\xe4\xf6\xfc,x\n1,2",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := sheet.ReadCSV(data, 1000)
		if err != nil {
			if c := billbridge.ErrorCode(err); c != billbridge.EMALFORMED && c != billbridge.ETOOLARGE {
				t.Fatalf("error of code %s: %v", c, err)
			}
			return
		}
		checkTable(t, tb)
	})
}

// checkTable fails unless a table read from any input is sound: valid
// UTF-8, rows at least as wide as the header, row numbers rising after
// the header's.
func checkTable(t *testing.T, tb *billbridge.Table) {
	t.Helper()
	if len(tb.Rows) != len(tb.RowNumbers) {
		t.Fatalf("%d rows, %d row numbers", len(tb.Rows), len(tb.RowNumbers))
	}
	last := 1
	for i, r := range tb.Rows {
		if len(r) < len(tb.Header) {
			t.Fatalf("row %d: %d cells, header %d", i, len(r), len(tb.Header))
		}
		if tb.RowNumbers[i] <= last-1 || tb.RowNumbers[i] < 2 {
			t.Fatalf("row numbers %v", tb.RowNumbers)
		}
		last = tb.RowNumbers[i]
		for _, c := range r {
			if !utf8.ValidString(c) {
				t.Fatalf("cell %q is not UTF-8", c)
			}
		}
	}
	for _, h := range tb.Header {
		if !utf8.ValidString(h) {
			t.Fatalf("header %q is not UTF-8", h)
		}
	}
}
