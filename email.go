package billbridge

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:generate go run ./internal/gen/lookalike

// EmailKey returns the match key of an email address: trimmed, and each
// character replaced by one member of its Unicode simple case-fold class
// (the classes strings.EqualFold uses), lowercase where the class has one.
// ASCII folds to lowercase ASCII. Characters without a simple fold partner
// keep their identity: the Turkish İ and ı stay distinct from i, where
// strings.ToLower would turn İ into i. The stored address is never
// rewritten. Addresses EmailProblem refuses (invisible characters, ASCII
// look-alikes) never reach a key, so the fold needs no NFKC table.
func EmailKey(email string) string {
	email = strings.TrimSpace(email)
	if asciiFolded(email) {
		return email
	}
	var b strings.Builder
	b.Grow(len(email))
	for _, r := range email {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// asciiFolded reports whether s is ASCII without capital letters, and so
// its own key: most stored addresses are, and KeysOf folds every duplicate
// candidate's address twice (EmailKey, EmailDomain).
func asciiFolded(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// foldRune is the representative of r's simple case-fold class: the
// lowercase of the class's smallest member, or r when r has no partner.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	if least == r && unicode.SimpleFold(r) == r {
		return r
	}
	return unicode.ToLower(least)
}

// EmailProblem says why email cannot be stored as a customer's email ("" if
// it can). It is the one email rule: the API's `email` binding and the
// OpenAPI contract check's `format: email` both call it, so what the spec
// calls an email address is exactly what the server accepts.
//
// The address is trimmed first, and "" (no address given) is accepted. Otherwise it must be local@domain (see emailSyntaxProblem)
// and must not hold what would make two addresses that look the same get
// different keys, or one that looks like another get its key:
//   - invisible characters: controls, spaces inside the address, and
//     Unicode's default-ignorable code points (zero-width space and joiners,
//     soft hyphen, bidi marks and isolates, variation selectors, BOM);
//   - ASCII look-alikes: characters whose NFKC form is ASCII (fullwidth
//     letters, the Kelvin sign, mathematical letters, ligatures, no-break
//     space), so "ｂilling@dupont.ch" cannot pose as billing@dupont.ch;
//   - combining marks on an ASCII character ("e" + U+0301), which look like
//     the precomposed letter but are another string.
//
// Other non-ASCII letters (müller@, δοκιμή@) are accepted and case-folded by
// EmailKey.
func EmailProblem(email string) string {
	email = strings.TrimSpace(email)
	if email == "" {
		return ""
	}
	if p := emailCharProblem(email); p != "" {
		return p
	}
	return emailSyntaxProblem(email)
}

// emailCharProblem refuses invisible characters and look-alikes.
func emailCharProblem(email string) string {
	prev := rune(-1)
	for _, r := range email {
		switch {
		case r == utf8.RuneError:
			return "must be valid UTF-8"
		case unicode.IsControl(r) || unicode.IsSpace(r) || isDefaultIgnorable(r):
			return fmt.Sprintf("must not contain invisible characters (found %U)", r)
		case unicode.Is(asciiLookalike, r):
			return fmt.Sprintf("must not contain %U, a look-alike of an ASCII character: type it in ASCII", r)
		case unicode.Is(unicode.M, r) && prev >= 0 && prev < utf8.RuneSelf:
			return fmt.Sprintf("must not put the combining mark %U on %q: type the precomposed letter", r, prev)
		}
		prev = r
	}
	return ""
}

// isDefaultIgnorable approximates Unicode's Default_Ignorable_Code_Point
// (DerivedCoreProperties): format characters (Cf), Other_Default_Ignorable
// (Hangul fillers, CGJ…) and variation selectors.
func isDefaultIgnorable(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// emailSyntaxProblem checks the shape of an address whose characters
// emailCharProblem accepted: one "@" between a local part and a domain.
//   - The local part is a dot-atom (RFC 5321 §4.1.2, with RFC 6531's
//     non-ASCII characters): atoms of letters, digits, non-ASCII characters
//     and !#$%&'*+-/=?^_`{|}~, joined by single dots; at most 64 bytes.
//     Quoted local parts ("a b"@x.ch) are refused: no invoicing mailbox
//     needs them and they would need their own folding rules.
//   - The domain is at least two dot-separated labels of letters, digits
//     (any script) and inner hyphens, each at most 63 bytes; the last
//     label is not all digits. No trailing dot, no IP literal.
func emailSyntaxProblem(email string) string {
	const want = "must be an email address such as billing@dupont.ch"
	local, domain, ok := strings.Cut(email, "@")
	if !ok || strings.Contains(domain, "@") {
		return want + " (exactly one @)"
	}
	if local == "" || len(local) > 64 {
		return want + " (1 to 64 bytes before the @)"
	}
	for _, atom := range strings.Split(local, ".") {
		if atom == "" {
			return want + " (no leading, trailing or double dot before the @)"
		}
		for _, r := range atom {
			if r < utf8.RuneSelf && !isAtext(byte(r)) {
				return fmt.Sprintf("%s (%q is not allowed before the @)", want, r)
			}
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return want + " (the domain needs a dot, as in dupont.ch)"
	}
	for _, label := range labels {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return want + " (each part of the domain is 1 to 63 bytes, not starting or ending with a hyphen)"
		}
		for _, r := range label {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !(r >= utf8.RuneSelf && unicode.IsMark(r)) {
				return fmt.Sprintf("%s (%q is not allowed in the domain)", want, r)
			}
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return want + " (the domain must end in a name, not a number)"
	}
	return ""
}

// isAtext reports whether c is an ASCII atext character (RFC 5322 §3.2.3).
func isAtext(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}
