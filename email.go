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
	var b strings.Builder
	b.Grow(len(email))
	for _, r := range email {
		b.WriteRune(foldRune(r))
	}
	return b.String()
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
// it can). It refuses what would make two addresses that look the same get
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
