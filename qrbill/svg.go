package qrbill

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
)

// svgCanvas writes SVG elements in millimetres (the viewBox is the page in
// mm). Text names Liberation Sans and the IG's alternatives.
type svgCanvas struct {
	b     strings.Builder
	black strings.Builder // one path for every black rectangle
}

func mm(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

func (s *svgCanvas) text(x, y, size float64, bold bool, t string) {
	weight := ""
	if bold {
		weight = ` font-weight="bold"`
	}
	fmt.Fprintf(&s.b, `<text x="%s" y="%s" font-size="%s"%s>%s</text>`+"\n", mm(x), mm(y), mm(size*ptToMM), weight, html.EscapeString(t))
}

func (s *svgCanvas) rect(x, y, w, h float64, white bool) {
	if white {
		s.flush()
		fmt.Fprintf(&s.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#fff"/>`+"\n", mm(x), mm(y), mm(w), mm(h))
		return
	}
	fmt.Fprintf(&s.black, "M%s %sh%sv%sh-%sz", mm(x), mm(y), mm(w), mm(h), mm(w))
}

// flush writes the black rectangles gathered so far, so white ones drawn
// later (the Swiss cross) lie on top.
func (s *svgCanvas) flush() {
	if s.black.Len() > 0 {
		fmt.Fprintf(&s.b, `<path d="%s" fill="#000"/>`+"\n", s.black.String())
		s.black.Reset()
	}
}

func (s *svgCanvas) line(x1, y1, x2, y2, width float64) {
	fmt.Fprintf(&s.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000" stroke-width="%s"/>`+"\n", mm(x1), mm(y1), mm(x2), mm(y2), mm(width))
}

// writeSVG writes a document of w × h millimetres with what draw draws.
func writeSVG(out io.Writer, w, h float64, draw func(c canvas)) error {
	c := &svgCanvas{}
	draw(c)
	c.flush()
	_, err := fmt.Fprintf(out, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%smm" height="%smm" viewBox="0 0 %s %s" font-family="%s">
<rect width="100%%" height="100%%" fill="#fff"/>
%s</svg>
`, mm(w), mm(h), mm(w), mm(h), fontFamily, c.b.String())
	return err
}
