package triggers_test

import (
	"errors"
	"testing"

	"billbridge"
	"billbridge/triggers"
)

// FuzzDecodeCursor: any string either decodes to a position that encodes
// back to a cursor of the same position, or is refused as ECURSORINVALID
// naming the parameter. Never a panic.
//
//	go test -run '^$' -fuzz FuzzDecodeCursor -fuzztime 30s ./triggers/
func FuzzDecodeCursor(f *testing.F) {
	for _, seed := range []string{
		triggers.EncodeCursor(0), triggers.EncodeCursor(1), triggers.EncodeCursor(42), triggers.EncodeCursor(999_999_999_999_999_999),
		"", "bogus", "YmJjMS4=", "YmJjMS4tMQ", "YmJjMS4wMQ", "YmJjMi40Mg", "YmJjMS40Mg==", "YmJjMS40Mw", "////", "YmJjMS45OTk5OTk5OTk5OTk5OTk5OTk5",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		seq, err := triggers.DecodeCursor("after", s)
		if err != nil {
			var e *billbridge.Error
			if !errors.As(err, &e) || e.Code != billbridge.ECURSORINVALID || len(e.Fields) != 1 || e.Fields[0].Name != "after" {
				t.Fatalf("DecodeCursor(%q): %#v, want ECURSORINVALID naming after", s, err)
			}
			return
		}
		if seq < 0 {
			t.Fatalf("DecodeCursor(%q) = %d", s, seq)
		}
		again, err := triggers.DecodeCursor("after", triggers.EncodeCursor(seq))
		if err != nil || again != seq {
			t.Fatalf("DecodeCursor(%q) = %d, but its own cursor decodes to %d, %v", s, seq, again, err)
		}
	})
}

// FuzzEncodeCursor: every position (any non-negative int64) survives the
// cursor round trip.
func FuzzEncodeCursor(f *testing.F) {
	for _, seed := range []int64{0, 1, 9, 10, 1 << 40, 999_999_999_999_999_999, 1<<63 - 1} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seq int64) {
		if seq < 0 {
			return
		}
		got, err := triggers.DecodeCursor("before", triggers.EncodeCursor(seq))
		if err != nil || got != seq {
			t.Fatalf("round trip of %d: %d, %v", seq, got, err)
		}
	})
}
