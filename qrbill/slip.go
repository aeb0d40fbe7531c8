package qrbill

import (
	"math"
	"strings"

	"billbridge"
)

// canvas is what the slip and invoice layouts draw on, in millimetres with
// the origin at the top left: svg.go, png.go and pdf.go implement it.
type canvas interface {
	// text sets s at size points with its baseline at y.
	text(x, y, size float64, bold bool, s string)
	// rect fills a rectangle black, or white.
	rect(x, y, w, h float64, white bool)
	// line strokes a black line width millimetres wide.
	line(x1, y1, x2, y2, width float64)
}

// Slip geometry (IG 2.3, section 3): a 210 × 105 mm slip, a 62 mm receipt
// on the left and a 148 mm payment part, 5 mm margins, the QR code 46 mm
// square 17 mm from the top, the amount sections 68 mm from the top.
const (
	slipWidth       = 210.0
	slipHeight      = 105.0
	margin          = 5.0
	receiptWidth    = 62.0
	receiptText     = 52.0
	qrTop           = 17.0
	qrSize          = 46.0
	amountTop       = 68.0
	acceptanceTop   = 82.0
	ppInfoX         = receiptWidth + qrSize + 2*margin // 118
	ppInfoWidth     = 87.0
	ppInfoMaxHeight = 85.0
	rcInfoTop       = margin + 7
	rcInfoMaxHeight = 56.0
	titleSize       = 11.0
	boxTopPadding   = 2 * ptToMM
	separatorWidth  = 0.2  // mm, about 0.57 pt
	cornerWidth     = 0.27 // mm, 0.75 pt
	crossOuter      = 7.0  // the Swiss cross: 7 mm white square,
	crossInner      = 6.0  // 6 mm black square,
	crossArm        = 3.89 // white arms 3.89 × 1.17 mm
	crossThick      = 1.17
)

// slip is a QR-bill prepared for drawing: its symbol and the texts of its
// sections, formatted as the IG prints them.
type slip struct {
	bill      *billbridge.QRBill
	symbol    *Symbol
	t         *texts
	payableTo []string // IBAN and creditor address
	reference string   // formatted, "" for NON
	info      []string // message and billing information
	payableBy []string // debtor address, nil when blank
	amount    string   // "1 949.75"
}

// newSlip encodes b's payload and formats its texts in lang.
func newSlip(b *billbridge.QRBill, lang string) (*slip, error) {
	payload, err := b.Payload()
	if err != nil {
		return nil, err
	}
	sym, err := Encode(payload)
	if err != nil {
		return nil, err
	}
	s := &slip{bill: b, symbol: sym, t: textsFor(lang)}
	foreign := b.Debtor != nil && b.Debtor.Country != "CH"
	s.payableTo = append([]string{billbridge.FormatIBAN(b.IBAN)}, addressLines(b.Creditor, foreign || b.Creditor.Country != "CH")...)
	if b.Reference != "" {
		s.reference = billbridge.FormatReference(b.Reference)
	}
	for _, l := range []string{b.Message, b.BillingInformation} {
		if l != "" {
			s.info = append(s.info, l)
		}
	}
	if b.Debtor != nil {
		s.payableBy = addressLines(*b.Debtor, b.Debtor.Country != "CH")
	}
	if b.HasAmount {
		s.amount = billbridge.FormatQRAmount(b.Amount)
	}
	return s, nil
}

// addressLines writes a structured address as printed: name, street and
// number, then postcode and town, with "CC – " before them abroad.
func addressLines(p billbridge.Party, withCountry bool) []string {
	lines := []string{p.Name}
	if street := strings.TrimSpace(p.Street + " " + p.BuildingNumber); street != "" {
		lines = append(lines, street)
	}
	town := p.PostalCode + " " + p.City
	if withCountry {
		town = p.Country + " – " + town
	}
	return append(lines, town)
}

// draw draws the whole slip with its top left corner at (ox, oy).
func (s *slip) draw(c canvas, ox, oy float64) {
	s.drawPaymentPart(c, ox+receiptWidth, oy)
	s.drawReceipt(c, ox, oy)
	c.line(ox+receiptWidth, oy, ox+receiptWidth, oy+slipHeight, separatorWidth)
}

