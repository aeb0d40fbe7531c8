package billbridge

import (
	"strings"
)

// CustomerKeys are the normalised keys duplicate detection compares. Empty
// fields are unknown and never match.
type CustomerKeys struct {
	Kind        string
	Name        string // NameKey
	NameCompact string // NameCompact
	LegalForm   string // LegalForm
	Email       string // EmailKey
	EmailDomain string // EmailDomain: "" for free-mail domains
	Phone       string // PhoneKey: E.164
	UID         string // UIDKey: "CHE" + 9 digits
	PostalCode  string // PostalKey: country + ":" + code
}

// KeysOf derives c's keys from its Kind, Name, Email, Phone, VATNumber and
// Address only (a store may read just these of a duplicate candidate). The
// name is folded once for its three keys (NameKey, NameCompact, LegalForm):
// a write derives the keys of up to MaxDuplicateCandidates candidates.
func KeysOf(c *Customer) CustomerKeys {
	name := nameTokens(c.Name)
	k := CustomerKeys{
		Kind: c.Kind, Name: name.joined(), NameCompact: name.compact, Email: EmailKey(c.Email), EmailDomain: EmailDomain(c.Email),
		Phone: PhoneKey(c.Phone), UID: UIDKey(c.VATNumber), PostalCode: PostalKey(c.Address),
	}
	if c.Kind != KindPerson {
		k.LegalForm = name.form
	}
	return k
}

// freeMail are mailbox providers: a shared domain there says nothing.
var freeMail = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "bluewin.ch": true, "gmx.ch": true, "gmx.net": true, "gmx.de": true,
	"hotmail.com": true, "hotmail.ch": true, "outlook.com": true, "live.com": true, "msn.com": true, "icloud.com": true,
	"me.com": true, "yahoo.com": true, "yahoo.de": true, "yahoo.fr": true, "protonmail.com": true, "proton.me": true,
	"sunrise.ch": true, "hispeed.ch": true, "swissonline.ch": true, "vtxmail.ch": true, "green.ch": true, "windowslive.com": true,
	"web.de": true, "t-online.de": true, "orange.fr": true, "free.fr": true, "libero.it": true, "aol.com": true,
}

// EmailDomain returns the domain of email's key, or "" when there is none
// or it is a free-mail provider (gmail.com, bluewin.ch, gmx.ch…), where two
// customers sharing it says nothing.
func EmailDomain(email string) string {
	_, domain, ok := strings.Cut(EmailKey(email), "@")
	domain = strings.TrimSuffix(domain, ".")
	if !ok || domain == "" || freeMail[domain] {
		return ""
	}
	return domain
}

// PhoneKey returns phone in E.164 ("+41441234567"), reading Swiss national
// numbers ("044 123 45 67"), "0041…" and "+41 (0)44…"; "" when it is not a
// phone number of 8 to 15 digits.
func PhoneKey(phone string) string {
	phone = strings.ReplaceAll(strings.TrimSpace(phone), "(0)", "")
	var digits strings.Builder
	plus := strings.HasPrefix(phone, "+")
	for _, r := range phone {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case strings.ContainsRune(" -./()+\u00a0", r):
		default:
			return ""
		}
	}
	d := digits.String()
	switch {
	case plus:
	case strings.HasPrefix(d, "00"):
		d = d[2:]
	case strings.HasPrefix(d, "0") && len(d) == 10:
		d = "41" + d[1:]
	default:
		return ""
	}
	if len(d) < 8 || len(d) > 15 || d[0] == '0' {
		return ""
	}
	return "+" + d
}

// UIDKey returns the Swiss enterprise identification number (UID) in vat
// as "CHE" + 9 digits, in any spelling ("CHE-123.456.789 MWST", "che
// 123456789 TVA", "CHE123.456.789 IVA"); "" when vat holds none or its check
// digit (eCH-0097: weights 5 4 3 2 7 6 5 4, mod 11) is wrong.
func UIDKey(vat string) string {
	s := strings.ToUpper(strings.TrimSpace(vat))
	if !strings.HasPrefix(s, "CHE") {
		return ""
	}
	var d []byte
	for i := 3; i < len(s) && len(d) < 10; i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == '-' || c == '.' || c == ' ':
		default:
			i = len(s)
		}
	}
	if len(d) != 9 {
		return ""
	}
	sum := 0
	for i, w := range []int{5, 4, 3, 2, 7, 6, 5, 4} {
		sum += int(d[i]-'0') * w
	}
	check := (11 - sum%11) % 11
	if check == 10 || int(d[8]-'0') != check {
		return ""
	}
	return "CHE" + string(d)
}

// PostalKey returns the country (CH when unset) and postal code of a, as
// "CH:8001"; "" without a postal code.
func PostalKey(a *Address) string {
	if a == nil {
		return ""
	}
	code := strings.ToUpper(strings.Join(strings.Fields(a.PostalCode), ""))
	if code == "" {
		return ""
	}
	country := strings.ToUpper(a.Country)
	if country == "" {
		country = "CH"
	}
	return country + ":" + code
}
