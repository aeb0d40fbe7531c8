package qrbill

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// pngDPI is the resolution of PNG slips: 300 dpi, print quality (a QR
// module is 7 pixels or more).
const pngDPI = 300

// pngCanvas draws on a grayscale image. Rectangles snap to whole pixels, so
// QR modules meet without seams.
type pngCanvas struct {
	img   *image.Gray
	scale float64 // pixels per millimetre
	faces map[[2]float64]font.Face
}

func (p *pngCanvas) px(v float64) int { return int(math.Round(v * p.scale)) }

func (p *pngCanvas) face(size float64, bold bool) font.Face {
	key := [2]float64{size, 0}
	if bold {
		key[1] = 1
	}
	if f, ok := p.faces[key]; ok {
		return f
	}
	f, err := opentype.NewFace(fontOf(bold).font, &opentype.FaceOptions{Size: size, DPI: pngDPI, Hinting: font.HintingNone})
	if err != nil {
		panic("qrbill: font face: " + err.Error()) // the embedded fonts parse; sizes are constants
	}
	p.faces[key] = f
	return f
}

func (p *pngCanvas) text(x, y, size float64, bold bool, s string) {
	d := font.Drawer{Dst: p.img, Src: image.Black, Face: p.face(size, bold),
		Dot: fixed.Point26_6{X: fixed.Int26_6(x * p.scale * 64), Y: fixed.Int26_6(y * p.scale * 64)}}
	d.DrawString(s)
}

func (p *pngCanvas) rect(x, y, w, h float64, white bool) {
	c := color.Gray{}
	if white {
		c.Y = 0xff
	}
	r := image.Rect(p.px(x), p.px(y), p.px(x+w), p.px(y+h))
	draw.Draw(p.img, r, &image.Uniform{c}, image.Point{}, draw.Src)
}

// line strokes an axis-parallel line (the only kind the layouts draw), at
// least one pixel wide.
func (p *pngCanvas) line(x1, y1, x2, y2, width float64) {
	half := math.Max(width*p.scale, 1) / 2 / p.scale
	p.rect(math.Min(x1, x2)-half, math.Min(y1, y2)-half, math.Abs(x2-x1)+2*half, math.Abs(y2-y1)+2*half, false)
}

// writePNG writes a w × h millimetre picture at 300 dpi of what draw draws.
func writePNG(out io.Writer, w, h float64, draw func(c canvas)) error {
	scale := pngDPI / 25.4
	img := image.NewGray(image.Rect(0, 0, int(math.Round(w*scale)), int(math.Round(h*scale))))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	c := &pngCanvas{img: img, scale: scale, faces: map[[2]float64]font.Face{}}
	draw(c)
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(out, img)
}
