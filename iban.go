package billbridge

import "strings"

// Account numbers and references of the Swiss QR-bill (SIX Implementation
// Guidelines, IG): IBANs with their mod-97 check (ISO 13616), QR-IBANs,
// QR references (mod 10 recursive) and creditor references (ISO 11649).

// compact removes every space and upper-cases s: how IBANs and references
// are compared and written into a QR-bill payload.
func compact(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// NormalizeIBAN returns iban without spaces and in upper case, the form
// stored and written into a payload.
func NormalizeIBAN(iban string) string { return compact(iban) }

// ValidIBAN reports whether iban (spaces and case ignored) is a well-formed
// IBAN of any country: two letters, two check digits, up to 30 letters or
// digits, and a mod-97 remainder of 1.
func ValidIBAN(iban string) bool {
	s := compact(iban)
	if len(s) < 5 || len(s) > 34 || !isUpper(s[0]) || !isUpper(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	if !alphanumeric(s[4:]) {
		return false
	}
	return mod97(s[4:]+s[:4]) == 1
}

// QRBillIBAN reports whether iban is valid for a QR-bill: a valid IBAN of
// Switzerland or Liechtenstein (21 characters).
func QRBillIBAN(iban string) bool {
	s := compact(iban)
	return len(s) == 21 && (strings.HasPrefix(s, "CH") || strings.HasPrefix(s, "LI")) && ValidIBAN(s)
}

// IsQRIBAN reports whether iban is a QR-IBAN: a Swiss or Liechtenstein IBAN
// whose institution id (positions 5 to 9) lies in 30000–31999. A QR-IBAN
// takes QR references only, and only QR-IBANs take them.
func IsQRIBAN(iban string) bool {
	s := compact(iban)
	return QRBillIBAN(s) && s[4:9] >= "30000" && s[4:9] <= "31999"
}

// FormatIBAN writes an IBAN in groups of four, as printed on a QR-bill.
func FormatIBAN(iban string) string { return groups(compact(iban), 4) }

// mod97 returns the ISO 7064 mod 97-10 remainder of s, where letters count
// as 10 (A) to 35 (Z). s holds only digits and upper-case letters.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}

// groups splits s into blocks of n characters from the left.
func groups(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+n, len(s))])
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// alphanumeric reports whether s holds only digits and upper-case letters.
func alphanumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && !isUpper(s[i]) {
			return false
		}
	}
	return true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
