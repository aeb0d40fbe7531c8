package sheet

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"billbridge"

	"github.com/xuri/excelize/v2"
)

// XLSXWriter writes a table as the one worksheet of an XLSX workbook
// through excelize's StreamWriter: rows go to a buffer that moves to a
// temporary file past 16 MiB, so memory stays bounded whatever the number
// of rows; the workbook is zipped onto the writer at Close.
//
// Text cells are inline strings formatted as text ("@"): postcodes and
// customer numbers keep their leading zeros, and a cell starting with = + -
// @ is a string that no spreadsheet runs as a formula, also once edited.
// Numbers ("1234.50") are numbers with two decimals ("0.00"), whole numbers
// without; dates ("2026-12-01") are dates shown yyyy-mm-dd. A number or
// date cell that does not parse (a header) is written as text.
type XLSXWriter struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	kinds  []billbridge.CellKind
	styles xlsxStyles
	row    int
	vals   []any
}

type xlsxStyles struct{ text, amount, whole, date int }

// NewXLSXWriter starts an XLSX table on w with columns of kinds.
func NewXLSXWriter(w io.Writer, kinds []billbridge.CellKind) (*XLSXWriter, error) {
	f := excelize.NewFile()
	x := &XLSXWriter{w: w, f: f, kinds: kinds}
	var err error
	dateFmt := "yyyy-mm-dd"
	for _, s := range []struct {
		dst   *int
		style excelize.Style
	}{
		{&x.styles.text, excelize.Style{NumFmt: 49}},  // "@"
		{&x.styles.amount, excelize.Style{NumFmt: 2}}, // "0.00"
		{&x.styles.whole, excelize.Style{NumFmt: 1}},  // "0"
		{&x.styles.date, excelize.Style{CustomNumFmt: &dateFmt}},
	} {
		if *s.dst, err = f.NewStyle(&s.style); err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("sheet: xlsx style: %w", err)
		}
	}
	if x.sw, err = f.NewStreamWriter("Sheet1"); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("sheet: xlsx: %w", err)
	}
	return x, nil
}

// WriteRow writes one row, each cell by its column's kind.
func (x *XLSXWriter) WriteRow(cells []string) error {
	if len(cells) != len(x.kinds) {
		return fmt.Errorf("sheet: row of %d cells, table of %d columns", len(cells), len(x.kinds))
	}
	x.vals = x.vals[:0]
	for i, c := range cells {
		x.vals = append(x.vals, x.cell(x.kinds[i], c))
	}
	x.row++
	ref, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(ref, x.vals)
}

// cell returns the value excelize writes for one cell.
func (x *XLSXWriter) cell(kind billbridge.CellKind, s string) any {
	if s == "" {
		return nil
	}
	switch kind {
	case billbridge.CellNumber:
		if !strings.Contains(s, ".") {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return excelize.Cell{StyleID: x.styles.whole, Value: n}
			}
		} else if v, err := strconv.ParseFloat(s, 64); err == nil {
			return excelize.Cell{StyleID: x.styles.amount, Value: v}
		}
	case billbridge.CellDate:
		if d, err := time.Parse(billbridge.DateLayout, s); err == nil {
			return excelize.Cell{StyleID: x.styles.date, Value: d}
		}
	}
	return excelize.Cell{StyleID: x.styles.text, Value: s}
}

// Flush does nothing: a workbook is a zip file, written whole at Close.
func (x *XLSXWriter) Flush() error { return nil }

// Close ends the worksheet and writes the workbook to the writer.
func (x *XLSXWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(x.w)
	return err
}

// ReadXLSX reads the first worksheet of an XLSX workbook for an import:
// every cell as its stored text (numbers as written, "8000", "1234.5";
// dates as Excel serial numbers, which ParseDate does not take: date
// columns read with ImportDate), row numbers as the spreadsheet shows them.
// Cells an export neutralised are restored, short rows padded to the
// header's width. A file that is no workbook is EMALFORMED; more than
// maxRows data rows is ETOOLARGE. The zip's content is bounded
// (MaxXLSXUnzipped) against zip bombs.
func ReadXLSX(data []byte, maxRows int) (t *billbridge.Table, err error) {
	defer func() {
		// excelize is not fuzzed for hostile input: a panic is a file it cannot read.
		if r := recover(); r != nil {
			t, err = nil, billbridge.Errorf(billbridge.EMALFORMED, "The file is not a readable XLSX workbook.")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: MaxXLSXUnzipped, UnzipXMLSizeLimit: 16 << 20,
	})
	if err != nil {
		if err == excelize.ErrWorkbookFileFormat || strings.Contains(err.Error(), "zip") {
			return nil, billbridge.Errorf(billbridge.EMALFORMED, "The file is not an XLSX workbook.")
		}
		return nil, billbridge.Errorf(billbridge.EMALFORMED, "The XLSX workbook could not be read: %s.", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, billbridge.Errorf(billbridge.EMALFORMED, "The XLSX workbook has no worksheet.")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, billbridge.Errorf(billbridge.EMALFORMED, "The first worksheet could not be read.")
	}
	defer rows.Close()
	t = &billbridge.Table{}
	for n := 1; rows.Next(); n++ {
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, billbridge.Errorf(billbridge.EMALFORMED, "Row %d of the first worksheet could not be read.", n)
		}
		for i := range rec {
			rec[i] = Restore(rec[i])
		}
		if t.Header == nil {
			if blankRow(rec) {
				continue // rows above the header
			}
			for i := range rec {
				rec[i] = strings.TrimSpace(rec[i])
			}
			t.Header = rec
			continue
		}
		if blankRow(rec) {
			continue
		}
		if len(t.Rows) == maxRows {
			return nil, billbridge.Errorf(billbridge.ETOOLARGE, "The file has more than %d rows; split it.", maxRows)
		}
		for len(rec) < len(t.Header) {
			rec = append(rec, "")
		}
		t.Rows = append(t.Rows, rec)
		t.RowNumbers = append(t.RowNumbers, n)
	}
	if err := rows.Error(); err != nil {
		return nil, billbridge.Errorf(billbridge.EMALFORMED, "The first worksheet could not be read.")
	}
	if t.Header == nil {
		return nil, billbridge.Errorf(billbridge.EMALFORMED, "The first worksheet is empty: it needs a header row naming the columns.")
	}
	return t, nil
}

// MaxXLSXUnzipped bounds what an XLSX upload may unzip to.
const MaxXLSXUnzipped = 256 << 20

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
