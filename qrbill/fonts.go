package qrbill

import (
	_ "embed"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Liberation Sans 2.1.5 (SIL Open Font License 1.1, fonts/OFL.txt), one of
// the fonts the IG names for QR-bills, and one that covers its whole
// character set, embedded so that every PDF carries its glyphs.
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	regularTTF []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	boldTTF []byte
)

// fontFamily is the family name SVGs ask for, with the IG's alternatives.
const fontFamily = "'Liberation Sans', Arial, Helvetica, sans-serif"

// ptToMM converts typographic points to millimetres.
const ptToMM = 25.4 / 72

// metrics holds what layout needs of one font: advance widths of the
// characters it draws, in font units, and the ascender and descender.
type metrics struct {
	font       *sfnt.Font
	unitsPerEm float64
	ascent     float64
	descent    float64
	widths     map[rune]float64
	fallback   float64
}

var (
	metricsOnce sync.Once
	fontMetrics [2]*metrics // regular, bold
)

// fonts returns the parsed regular and bold fonts, parsed once.
func fonts() [2]*metrics {
	metricsOnce.Do(func() {
		for i, ttf := range [][]byte{regularTTF, boldTTF} {
			m, err := newMetrics(ttf)
			if err != nil {
				panic("qrbill: embedded font: " + err.Error())
			}
			fontMetrics[i] = m
		}
	})
	return fontMetrics
}

func newMetrics(ttf []byte) (*metrics, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	upem := fixed.Int26_6(f.UnitsPerEm())
	m := &metrics{font: f, unitsPerEm: float64(upem), widths: map[rune]float64{}}
	fm, err := f.Metrics(&buf, upem<<6, 0)
	if err != nil {
		return nil, err
	}
	m.ascent, m.descent = float64(fm.Ascent)/64, float64(fm.Descent)/64
	advance := func(r rune) (float64, bool) {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			return 0, false
		}
		a, err := f.GlyphAdvance(&buf, gi, upem<<6, 0)
		if err != nil {
			return 0, false
		}
		return float64(a) / 64, true
	}
	m.fallback, _ = advance('?')
	for _, span := range [][2]rune{{0x20, 0x17f}, {0x218, 0x21b}, {0x2010, 0x2026}, {0x20ac, 0x20ac}} {
		for r := span[0]; r <= span[1]; r++ {
			if w, ok := advance(r); ok {
				m.widths[r] = w
			}
		}
	}
	return m, nil
}

func fontOf(bold bool) *metrics {
	if bold {
		return fonts()[1]
	}
	return fonts()[0]
}

// textWidth returns the width of s set at size points, in millimetres.
func textWidth(s string, size float64, bold bool) float64 {
	m := fontOf(bold)
	var units float64
	for _, r := range s {
		w, ok := m.widths[r]
		if !ok {
			w = m.fallback
		}
		units += w
	}
	return units / m.unitsPerEm * size * ptToMM
}

// ascender returns the height of the font's ascender at size points, in
// millimetres: the distance from the top of a text line to its baseline.
func ascender(size float64, bold bool) float64 {
	m := fontOf(bold)
	return m.ascent / m.unitsPerEm * size * ptToMM
}

// hasGlyph reports whether both fonts draw r.
func hasGlyph(r rune) bool {
	_, ok1 := fonts()[0].widths[r]
	_, ok2 := fonts()[1].widths[r]
	return ok1 && ok2
}
