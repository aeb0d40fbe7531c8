package billbridge

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NameKey returns the match key of a customer name: case-folded, umlauts
// expanded (ä→ae) and accents dropped, punctuation dropped, dotted
// abbreviations joined ("S.à r.l." → "sarl"), "&", "und", "et" and "and" one
// token, legal forms dropped at any position, multi-word ones too
// ("Aktiengesellschaft", "GmbH & Co. KG", "société anonyme",
// "Genossenschaft", "coopérative"), "in Liquidation" / "i.L." dropped, an
// "and" left dangling by a dropped form dropped, tokens sorted. "Dupont
// GmbH", "GmbH  Dupont" and "Dupont Sàrl" share one key. Legal forms are not
// lost: LegalForm tells them apart, and Score uses it. It finds candidates;
// it never merges customers by itself.
func NameKey(name string) string {
	return nameTokens(name).joined()
}

// joined is the name key: the sorted kept tokens joined by spaces.
func (k nameKey) joined() string { return strings.Join(k.key, " ") }

// LegalForm returns the class of the legal form a company name carries
// ("ag" for AG, SA, Aktiengesellschaft, société anonyme, SpA; "gmbh" for
// GmbH, Sàrl, Sagl, Srl; "kg", "coop", "foundation", "association", "ltd",
// "inc", "llc"), the last one when several are named ("GmbH & Co. KG" is a
// "kg"), "" when none.
func LegalForm(name string) string {
	return nameTokens(name).form
}

type nameKey struct {
	key     []string // sorted
	compact string   // the kept tokens in their order, without spaces
	form    string
}

// NameCompact returns the tokens of NameKey in the name's order, without
// spaces: "Ristorante Bella Vista" and "Ristorante Bellavista" share it.
func NameCompact(name string) string {
	return nameTokens(name).compact
}

// legalPhrases maps legal forms, as token sequences of the folded name, to
// their class. Longer phrases are tried first.
var legalPhrases = func() [][2][]string {
	m := map[string]string{
		"ag": "ag", "sa": "ag", "aktiengesellschaft": "ag", "societe anonyme": "ag", "societa anonima": "ag", "spa": "ag",
		"gmbh": "gmbh", "sarl": "gmbh", "sagl": "gmbh", "srl": "gmbh", "gesellschaft mit beschraenkter haftung": "gmbh",
		"societe a responsabilite limitee": "gmbh", "societa a garanzia limitata": "gmbh", "societa a responsabilita limitata": "gmbh",
		"kg": "kg", "klg": "kg", "kmg": "kg", "kgaa": "kg", "ohg": "kg", "snc": "kg", "kollektivgesellschaft": "kg", "kommanditgesellschaft": "kg",
		"genossenschaft": "coop", "cooperative": "coop", "cooperativa": "coop", "societe cooperative": "coop", "societa cooperativa": "coop",
		"stiftung": "foundation", "fondation": "foundation", "fondazione": "foundation",
		"verein": "association",
		"ltd":    "ltd", "limited": "ltd", "plc": "ltd", "inc": "inc", "corp": "inc", "incorporated": "inc", "llc": "llc",
		"co": "",
	}
	var out [][2][]string
	for phrase, class := range m {
		out = append(out, [2][]string{strings.Fields(phrase), {class}})
	}
	slices.SortFunc(out, func(a, b [2][]string) int { return len(b[0]) - len(a[0]) })
	return out
}()

// liquidation are the "in liquidation" markers, dropped at the end of a name.
var liquidation = [][]string{{"in", "liquidation"}, {"in", "liq"}, {"en", "liquidation"}, {"in", "liquidazione"}, {"il"}}

// foldName maps letters a match key spells differently.
var foldName = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss", 'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'å': "a", 'æ': "ae",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ø': "o", 'œ': "oe",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ç': "c", 'ñ': "n", 'ÿ': "y",
	'&': " and ", '+': " and ",
}

// nameTokens folds name into tokens, joins runs of single letters ("s a r
// l" → "sarl", from "S.à r.l."), and drops legal forms and liquidation
// markers.
func nameTokens(name string) nameKey {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch s, ok := foldName[r]; {
		case ok:
			b.WriteString(s)
		case r == '\'' || r == '’':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	tokens := joinInitials(strings.Fields(b.String()))
	for i, t := range tokens {
		if t == "und" || t == "et" {
			tokens[i] = "and"
		}
	}
	for _, m := range liquidation {
		if len(tokens) > len(m) && slices.Equal(tokens[len(tokens)-len(m):], m) {
			tokens = tokens[:len(tokens)-len(m)]
			break
		}
	}
	var out nameKey
	var kept []string
	dropped := false
	for i := 0; i < len(tokens); {
		if class, n := legalAt(tokens[i:]); n > 0 {
			if class != "" {
				out.form = class
			}
			i += n
			dropped = true
			continue
		}
		kept = append(kept, tokens[i])
		i++
	}
	if dropped {
		kept = trimAnd(kept)
	}
	if len(kept) == 0 {
		kept = tokens
	}
	out.compact = strings.Join(kept, "")
	slices.Sort(kept)
	out.key = kept
	return out
}

// joinInitials joins runs of single letters into one token: "s a r l"
// (from "S.à r.l.") becomes "sarl", "a g" becomes "ag".
func joinInitials(fields []string) []string {
	var out []string
	run := false // the last token of out is a run of single letters
	for _, t := range fields {
		single := utf8.RuneCountInString(t) == 1 && unicode.IsLetter([]rune(t)[0])
		if single && run {
			out[len(out)-1] += t
			continue
		}
		out = append(out, t)
		run = single
	}
	return out
}

// legalAt returns the class and length of the legal form tokens start with.
func legalAt(tokens []string) (string, int) {
	for _, p := range legalPhrases {
		if len(tokens) >= len(p[0]) && slices.Equal(tokens[:len(p[0])], p[0]) {
			return p[1][0], len(p[0])
		}
	}
	return "", 0
}

// trimAnd drops "and" at either end and doubled, left by a dropped form.
func trimAnd(tokens []string) []string {
	var out []string
	for _, t := range tokens {
		if t == "and" && (len(out) == 0 || out[len(out)-1] == "and") {
			continue
		}
		out = append(out, t)
	}
	for len(out) > 0 && out[len(out)-1] == "and" {
		out = out[:len(out)-1]
	}
	return out
}
