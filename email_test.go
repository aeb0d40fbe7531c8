package billbridge_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"billbridge"

	"golang.org/x/text/unicode/norm"
)

func TestEmailKeySameAndDifferent(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"  Billing@Dupont.CH ", "billing@dupont.ch", true},
		{"BILLING@DUPONT.CH", "billing@dupont.ch", true},
		{"MÜLLER@beispiel.ch", "müller@beispiel.ch", true},
		{"ΣΟΦΊΑ@παράδειγμα.gr", "σοφία@παράδειγμα.gr", true},
		{"sofiaς@x.gr", "sofiaσ@x.gr", true}, // final sigma is one class with σ
		{"ÉCOLE@ecole.fr", "école@ecole.fr", true},
		{"\u212bngstr\u00f6m@firma.se", "ångström@firma.se", true}, // the Ångström sign is Å
		// strings.ToLower turned İ into i: two mailboxes got one key.
		{"İnfo@firma.com.tr", "info@firma.com.tr", false},
		{"ınfo@firma.com.tr", "info@firma.com.tr", false},
		{"müller@beispiel.ch", "mueller@beispiel.ch", false},
		{"ß@strasse.de", "ss@strasse.de", false},
		{"billing@dupont.ch", "billing@dupond.ch", false},
	} {
		ka, kb := billbridge.EmailKey(c.a), billbridge.EmailKey(c.b)
		if (ka == kb) != c.same {
			t.Errorf("EmailKey(%q) = %q, EmailKey(%q) = %q; same = %v, want %v", c.a, ka, c.b, kb, ka == kb, c.same)
		}
	}
}

func TestEmailProblemRefusesInvisibleAndLookalikes(t *testing.T) {
	for name, email := range map[string]string{
		"zero-width space":        "billing\u200b@dupont.ch",
		"zero-width joiner":       "bill\u200ding@dupont.ch",
		"zero-width non-joiner":   "bill\u200cing@dupont.ch",
		"word joiner":             "billing@du\u2060pont.ch",
		"soft hyphen":             "bill\u00ading@dupont.ch",
		"left-to-right mark":      "\u200ebilling@dupont.ch",
		"right-to-left override":  "billing@dupont.ch\u202e",
		"first strong isolate":    "billing\u2068@dupont.ch",
		"byte order mark":         "\ufeffbilling@dupont.ch",
		"combining grapheme join": "bill\u034fing@dupont.ch",
		"variation selector":      "billing\ufe0f@dupont.ch",
		"Hangul filler":           "billing\u3164@dupont.ch",
		"inner space":             "bill ing@dupont.ch",
		"no-break space":          "billing\u00a0@dupont.ch",
		"tab":                     "billing\t@dupont.ch",
		"Kelvin sign":             "\u212aunde@dupont.ch",
		"fullwidth b":             "\uff42illing@dupont.ch",
		"fullwidth at":            "billing\uff20dupont.ch",
		"mathematical bold a":     "\U0001d41anna@dupont.ch",
		"fi ligature":             "\ufb01nance@dupont.ch",
		"circled a":               "\u24d0nna@dupont.ch",
		"e plus combining acute":  "cafe\u0301@dupont.ch",
	} {
		if p := billbridge.EmailProblem(email); p == "" {
			t.Errorf("%s: EmailProblem(%q) accepts it", name, email)
		}
	}
	for _, email := range []string{"billing@dupont.ch", " Billing@Dupont.CH ", "müller@beispiel.ch", "café@dupont.ch", "İnfo@firma.com.tr", "δοκιμή@παράδειγμα.gr", "用户@例子.广告", ""} {
		if p := billbridge.EmailProblem(email); p != "" {
			t.Errorf("EmailProblem(%q) = %q, want accepted", email, p)
		}
	}
}

// TestEmailLookalikeTableMatchesNFKC checks the generated table against
// golang.org/x/text (run `go generate` when Unicode moves on), and the
// promise behind it: no accepted non-ASCII character keys to ASCII, so no
// accepted address can take an ASCII address's key.
func TestEmailLookalikeTableMatchesNFKC(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := string(r)
		accepted := billbridge.EmailProblem("a"+s+"@x.ch") == ""
		if nfkcASCII(s) && accepted {
			t.Errorf("%U: NFKC gives ASCII %q but EmailProblem accepts it", r, norm.NFKC.String(s))
		}
		if accepted && isASCII(billbridge.EmailKey(s)) {
			t.Errorf("%U is accepted and keys to ASCII %q", r, billbridge.EmailKey(s))
		}
	}
}

func nfkcASCII(s string) bool {
	n := norm.NFKC.String(s)
	return n != "" && isASCII(n)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// TestEmailProblemChecksTheShape is the syntax half of the one email rule
// (the API binding and the spec's format: email both use EmailProblem).
func TestEmailProblemChecksTheShape(t *testing.T) {
	label63 := "a" + strings.Repeat("b", 62)
	for _, email := range []string{
		"billing@dupont.ch", " Billing@Dupont.CH ", "first.last+tag@mail.dupont.ch", "o'brien@x.ie",
		"a!#$%&'*+-/=?^_`{|}~z@x.ch", "müller@bäckerei-müller.ch", "用户@例子.广告", "δοκιμή@παράδειγμα.ελ",
		"a@x-y.ch", "a@" + label63 + ".ch", strings.Repeat("l", 64) + "@x.ch", "a@1.example", "a@x.c1", "",
	} {
		if p := billbridge.EmailProblem(email); p != "" {
			t.Errorf("EmailProblem(%q) = %q, want accepted", email, p)
		}
	}
	for _, email := range []string{
		"not-an-email", "x", "@dupont.ch", "billing@", "billing@@dupont.ch", "a@b@dupont.ch",
		"billing@dupont", "billing@dupont.", "billing@.dupont.ch", "billing@dupont..ch", "billing@-dupont.ch", "billing@dupont-.ch",
		".billing@dupont.ch", "billing.@dupont.ch", "bil..ling@dupont.ch", `"a b"@dupont.ch`, `"billing"@dupont.ch`,
		"bill(ing)@dupont.ch", "bill,ing@dupont.ch", "billing@[192.0.2.1]", "billing@192.0.2.1", "billing@dupont.123",
		"billing@du_pont.ch", "billing@dupont.ch/", strings.Repeat("l", 65) + "@x.ch", "a@" + label63 + "c.ch",
		"billing@例子。广告", "Marie <billing@dupont.ch>",
	} {
		if p := billbridge.EmailProblem(email); p == "" {
			t.Errorf("EmailProblem(%q) accepts it", email)
		} else if !strings.HasPrefix(p, "must ") {
			t.Errorf("EmailProblem(%q) = %q, want a reason starting with \"must \"", email, p)
		}
	}
}

// FuzzEmailProblem: the rule never panics, trims, and accepts only
// addresses with exactly one "@" and no invisible characters.
func FuzzEmailProblem(f *testing.F) {
	for _, s := range []string{"billing@dupont.ch", " a@b.ch ", "a@b", "用户@例子.广告", "a\u200b@b.ch", `"a"@b.ch`, ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := billbridge.EmailProblem(s)
		if p != billbridge.EmailProblem(strings.TrimSpace(s)) {
			t.Fatalf("EmailProblem(%q) depends on surrounding space", s)
		}
		if p != "" || strings.TrimSpace(s) == "" {
			return
		}
		if strings.Count(s, "@") != 1 || !utf8.ValidString(s) || strings.ContainsFunc(strings.TrimSpace(s), unicode.IsSpace) {
			t.Fatalf("EmailProblem(%q) accepts it", s)
		}
	})
}
