package billbridge_test

import (
	"math"
	"testing"

	"billbridge"
)

func TestJaroWinklerVectors(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"MARTHA", "MARHTA", 0.9611},
		{"DWAYNE", "DUANE", 0.8400},
		{"DIXON", "DICKSONX", 0.8133},
		{"dupont", "dupond", 0.9333},
		{"", "", 1},
		{"abc", "", 0},
		{"abc", "xyz", 0},
		{"zürich", "zürich", 1},
	} {
		for _, p := range [][2]string{{c.a, c.b}, {c.b, c.a}} {
			if got := billbridge.JaroWinkler(p[0], p[1]); math.Abs(got-c.want) > 0.00005 {
				t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.4f", p[0], p[1], got, c.want)
			}
		}
	}
}
