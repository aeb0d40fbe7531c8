// Package sheet writes (and reads) tables as CSV and XLSX files, the
// spreadsheet conventions of Swiss and German offices included: Excel's
// UTF-8 byte order mark and ";" separator, CRLF line ends, and cells that
// a spreadsheet would run as a formula neutralised (OWASP CSV injection).
// It implements billbridge.Sheets.
package sheet

import (
	"context"
	"fmt"
	"io"

	"billbridge"
)

// Codec is the billbridge.Sheets of this package.
type Codec struct{}

// NewWriter starts a table on w in format f with columns of kinds.
func (Codec) NewWriter(_ context.Context, w io.Writer, f billbridge.SheetFormat, kinds []billbridge.CellKind) (billbridge.SheetWriter, error) {
	switch f.Format {
	case billbridge.SheetCSV:
		return NewCSVWriter(w, f.Profile, kinds)
	case billbridge.SheetXLSX:
		return NewXLSXWriter(w, kinds)
	}
	return nil, fmt.Errorf("sheet: unknown format %q", f.Format)
}

// WriteAll writes rows (the header first) as one table in format f.
func WriteAll(w io.Writer, f billbridge.SheetFormat, kinds []billbridge.CellKind, rows [][]string) error {
	sw, err := Codec{}.NewWriter(context.Background(), w, f, kinds)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := sw.WriteRow(r); err != nil {
			return err
		}
	}
	return sw.Close()
}

// ReadTable reads a CSV file (ReadCSV) or an XLSX workbook (ReadXLSX) for an import.
func (Codec) ReadTable(_ context.Context, data []byte, format string, maxRows int) (*billbridge.Table, error) {
	switch format {
	case billbridge.SheetCSV:
		return ReadCSV(data, maxRows)
	case billbridge.SheetXLSX:
		return ReadXLSX(data, maxRows)
	}
	return nil, fmt.Errorf("sheet: unknown format %q", format)
}

// Neutralise returns a text cell that no spreadsheet runs as a formula: a
// cell starting with = + - @ TAB or CR gets a leading apostrophe, which
// Excel and LibreOffice show as text (OWASP "CSV Injection").
func Neutralise(s string) string {
	if s != "" && isFormulaStart(s[0]) {
		return "'" + s
	}
	return s
}

// Restore undoes Neutralise: an apostrophe before a formula start is dropped.
func Restore(s string) string {
	if len(s) >= 2 && s[0] == '\'' && isFormulaStart(s[1]) {
		return s[1:]
	}
	return s
}

func isFormulaStart(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}
