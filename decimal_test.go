package billbridge_test

import (
	"encoding/json"
	"testing"

	"billbridge"
)

func TestMoneyJSON(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want billbridge.Money
		ok   bool
	}{
		{`12.5`, 1250, true}, {`"12.50"`, 1250, true}, {`0`, 0, true}, {`-3.01`, -301, true},
		{`" 7 "`, 700, true}, {`1.234`, 0, false}, {`1e3`, 0, false}, {`"abc"`, 0, false},
		{`1.`, 0, false}, {`.5`, 0, false}, {`"+1"`, 0, false}, {`null`, 0, false}, {`1234567890123456`, 0, false},
	} {
		var m billbridge.Money
		err := json.Unmarshal([]byte(tc.in), &m)
		if (err == nil) != tc.ok || (tc.ok && m != tc.want) {
			t.Errorf("Money(%s) = %d, %v; want %d, ok=%v", tc.in, m, err, tc.want, tc.ok)
		}
	}
	b, _ := json.Marshal(struct{ A, B, C billbridge.Money }{1250, -5, 0})
	if string(b) != `{"A":12.50,"B":-0.05,"C":0.00}` {
		t.Errorf("marshal = %s", b)
	}
}

func TestQuantityAndRate(t *testing.T) {
	var q billbridge.Quantity
	if err := json.Unmarshal([]byte(`1.125`), &q); err != nil || q != 1125 || q.String() != "1.125" {
		t.Errorf("quantity = %d %v %s", q, err, q)
	}
	if err := json.Unmarshal([]byte(`1.1255`), &q); err == nil {
		t.Error("four fraction digits accepted")
	}
	var r billbridge.VATRate
	if err := json.Unmarshal([]byte(`8.1`), &r); err != nil || r != 810 || r.String() != "8.1" {
		t.Errorf("rate = %d %v %s", r, err, r)
	}
}

// FuzzParseDecimal checks that parsing never panics and that every accepted
// value renders back to a string that parses to the same value.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"0", "12.5", "-3.01", "999999999.99", "1e3", "", "-", "00.10", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := billbridge.ParseDecimal(s, 2)
		if err != nil {
			return
		}
		back, err := billbridge.ParseDecimal(billbridge.FormatDecimal(v, 2), 2)
		if err != nil || back != v {
			t.Fatalf("%q → %d → %q → %d, %v", s, v, billbridge.FormatDecimal(v, 2), back, err)
		}
	})
}
