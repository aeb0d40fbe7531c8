package sheet

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"

	"billbridge"
)

// bom is the UTF-8 byte order mark Excel needs to read a CSV file as UTF-8.
const bom = "\uFEFF"

// CSVWriter writes a table as CSV: RFC 4180 (",", CRLF, UTF-8) by default;
// with billbridge.ProfileExcel a UTF-8 BOM first and ";" between cells.
// Text cells are neutralised; numbers and dates are written as they come
// ("1234.50", "2026-12-01"), whatever the profile.
type CSVWriter struct {
	buf   *bufio.Writer
	csv   *csv.Writer
	kinds []billbridge.CellKind
	row   []string
}

// NewCSVWriter starts a CSV table on w.
func NewCSVWriter(w io.Writer, profile string, kinds []billbridge.CellKind) (*CSVWriter, error) {
	buf := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(buf)
	cw.UseCRLF = true
	switch profile {
	case "":
	case billbridge.ProfileExcel:
		cw.Comma = ';'
		if _, err := buf.WriteString(bom); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("sheet: unknown CSV profile %q", profile)
	}
	return &CSVWriter{buf: buf, csv: cw, kinds: kinds}, nil
}

// WriteRow writes one row, neutralising its text cells.
func (w *CSVWriter) WriteRow(cells []string) error {
	if len(cells) != len(w.kinds) {
		return fmt.Errorf("sheet: row of %d cells, table of %d columns", len(cells), len(w.kinds))
	}
	w.row = w.row[:0]
	for i, c := range cells {
		if w.kinds[i] == billbridge.CellText {
			c = Neutralise(c)
		}
		w.row = append(w.row, c)
	}
	return w.csv.Write(w.row)
}

// Flush sends the buffered rows to the underlying writer.
func (w *CSVWriter) Flush() error {
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return err
	}
	return w.buf.Flush()
}

// Close flushes; a CSV table has no trailer.
func (w *CSVWriter) Close() error { return w.Flush() }
