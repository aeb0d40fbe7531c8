package qrbill_test

import (
	"strings"
	"testing"

	"billbridge"
	"billbridge/qrbill"
)

// TestEncodeLimits: the largest payload the domain lets through (996 bytes)
// still fits version 25 at level M; one byte more does not; short payloads
// take version 10, as the oracle's do.
func TestEncodeLimits(t *testing.T) {
	s, err := qrbill.Encode(strings.Repeat("x", 996))
	if err != nil || s.Version != 25 || s.Size != 117 {
		t.Fatalf("996 bytes: %+v, %v", s, err)
	}
	if _, err := qrbill.Encode(strings.Repeat("x", 997)); err == nil {
		t.Fatal("997 bytes fit version 25")
	}
	if s, _ := qrbill.Encode("SPC"); s.Version != 10 {
		t.Fatalf("short payload: version %d", s.Version)
	}
}

// TestFontsDrawTheCharset: Liberation Sans has a glyph for every character
// a QR-bill may carry, in both weights, so nothing prints as a box.
func TestFontsDrawTheCharset(t *testing.T) {
	for r := rune(0); r < 0x2100; r++ {
		if billbridge.InQRCharset(r) && !qrbill.HasGlyph(r) {
			t.Errorf("no glyph for %q (U+%04X)", r, r)
		}
	}
}
