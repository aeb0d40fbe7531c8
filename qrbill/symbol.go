package qrbill

import (
	"fmt"

	qr "github.com/piglig/go-qr"
)

// Symbol is an encoded QR code: Size × Size modules, dark where Dark says.
// It carries no quiet zone and no Swiss cross; those are drawn around and
// over it.
type Symbol struct {
	Size    int
	Version int
	dark    []bool
}

// Dark reports whether the module at column x, row y is dark.
func (s *Symbol) Dark(x, y int) bool { return s.dark[y*s.Size+x] }

// QR symbol parameters. The IG asks for error correction level M and at
// most version 25; byte mode carries the UTF-8 payload, announced by ECI 26.
// The smallest version is 10, as the npm package swissqrbill (the oracle
// the tests compare module by module) uses: every real payload needs
// version 10 or more anyway, and equal parameters give equal symbols.
const (
	symbolMinVersion = 10
	symbolMaxVersion = 25
	eciUTF8          = 26
)

// Encode returns the QR symbol of a QR-bill payload: ECI 26, one byte-mode
// segment, error correction M (never raised), version 10–25, the mask the
// standard's penalty rules pick. A payload too long for version 25 is an
// error (the domain keeps payloads within 997 characters, which fit).
func Encode(payload string) (*Symbol, error) {
	eci, err := qr.MakeEci(eciUTF8)
	if err != nil {
		return nil, err
	}
	data, err := qr.MakeBytes([]byte(payload))
	if err != nil {
		return nil, err
	}
	code, err := qr.EncodeSegments([]*qr.QrSegment{eci, data}, qr.Medium, symbolMinVersion, symbolMaxVersion, -1, false)
	if err != nil {
		return nil, fmt.Errorf("qrbill: encode QR symbol: %w", err)
	}
	n := code.Size()
	s := &Symbol{Size: n, Version: (n - 17) / 4, dark: make([]bool, n*n)}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			s.dark[y*n+x] = code.Module(x, y)
		}
	}
	return s, nil
}