// section lays out labelled blocks of text from top to bottom.
type section struct {
	c                   canvas
	x, y, width         float64
	labelSize, textSize float64
	lineSpacing, extra  float64
}

func (s *section) label(text string) {
	s.c.text(s.x, s.y, s.labelSize, true, text)
	s.y += s.lineSpacing
}

func (s *section) lines(label string, lines []string) {
	s.label(label)
	for _, l := range lines {
		s.c.text(s.x, s.y, s.textSize, false, l)
		s.y += s.lineSpacing
	}
	s.y += s.extra
}

// blank draws the label of an empty field and corner marks around a box of
// w × h millimetres below it, to be filled in by hand.
func (s *section) blank(label string, w, h float64) {
	s.label(label)
	top := s.y - ascender(s.textSize, false) + boxTopPadding
	corners(s.c, s.x, top, w, h)
	s.y = top + h + s.extra
}

// spacing sets the line spacing of the section's text size and spreads what
// is left of maxHeight over the gaps between blocks (at most one line each).
// It reports whether the text fits comfortably (gaps of 80 % of a line).
func (s *section) spacing(maxHeight, fixed float64, textLines, gaps int) bool {
	s.lineSpacing = (s.textSize + 1) * ptToMM
	s.extra = (maxHeight - fixed - float64(textLines)*s.lineSpacing) / float64(gaps)
	s.extra = math.Min(math.Max(s.extra, 0), s.lineSpacing)
	return s.extra/s.lineSpacing >= 0.8
}

func (s *slip) drawPaymentPart(c canvas, ox, oy float64) {
	c.text(ox+margin, oy+margin+ascender(titleSize, true), titleSize, true, s.t.PaymentPart)
	drawSymbol(c, s.symbol, ox+margin, oy+qrTop, qrSize)

	// The information section shrinks from 10 pt to 8 pt when it is full.
	sec := &section{c: c, x: ox + qrSize + 2*margin, width: ppInfoWidth - margin}
	var payableTo, info, payableBy []string
	for size := 10.0; ; size-- {
		sec.labelSize, sec.textSize = size-2, size
		payableTo, info, payableBy = sec.wrap(s.payableTo), sec.wrap(s.info), sec.wrap(s.payableBy)
		textLines, gaps, fixed := 1+len(payableTo), 1, 0.0
		if s.reference != "" {
			textLines, gaps = textLines+2, gaps+1
		}
		if len(info) > 0 {
			textLines, gaps = textLines+1+len(info), gaps+1
		}
		if payableBy != nil {
			textLines += 1 + len(payableBy)
		} else {
			textLines, fixed = textLines+1, 25
		}
		if sec.spacing(ppInfoMaxHeight, fixed, textLines, gaps) || size == 8 {
			break
		}
	}
	sec.y = oy + margin + ascender(sec.labelSize, true)
	sec.lines(s.t.AccountPayableTo, payableTo)
	if s.reference != "" {
		sec.lines(s.t.Reference, []string{s.reference})
	}
	if len(info) > 0 {
		sec.lines(s.t.AdditionalInformation, info)
	}
	if payableBy != nil {
		sec.lines(s.t.PayableBy, payableBy)
	} else {
		sec.blank(s.t.PayableByNameAddress, 65, 25)
	}
	s.drawAmount(c, ox+margin, oy, 15, sec.labelSize, sec.textSize, 40, 15)
}

func (s *slip) drawReceipt(c canvas, ox, oy float64) {
	c.text(ox+margin, oy+margin+ascender(titleSize, true), titleSize, true, s.t.Receipt)
	sec := &section{c: c, x: ox + margin, width: receiptText, labelSize: 6, textSize: 8}
	// When the receipt is full, addresses lose their street line.
	payableTo, payableBy := s.payableTo, s.payableBy
	for reduce := 0; ; reduce++ {
		textLines, gaps, fixed := 1+len(sec.wrap(payableTo)), 2, 0.0
		if s.reference != "" {
			textLines, gaps = textLines+2, gaps+1
		}
		if payableBy != nil {
			textLines += 1 + len(sec.wrap(payableBy))
		} else {
			textLines, fixed = textLines+1, 20
		}
		if sec.spacing(rcInfoMaxHeight, fixed, textLines, gaps) || reduce == 2 {
			break
		}
		if reduce == 0 {
			payableBy = withoutStreet(payableBy)
		} else {
			payableTo = append(payableTo[:1:1], withoutStreet(payableTo[1:])...)
		}
	}
	sec.y = oy + rcInfoTop + ascender(sec.labelSize, true)
	sec.lines(s.t.AccountPayableTo, sec.wrap(payableTo))
	if s.reference != "" {
		sec.lines(s.t.Reference, []string{s.reference})
	}
	if payableBy != nil {
		sec.lines(s.t.PayableBy, sec.wrap(payableBy))
	} else {
		sec.blank(s.t.PayableByNameAddress, 52, 20)
	}
	s.drawAmount(c, ox+margin, oy, 12, 6, 8, 30, 10)
	y := oy + acceptanceTop + ascender(6, true)
	c.text(ox+margin+receiptText-textWidth(s.t.AcceptancePoint, 6, true), y, 6, true, s.t.AcceptancePoint)
}

