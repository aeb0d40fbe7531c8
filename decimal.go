package billbridge

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
)

// Fixed-point decimals. Money, Quantity and VATRate are integers counted in
// their smallest unit; JSON carries them as decimal numbers (or strings of
// one) so 12.5 CHF is 1250 and never a float.

// Money is an amount in minor units (cents, Rappen).
type Money int64

// Quantity is a line item quantity in thousandths (1.5 hours = 1500).
type Quantity int64

// VATRate is a VAT rate in hundredths of a percent (8.1 % = 810).
type VATRate int64

const (
	moneyScale    = 2
	quantityScale = 3
	rateScale     = 2
)

// MaxMoney is the largest amount billbridge accepts or produces: the Swiss
// QR-bill maximum, 999,999,999.99.
const MaxMoney Money = 99_999_999_999

// ErrDecimal is returned for a value that is not a plain decimal number.
var ErrDecimal = errors.New("must be a decimal number")

// parseDecimal parses a JSON number or a JSON string holding one into an
// integer scaled by 10^scale. It refuses exponents, more fraction digits than
// scale, and magnitudes beyond 10^15.
func parseDecimal(b []byte, scale int) (int64, error) {
	b = bytes.TrimSpace(b)
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		s, err := strconv.Unquote(string(b))
		if err != nil {
			return 0, ErrDecimal
		}
		b = []byte(strings.TrimSpace(s))
	}
	return ParseDecimal(string(b), scale)
}

// ParseDecimal parses "[-]digits[.digits]" into an integer scaled by
// 10^scale. It is exact: no floating point is involved.
func ParseDecimal(s string, scale int) (int64, error) {
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || (hasDot && frac == "") {
		return 0, ErrDecimal
	}
	if len(frac) > scale {
		return 0, errors.New("must have at most " + strconv.Itoa(scale) + " fraction digits")
	}
	if len(intPart) > 15 {
		return 0, errors.New("is too large")
	}
	var v int64
	for _, c := range intPart + frac + strings.Repeat("0", scale-len(frac)) {
		if c < '0' || c > '9' {
			return 0, ErrDecimal
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, nil
}

// FormatDecimal renders v scaled by 10^scale with exactly scale fraction
// digits, e.g. FormatDecimal(1250, 2) == "12.50".
func FormatDecimal(v int64, scale int) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	if len(s) <= scale {
		s = strings.Repeat("0", scale-len(s)+1) + s
	}
	s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	if neg {
		s = "-" + s
	}
	return s
}

// String renders the amount with two fraction digits.
func (m Money) String() string { return FormatDecimal(int64(m), moneyScale) }

// MarshalJSON writes the amount as a JSON number with two fraction digits.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON accepts a JSON number or string with at most two fraction digits.
func (m *Money) UnmarshalJSON(b []byte) error {
	v, err := parseDecimal(b, moneyScale)
	*m = Money(v)
	return err
}

// String renders the quantity with its significant fraction digits.
func (q Quantity) String() string { return trimZeros(FormatDecimal(int64(q), quantityScale)) }

// MarshalJSON writes the quantity as a JSON number.
func (q Quantity) MarshalJSON() ([]byte, error) { return []byte(q.String()), nil }

// UnmarshalJSON accepts a JSON number or string with at most three fraction digits.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	v, err := parseDecimal(b, quantityScale)
	*q = Quantity(v)
	return err
}

// String renders the rate in percent, e.g. "8.1".
func (r VATRate) String() string { return trimZeros(FormatDecimal(int64(r), rateScale)) }

// MarshalJSON writes the rate as a JSON number of percent.
func (r VATRate) MarshalJSON() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalJSON accepts a JSON number or string of percent with at most two fraction digits.
func (r *VATRate) UnmarshalJSON(b []byte) error {
	v, err := parseDecimal(b, rateScale)
	*r = VATRate(v)
	return err
}

func trimZeros(s string) string {
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Currencies billbridge invoices in.
const (
	CHF = "CHF"
	EUR = "EUR"
)

// ValidCurrency reports whether c is a currency billbridge accepts.
func ValidCurrency(c string) bool { return c == CHF || c == EUR }
