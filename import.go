package billbridge

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Import limits: a larger file or more rows is ETOOLARGE (413).
const (
	MaxImportBytes = 16 << 20
	MaxImportRows  = 50_000
)

// Table is a sheet read for an import: the header row and the data rows,
// every cell as text, each row at least as wide as the header. RowNumbers
// holds each data row's number in the file, as an editor or spreadsheet
// shows it (the header is usually row 1).
type Table struct {
	Header     []string
	Rows       [][]string
	RowNumbers []int
}

// Import row results.
const (
	ImportCreated = "created" // a new record
	ImportMatched = "matched" // an existing record, already equal to the row
	ImportUpdated = "updated" // an existing record, changed by the row
	ImportInvalid = "invalid" // refused, nothing written: see invalid_params
)

// headerKey folds a header for comparison: lower case, accents and ß
// expanded as in NameKey, everything but letters and digits dropped.
// "E-Mail", "e_mail" and " EMAIL " share one key.
func headerKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if s, ok := foldName[r]; ok && unicode.IsLetter(r) {
			b.WriteString(s)
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// customerHeaderAliases are the headers a customer import understands, by
// field: the export's headers in every language, and what Swiss tools
// (bexio, Abacus, Excel lists) and CRMs write.
var customerHeaderAliases = map[string][]string{
	"name": {"Company", "Company name", "Name 1", "Name1", "Nom", "Entreprise", "Société", "Raison sociale", "Firmenname",
		"Kunde", "Client", "Customer", "Customer name", "Kundenname"},
	"external_id":     {"External ID", "Externe ID", "ID externe", "CRM ID"},
	"customer_number": {"Kundennummer", "Kundennr", "Kunden-Nr", "Customer number", "Customer no", "Numéro de client", "No client", "N° client"},
	"kind":            {"Art", "Type", "Typ", "Kundenart"},
	"contact_person":  {"Kontaktperson", "Kontakt", "Ansprechpartner", "Contact", "Contact person", "Personne de contact"},
	"email":           {"E-Mail", "Mail", "E-Mail-Adresse", "Email address", "Courriel", "Adresse e-mail"},
	"phone":           {"Telefon", "Tel", "Telefonnummer", "Phone number", "Téléphone", "Tél"},
	"street":          {"Strasse", "Straße", "Street", "Rue", "Adresse", "Address"},
	"building_number": {"Hausnummer", "Hausnr", "Nr", "Building number", "House number", "Numéro", "No"},
	"postal_code":     {"PLZ", "Postleitzahl", "Postal code", "Postcode", "Zip", "Zip code", "NPA", "Code postal"},
	"city":            {"Ort", "Stadt", "City", "Town", "Localité", "Ville", "Lieu"},
	"country":         {"Land", "Country", "Pays"},
	"vat_number":      {"UID", "UID-Nr", "MWST-Nr", "MWST-Nummer", "MwSt-Nr", "UST-ID", "VAT number", "VAT", "IDE", "No TVA", "Numéro TVA", "TVA"},
	"language":        {"Sprache", "Language", "Langue", "Korrespondenzsprache"},
	"payment_terms_days": {"Zahlungsfrist", "Zahlungsfrist (Tage)", "Zahlungsziel", "Payment terms", "Payment terms (days)",
		"Délai de paiement", "Délai de paiement (jours)"},
}

// customerReadOnly are export columns an import reads past: the store sets them.
var customerReadOnly = map[string]bool{"id": true, "created_at": true, "updated_at": true}

var customerHeaders = func() map[string]string {
	m := map[string]string{}
	for _, c := range CustomerColumns {
		if customerReadOnly[c.Key] {
			continue
		}
		for _, h := range []string{c.Key, c.DE, c.FR} {
			m[headerKey(h)] = c.Key
		}
	}
	for field, aliases := range customerHeaderAliases {
		for _, a := range aliases {
			m[headerKey(a)] = field
		}
	}
	return m
}()

// CustomerImportField returns the customer field a header names ("Firma",
// "Name 1", "Company" → "name"; "PLZ", "NPA" → "postal_code"), "" when it
// names none (the column is ignored).
func CustomerImportField(header string) string {
	return customerHeaders[headerKey(header)]
}

// countryNames maps country names in German, French, Italian and English
// (folded by headerKey) to ISO 3166-1 alpha-2 codes.
var countryNames = func() map[string]string {
	m := map[string]string{}
	for code, names := range map[string][]string{
		"CH": {"Schweiz", "Suisse", "Svizzera", "Svizra", "Switzerland", "Schweizerische Eidgenossenschaft", "Confédération suisse"},
		"LI": {"Liechtenstein", "Fürstentum Liechtenstein"},
		"DE": {"Deutschland", "Allemagne", "Germania", "Germany", "BRD"},
		"AT": {"Österreich", "Oesterreich", "Autriche", "Austria"},
		"FR": {"Frankreich", "France", "Francia"},
		"IT": {"Italien", "Italie", "Italia", "Italy"},
		"NL": {"Niederlande", "Pays-Bas", "Paesi Bassi", "Netherlands", "Holland"},
		"BE": {"Belgien", "Belgique", "Belgio", "Belgium"},
		"LU": {"Luxemburg", "Luxembourg", "Lussemburgo"},
		"ES": {"Spanien", "Espagne", "Spagna", "Spain", "España"},
		"PT": {"Portugal", "Portogallo"},
		"GB": {"Vereinigtes Königreich", "Grossbritannien", "Großbritannien", "England", "Royaume-Uni", "Regno Unito", "United Kingdom", "UK", "Great Britain"},
		"IE": {"Irland", "Irlande", "Irlanda", "Ireland"},
		"US": {"USA", "Vereinigte Staaten", "États-Unis", "Stati Uniti", "United States", "United States of America"},
		"PL": {"Polen", "Pologne", "Polonia", "Poland"},
		"CZ": {"Tschechien", "Tchéquie", "Cechia", "Czechia", "Czech Republic"},
		"DK": {"Dänemark", "Danemark", "Danimarca", "Denmark"},
		"SE": {"Schweden", "Suède", "Svezia", "Sweden"},
		"NO": {"Norwegen", "Norvège", "Norvegia", "Norway"},
		"FI": {"Finnland", "Finlande", "Finlandia", "Finland"},
		"HU": {"Ungarn", "Hongrie", "Ungheria", "Hungary"},
		"SI": {"Slowenien", "Slovénie", "Slovenia"},
		"HR": {"Kroatien", "Croatie", "Croazia", "Croatia"},
		"GR": {"Griechenland", "Grèce", "Grecia", "Greece"},
		"MC": {"Monaco"},
		"SM": {"San Marino", "Saint-Marin"},
		"VA": {"Vatikanstadt", "Vatican", "Vaticano"},
		"CA": {"Kanada", "Canada"},
		"CN": {"China", "Chine", "Cina"},
		"JP": {"Japan", "Japon", "Giappone"},
	} {
		for _, n := range names {
			m[headerKey(n)] = code
		}
	}
	return m
}()

// CountryCode returns the ISO 3166-1 alpha-2 code of a country written as
// a code ("ch") or a name in German, French, Italian or English
// ("Schweiz", "Suisse" → "CH"). Anything else comes back trimmed and upper
// case, for validation to refuse.
func CountryCode(s string) string {
	if code, ok := countryNames[headerKey(s)]; ok {
		return code
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

// kindNames and languageNames map what spreadsheets write to kinds and
// language codes.
var (
	kindNames = map[string]string{
		"company": KindCompany, "firma": KindCompany, "unternehmen": KindCompany, "entreprise": KindCompany, "societe": KindCompany, "organisation": KindCompany,
		"person": KindPerson, "privat": KindPerson, "privatperson": KindPerson, "personne": KindPerson, "particulier": KindPerson, "private": KindPerson,
	}
	languageNames = map[string]string{
		"deutsch": "de", "allemand": "de", "german": "de", "tedesco": "de",
		"franzoesisch": "fr", "francais": "fr", "french": "fr", "francese": "fr",
		"italienisch": "it", "italien": "it", "italian": "it", "italiano": "it",
		"englisch": "en", "anglais": "en", "english": "en", "inglese": "en",
		"raetoromanisch": "rm", "romanche": "rm", "romansh": "rm", "rumantsch": "rm",
	}
)

// CustomerKind reads a kind written as a code or a word ("Firma",
// "Privatperson", "entreprise"); anything else comes back as written.
func CustomerKind(s string) string {
	if k, ok := kindNames[headerKey(s)]; ok {
		return k
	}
	return strings.TrimSpace(s)
}

// LanguageCode reads a language written as a code or a name ("Deutsch",
// "français"); anything else comes back trimmed and lower case.
func LanguageCode(s string) string {
	if l, ok := languageNames[headerKey(s)]; ok {
		return l
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// ImportDate reads a date cell of an import: "2026-12-01", the Swiss
// "1.12.2026" or "01.12.2026", or an Excel serial day number (an XLSX date
// cell read raw: 46357 is 2026-12-01; a time of day after the point is
// dropped). ErrDate when it is none of these, ErrDateRange outside MinDate
// and MaxDate.
func ImportDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	var t time.Time
	var err error
	switch {
	case strings.Contains(s, "-"):
		t, err = time.Parse(DateLayout, s)
	case strings.Contains(s, ".") && strings.Count(s, ".") == 2:
		t, err = time.Parse("2.1.2006", s)
	default:
		whole, _, _ := strings.Cut(s, ".")
		var n int
		if n, err = strconv.Atoi(whole); err == nil {
			if n < 61 { // Excel's serials before 1 March 1900 count a 29 February that never was
				return Date{}, ErrDateRange
			}
			t = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, min(n, 1e6))
		}
	}
	if err != nil {
		return Date{}, ErrDate
	}
	if t.Before(MinDate.Time) || t.After(MaxDate.Time) {
		return Date{}, ErrDateRange
	}
	return Date{t}, nil
}
