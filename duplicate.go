package billbridge

import (
	"strings"
	"unicode"
)

// Reasons a pair of customers may be one, as Score reports them.
const (
	ReasonSameUID             = "same_uid"             // the same Swiss UID (CHE…)
	ReasonSameName            = "same_name"            // equal NameKey
	ReasonSimilarName         = "similar_name"         // Jaro-Winkler of the name keys ≥ 0.92
	ReasonSamePostalCode      = "same_postal_code"     // same country and postal code
	ReasonSameEmailDomain     = "same_email_domain"    // same email domain, free-mail ignored
	ReasonSimilarEmail        = "similar_email"        // local parts' Jaro-Winkler ≥ 0.93 on one domain, the same numbers
	ReasonSamePhone           = "same_phone"           // the same number in E.164
	ReasonDifferentForm       = "different_legal_form" // AG vs GmbH: maybe two companies
	ReasonDifferentPostalCode = "different_postal_code"
)

// Match is how alike two customers are: Score from 0 to 1 and the reasons.
type Match struct {
	Score   float64  `json:"score" minimum:"0" maximum:"1" example:"0.95"`
	Reasons []string `json:"reasons" enums:"same_uid,same_name,similar_name,same_postal_code,same_email_domain,similar_email,same_phone,different_legal_form,different_postal_code" example:"same_name,same_postal_code"`
}

// Thresholds of Score.
const (
	// SimilarName is the Jaro-Winkler of two name keys from which they count
	// as similar.
	SimilarName = 0.92
	// SimilarEmail is the Jaro-Winkler of two local parts from which they
	// count as similar (on the same domain).
	SimilarEmail = 0.93
	// DefaultMinScore is the score from which a pair is a possible duplicate.
	DefaultMinScore = 0.85
	// capDifferentForm caps pairs whose legal forms differ: suggested, never
	// certain.
	capDifferentForm = 0.85
)

// Score says how likely a and b are one customer. It is symmetric and the
// highest of these rules (0 when none holds):
//
//	same UID                                        1.00
//	same name key and same postal code or domain    0.95
//	same phone and same or similar name             0.95
//	similar name and same postal code or domain     0.90
//	same name key                                   0.85 (0.75 when the postal codes differ)
//	similar local part on the same email domain     0.85
//	similar name, or same phone alone               0.80
//
// Names that differ in a number ("Filiale 12", "Filiale 13") are never
// similar, nor email local parts (buchhaltung.0001, buchhaltung.0002). A person is never matched to a company and two different UIDs are two
// legal entities: both score 0. When both names carry legal forms of
// different classes (AG and GmbH) the score is capped at 0.85: such a pair
// is suggested, never certain. Score is exact evidence for the same UID
// only; automatic merging never relies on the other rules.
func Score(a, b CustomerKeys) Match {
	if kindOf(a.Kind) != kindOf(b.Kind) || a.UID != "" && b.UID != "" && a.UID != b.UID {
		return Match{}
	}
	var m Match
	reason := func(ok bool, r string) bool {
		if ok {
			m.Reasons = append(m.Reasons, r)
		}
		return ok
	}
	rule := func(ok bool, score float64) {
		if ok && score > m.Score {
			m.Score = score
		}
	}
	uid := reason(a.UID != "" && a.UID == b.UID, ReasonSameUID)
	sameName := reason(a.Name != "" && (a.Name == b.Name || a.NameCompact == b.NameCompact), ReasonSameName)
	similarName := !sameName && reason(a.Name != "" && b.Name != "" && sameNumbers(a.Name, b.Name) &&
		JaroWinkler(a.Name, b.Name) >= SimilarName, ReasonSimilarName)
	postal := reason(a.PostalCode != "" && a.PostalCode == b.PostalCode, ReasonSamePostalCode)
	otherPostal := reason(a.PostalCode != "" && b.PostalCode != "" && a.PostalCode != b.PostalCode, ReasonDifferentPostalCode)
	domain := reason(a.EmailDomain != "" && a.EmailDomain == b.EmailDomain, ReasonSameEmailDomain)
	email := domain && reason(similarLocal(a.Email, b.Email), ReasonSimilarEmail)
	phone := reason(a.Phone != "" && a.Phone == b.Phone, ReasonSamePhone)

	rule(uid, 1)
	rule(sameName && (postal || domain), 0.95)
	rule(phone && (sameName || similarName), 0.95)
	rule(similarName && (postal || domain), 0.90)
	rule(sameName && !otherPostal, 0.85)
	rule(sameName && otherPostal, 0.75)
	rule(email, 0.85)
	rule(similarName || phone, 0.80)
	if m.Score == 0 {
		return Match{}
	}
	if !uid && a.LegalForm != "" && b.LegalForm != "" && a.LegalForm != b.LegalForm {
		m.Reasons = append(m.Reasons, ReasonDifferentForm)
		m.Score = min(m.Score, capDifferentForm)
	}
	return m
}

// sameNumbers reports whether two name keys or email local parts carry the
// same tokens (runs of letters and digits) with digits: "Filiale 12" and
// "Filiale 13", "Kunde 0001" and "Kunde 0002" are never similar names, nor
// buchhaltung.0001@ and buchhaltung.0002@ similar mailboxes.
func sameNumbers(a, b string) bool {
	for {
		na, restA := nextNumber(a)
		nb, restB := nextNumber(b)
		if na != nb {
			return false
		}
		if na == "" {
			return true
		}
		a, b = restA, restB
	}
}

// nextNumber returns the first token of s (a run of letters and digits)
// that holds a digit 0-9, and what follows it; "" when there is none. It
// allocates nothing: a write scores up to MaxDuplicateCandidates pairs.
func nextNumber(s string) (token, rest string) {
	separator := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	for {
		start := strings.IndexFunc(s, func(r rune) bool { return !separator(r) })
		if start < 0 {
			return "", ""
		}
		s = s[start:]
		end := strings.IndexFunc(s, separator)
		if end < 0 {
			end = len(s)
		}
		if strings.ContainsAny(s[:end], "0123456789") {
			return s[:end], s[end:]
		}
		s = s[end:]
	}
}

// kindOf is a customer's kind, company when unset.
func kindOf(kind string) string {
	if kind == KindPerson {
		return KindPerson
	}
	return KindCompany
}

// similarLocal reports whether two email keys' local parts are similar:
// numbered mailboxes (info1@, info2@) are not.
func similarLocal(a, b string) bool {
	la, _, _ := strings.Cut(a, "@")
	lb, _, _ := strings.Cut(b, "@")
	return la != "" && lb != "" && sameNumbers(la, lb) && JaroWinkler(la, lb) >= SimilarEmail
}
