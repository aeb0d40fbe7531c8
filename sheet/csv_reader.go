package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"billbridge"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// ReadCSV reads a CSV file for an import, as spreadsheets and CRMs write
// them: a UTF-8 byte order mark is dropped; UTF-16 (Excel's "Unicode
// text", which has a BOM) and Windows-1252 (Excel's plain "CSV", detected
// as not being valid UTF-8) are decoded; the separator is what the header
// row uses most of ";", ",", TAB or "|"; CRLF and LF both end rows. Cells
// that an export neutralised (a leading ' before = + - @) are restored.
// Short rows are padded to the header's width. More than maxRows data rows
// is ETOOLARGE; a file that is not CSV (an unterminated quote…) is
// EMALFORMED naming the line.
func ReadCSV(data []byte, maxRows int) (*billbridge.Table, error) {
	text, err := decode(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = separator(text)
	r.FieldsPerRecord = -1
	t := &billbridge.Table{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, billbridge.Errorf(billbridge.EMALFORMED, "The file is not valid CSV: %s.", csvError(err))
		}
		for i := range rec {
			rec[i] = Restore(rec[i])
		}
		if t.Header == nil {
			for i := range rec {
				rec[i] = strings.TrimSpace(rec[i])
			}
			t.Header = rec
			continue
		}
		if len(t.Rows) == maxRows {
			return nil, billbridge.Errorf(billbridge.ETOOLARGE, "The file has more than %d rows; split it.", maxRows)
		}
		for len(rec) < len(t.Header) {
			rec = append(rec, "")
		}
		line, _ := r.FieldPos(0)
		t.Rows = append(t.Rows, rec)
		t.RowNumbers = append(t.RowNumbers, line)
	}
	if t.Header == nil {
		return nil, billbridge.Errorf(billbridge.EMALFORMED, "The file is empty: it needs a header row naming the columns.")
	}
	return t, nil
}

// csvError renders a parse error without the reader's internal wording of
// positions: "line 4, column 7: bare \" in non-quoted field".
func csvError(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "line " + itoa(pe.Line) + ", column " + itoa(pe.Column) + ": " + pe.Err.Error()
	}
	return err.Error()
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// decode returns the file as UTF-8 text.
func decode(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte(bom)):
		data = data[len(bom):]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", billbridge.Errorf(billbridge.EMALFORMED, "The file starts with a UTF-16 byte order mark but is not UTF-16.")
		}
		data = bytes.TrimPrefix(out, []byte(bom))
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", billbridge.Errorf(billbridge.EMALFORMED, "The file is neither UTF-8 nor Windows-1252.")
	}
	return string(out), nil
}

// separator returns the separator the first row uses most, outside quotes:
// ";" (Swiss and German Excel), "," (RFC 4180), TAB or "|". A first row
// without any is one column, read with ",".
func separator(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if r == '\n' {
			break
		}
		switch r {
		case ';', ',', '\t', '|':
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t', '|'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}
