package billbridge

import (
	"errors"
	"strconv"
	"strings"
)

// Reference types of a QR-bill (payload line 28).
const (
	RefQRR  = "QRR"  // QR reference: 27 digits, only with a QR-IBAN
	RefSCOR = "SCOR" // creditor reference (ISO 11649): RF…, only with an IBAN
	RefNON  = "NON"  // no reference, only with an IBAN
)

// qrrTable is the table of the recursive mod-10 check digit of QR references.
var qrrTable = [10]int{0, 9, 4, 6, 8, 2, 7, 1, 3, 5}

// qrrCheckDigit returns the recursive mod-10 check digit of a digit string.
func qrrCheckDigit(ds string) byte {
	carry := 0
	for i := 0; i < len(ds); i++ {
		carry = qrrTable[(carry+int(ds[i]-'0'))%10]
	}
	return byte('0' + (10-carry)%10)
}

// NewQRReference returns the 27-digit QR reference of number (up to 26
// digits, spaces ignored): number left-padded with zeros to 26 digits and
// followed by its check digit. "123456" gives "000000000000000000001234565".
func NewQRReference(number string) (string, error) {
	s := compact(number)
	switch {
	case s == "":
		return "", errors.New("a QR reference needs at least one digit")
	case !digits(s):
		return "", errors.New("a QR reference holds digits only")
	case len(s) > 26:
		return "", errors.New("a QR reference holds at most 26 digits before its check digit")
	}
	s = strings.Repeat("0", 26-len(s)) + s
	if strings.Trim(s, "0") == "" {
		return "", errors.New("a QR reference of zeros only is not valid")
	}
	return s + string(qrrCheckDigit(s)), nil
}

// ValidQRReference reports whether ref (spaces ignored) is a QR reference:
// 27 digits, not all zero, whose last digit is the check digit of the others.
func ValidQRReference(ref string) bool {
	s := compact(ref)
	return len(s) == 27 && digits(s) && strings.Trim(s, "0") != "" && qrrCheckDigit(s[:26]) == s[26]
}

// FormatQRReference writes a QR reference as printed: 2 digits, then
// groups of 5 ("21 00000 00003 13947 14300 09017").
func FormatQRReference(ref string) string {
	s := compact(ref)
	if len(s) <= 2 {
		return s
	}
	return s[:2] + " " + groups(s[2:], 5)
}

// NewCreditorReference returns the ISO 11649 creditor reference of body
// (1 to 21 letters or digits, spaces ignored, case folded): "RF", two check
// digits, body. "B334BOPQE39D902DC" gives "RF91B334BOPQE39D902DC".
func NewCreditorReference(body string) (string, error) {
	s := compact(body)
	switch {
	case s == "":
		return "", errors.New("a creditor reference needs at least one letter or digit")
	case !alphanumeric(s):
		return "", errors.New("a creditor reference holds letters and digits only")
	case len(s) > 21:
		return "", errors.New("a creditor reference holds at most 21 characters after RF and its check digits")
	}
	check := 98 - mod97(s+"RF00")
	return "RF" + pad2(check) + s, nil
}

// ValidCreditorReference reports whether ref (spaces and case ignored) is an
// ISO 11649 creditor reference: "RF", check digits 02–98, 1 to 21 letters or
// digits, and a mod-97 remainder of 1.
func ValidCreditorReference(ref string) bool {
	s := compact(ref)
	if len(s) < 5 || len(s) > 25 || !strings.HasPrefix(s, "RF") || !digits(s[2:4]) || !alphanumeric(s[4:]) {
		return false
	}
	if cd := s[2:4]; cd < "02" || cd > "98" {
		return false
	}
	return mod97(s[4:]+s[:4]) == 1
}

// FormatCreditorReference writes a creditor reference in groups of four.
func FormatCreditorReference(ref string) string { return groups(compact(ref), 4) }

// ReferenceType returns the QR-bill reference type of a payment reference:
// QRR for a QR reference, SCOR for a creditor reference, NON for none, and
// "" for anything else.
func ReferenceType(ref string) string {
	switch {
	case ref == "":
		return RefNON
	case ValidQRReference(ref):
		return RefQRR
	case ValidCreditorReference(ref):
		return RefSCOR
	}
	return ""
}

// FormatReference writes a QR or creditor reference as printed on a QR-bill.
func FormatReference(ref string) string {
	if ValidQRReference(ref) {
		return FormatQRReference(ref)
	}
	return FormatCreditorReference(ref)
}

// NormalizeReference returns ref as stored and searched: without spaces, in
// upper case, so "rf18 5390 0754 7034" finds "RF18539007547034".
func NormalizeReference(ref string) string { return compact(ref) }

func pad2(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}
