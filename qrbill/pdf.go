package qrbill

import (
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// pdfFamily is the name the embedded fonts are registered under.
const pdfFamily = "LiberationSans"

// pdfCanvas draws on the current page of an fpdf document, in millimetres
// from the top left. Both fonts are embedded (subset to the glyphs used).
type pdfCanvas struct {
	pdf        *fpdf.Fpdf
	fontSize   float64
	fontBold   bool
	fill       int
	lineWidth  float64
	fontChosen bool
}

// newPDF starts a document with the embedded fonts, its metadata dated
// created so that the same input gives the same bytes.
func newPDF(title, lang string, created time.Time) *pdfCanvas {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 210, Ht: 297}})
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetProducer("billbridge", false)
	pdf.SetCreator("billbridge", false)
	pdf.SetTitle(title, true)
	pdf.SetLang(lang)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.AddUTF8FontFromBytes(pdfFamily, "", regularTTF)
	pdf.AddUTF8FontFromBytes(pdfFamily, "B", boldTTF)
	pdf.SetDrawColor(0, 0, 0)
	return &pdfCanvas{pdf: pdf, fill: -1}
}

func (p *pdfCanvas) addPage(w, h float64) {
	p.pdf.AddPageFormat("P", fpdf.SizeType{Wd: w, Ht: h})
	// fpdf resets the font state of a new page's content stream.
	p.fontChosen, p.fill, p.lineWidth = false, -1, 0
}

func (p *pdfCanvas) text(x, y, size float64, bold bool, s string) {
	if !p.fontChosen || size != p.fontSize || bold != p.fontBold {
		style := ""
		if bold {
			style = "B"
		}
		p.pdf.SetFont(pdfFamily, style, size)
		p.fontSize, p.fontBold, p.fontChosen = size, bold, true
	}
	p.pdf.Text(x, y, s)
}

func (p *pdfCanvas) rect(x, y, w, h float64, white bool) {
	gray := 0
	if white {
		gray = 255
	}
	if gray != p.fill {
		p.pdf.SetFillColor(gray, gray, gray)
		p.fill = gray
	}
	p.pdf.Rect(x, y, w, h, "F")
}

func (p *pdfCanvas) line(x1, y1, x2, y2, width float64) {
	if width != p.lineWidth {
		p.pdf.SetLineWidth(width)
		p.lineWidth = width
	}
	p.pdf.Line(x1, y1, x2, y2)
}

func (p *pdfCanvas) output(w io.Writer) error { return p.pdf.Output(w) }
