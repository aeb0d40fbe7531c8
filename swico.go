package billbridge

import (
	"strconv"
	"strings"
)

// SwicoS1 is the billing information of Swico's syntax S1 (payload line 32
// of a QR-bill, "//S1/10/…"): what the debtor's accounting software reads
// off the bill. Empty fields are left out.
type SwicoS1 struct {
	InvoiceNumber     string // tag 10
	InvoiceDate       *Date  // tag 11, YYMMDD
	CustomerReference string // tag 20
	UID               string // tag 30: the creditor's UID, 9 digits without CHE
	VATDate           *Date  // tag 31: the date of the service…
	VATPeriodEnd      *Date  // …or, with this, the start and end of its period
	// VATRate (tag 32) is the one rate of the whole invoice; VATDetails
	// lists rate and net amount per rate instead when there are several.
	VATRate    *VATRate
	VATDetails []VATLine
	// ImportTaxes (tag 33) lists VAT paid on imports, rate and amount.
	ImportTaxes []VATLine
	// Conditions (tag 40) are discounts: percent (in VATRate units) within days.
	Conditions []PaymentCondition
}

// PaymentCondition is a discount of Percent if paid within Days; a
// Percent of 0 gives the payment term ("0:30": net within 30 days).
type PaymentCondition struct {
	Percent VATRate
	Days    int
}

// String encodes the billing information ("//S1/10/10201409/11/190512/…"),
// escaping "\" and "/" in values; "" when no field is set.
func (s SwicoS1) String() string {
	var b strings.Builder
	tag := func(t, v string) {
		if v != "" {
			b.WriteString("/" + t + "/" + v)
		}
	}
	tag("10", swicoEscape(s.InvoiceNumber))
	tag("11", swicoDate(s.InvoiceDate))
	tag("20", swicoEscape(s.CustomerReference))
	tag("30", swicoEscape(s.UID))
	if s.VATDate != nil {
		tag("31", swicoDate(s.VATDate)+swicoDate(s.VATPeriodEnd))
	}
	if s.VATRate != nil {
		tag("32", s.VATRate.String())
	} else {
		tag("32", swicoRates(s.VATDetails, func(l VATLine) Money { return l.Net }))
	}
	tag("33", swicoRates(s.ImportTaxes, func(l VATLine) Money { return l.VAT }))
	var conds []string
	for _, c := range s.Conditions {
		conds = append(conds, c.Percent.String()+":"+strconv.Itoa(c.Days))
	}
	tag("40", strings.Join(conds, ";"))
	if b.Len() == 0 {
		return ""
	}
	return "//S1" + b.String()
}

// swicoRates writes "rate:amount;rate:amount", amounts without trailing zeros.
func swicoRates(lines []VATLine, amount func(VATLine) Money) string {
	parts := make([]string, 0, len(lines))
	for _, l := range lines {
		parts = append(parts, l.Rate.String()+":"+trimZeros(amount(l).String()))
	}
	return strings.Join(parts, ";")
}

func swicoDate(d *Date) string {
	if d == nil {
		return ""
	}
	return d.Format("060102")
}

var swicoEscaper = strings.NewReplacer(`\`, `\\`, `/`, `\/`)

func swicoEscape(s string) string { return swicoEscaper.Replace(s) }

// UIDDigits returns the nine digits of a Swiss enterprise identification
// number ("CHE-123.456.789 MWST" gives "123456789") when its check digit
// (mod 11, weights 5 4 3 2 7 6 5 4) is right; ok is false otherwise.
func UIDDigits(uid string) (digits9 string, ok bool) {
	s := strings.ToUpper(strings.TrimSpace(uid))
	for _, suffix := range []string{"MWST", "TVA", "IVA", "VAT"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, suffix))
	}
	if !strings.HasPrefix(s, "CHE") {
		return "", false
	}
	var ds []byte
	for i := 3; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			ds = append(ds, c)
		case c == '-' || c == '.' || c == ' ':
		default:
			return "", false
		}
	}
	if len(ds) != 9 {
		return "", false
	}
	weights := [8]int{5, 4, 3, 2, 7, 6, 5, 4}
	sum := 0
	for i, w := range weights {
		sum += int(ds[i]-'0') * w
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	if check == 10 || int(ds[8]-'0') != check {
		return "", false
	}
	return string(ds), true
}