// withoutStreet drops the street line of an address (name, street, town).
func withoutStreet(lines []string) []string {
	if len(lines) == 3 {
		return []string{lines[0], lines[2]}
	}
	return lines
}

// drawAmount draws the currency and amount section at x; a bill without an
// amount gets corner marks around a box of boxW × boxH to write it in.
func (s *slip) drawAmount(c canvas, x, oy, currencyWidth, labelSize, textSize, boxW, boxH float64) {
	y := oy + amountTop + ascender(labelSize, true)
	c.text(x, y, labelSize, true, s.t.Currency)
	c.text(x+currencyWidth, y, labelSize, true, s.t.Amount)
	y += (textSize + 3) * ptToMM
	c.text(x, y, textSize, false, s.bill.Currency)
	if s.amount != "" {
		c.text(x+currencyWidth, y, textSize, false, s.amount)
		return
	}
	corners(c, x+currencyWidth, y-ascender(textSize, false), boxW, boxH)
}

// wrap breaks each line at word boundaries to fit the section's width.
func (s *section) wrap(lines []string) []string {
	if lines == nil {
		return nil
	}
	var out []string
	for _, l := range lines {
		out = append(out, wrapText(l, s.width, s.textSize, false)...)
	}
	return out
}

// wrapText breaks s into lines no wider than width at size points: at
// spaces where it can, inside a word longer than a line where it must.
func wrapText(s string, width, size float64, bold bool) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if textWidth(try, size, bold) <= width {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = ""
		for _, r := range word {
			if line != "" && textWidth(line+string(r), size, bold) > width {
				lines = append(lines, line)
				line = ""
			}
			line += string(r)
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// corners draws the IG's corner marks (3 mm long) around a box to fill in.
func corners(c canvas, x, y, w, h float64) {
	const l = 3.0
	for _, p := range [][4]float64{
		{x, y, l, 0}, {x, y, 0, l}, {x + w, y, -l, 0}, {x + w, y, 0, l},
		{x, y + h, l, 0}, {x, y + h, 0, -l}, {x + w, y + h, -l, 0}, {x + w, y + h, 0, -l},
	} {
		c.line(p[0], p[1], p[0]+p[2], p[1]+p[3], cornerWidth)
	}
}

// drawSymbol draws a QR symbol size millimetres square at (x, y), with the
// Swiss cross over its centre. Runs of dark modules in a row are drawn as
// one rectangle.
func drawSymbol(c canvas, sym *Symbol, x, y, size float64) {
	m := size / float64(sym.Size)
	for row := 0; row < sym.Size; row++ {
		for col := 0; col < sym.Size; {
			if !sym.Dark(col, row) {
				col++
				continue
			}
			start := col
			for col < sym.Size && sym.Dark(col, row) {
				col++
			}
			c.rect(x+float64(start)*m, y+float64(row)*m, float64(col-start)*m, m, false)
		}
	}
	cx, cy := x+size/2, y+size/2
	c.rect(cx-crossOuter/2, cy-crossOuter/2, crossOuter, crossOuter, true)
	c.rect(cx-crossInner/2, cy-crossInner/2, crossInner, crossInner, false)
	c.rect(cx-crossArm/2, cy-crossThick/2, crossArm, crossThick, true)
	c.rect(cx-crossThick/2, cy-crossArm/2, crossThick, crossArm, true)
}
