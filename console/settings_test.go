package console_test

import (
	"net/http"
	"net/url"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
)

// TestConsoleDunning: the dunning form shows the ladder and stores what PUT
// /v1/settings/dunning would (a level added in an empty row, reminders
// switched off), refuses what it refuses naming the field without writing,
// needs the CSRF token and leaves other accounts alone.
func TestConsoleDunning(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		b := newBrowser(t, s)
		b.signIn(t, s.Key)
		want(t, "defaults", b.get(t, "/console/dunning"), 200, `name="levels[3].title" type="text" maxlength="100" value="letzte Mahnung"`,
			`name="interest_rate" type="text" inputmode="decimal" value="5"`, `name="enabled" type="checkbox" value="on" checked`, `href="/console/dunning" aria-current="page"`)
		form := url.Values{"interest_rate": {"4.5"}, "pay_within_days": {"14"}}
		for i, l := range [][3]string{{"10", "", "Zahlungserinnerung"}, {"15", "20", "1. Mahnung"}, {"15", "30.50", "2. Mahnung"}, {"15", "", "letzte Mahnung"}, {"20", "50", "Betreibung"}} {
			p := "levels[" + string(rune('0'+i)) + "]."
			form.Set(p+"after_days", l[0])
			form.Set(p+"fee", l[1])
			form.Set(p+"title", l[2])
		}
		p := b.post(t, "/console/dunning", "/console/dunning", form)
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/console/dunning?done=dunning_saved" {
			t.Fatalf("save: %d %q %s", p.Status, p.Header.Get("Location"), p.Body)
		}
		var got billbridge.DunningSettings
		s.Must(t, 200, "GET", "/v1/settings/dunning", s.Key, nil).Decode(t, &got)
		if got.Enabled || len(got.Levels) != 5 || got.Levels[1].Fee != 2000 || got.Levels[2].Fee != 3050 || got.Levels[4] != (billbridge.DunningLevel{Level: 5, AfterDays: 20, Fee: 5000, Title: "Betreibung"}) ||
			got.InterestRate != 450 || got.PayWithinDays != 14 || got.UpdatedAt == nil {
			t.Errorf("stored %+v", got)
		}
		want(t, "after save", b.get(t, "/console/dunning?done=dunning_saved"), 200, "The dunning settings are saved.", `value="Betreibung"`, `value="30.50"`)

		bad := func(k, v string) url.Values {
			f := url.Values{}
			for fk, fv := range form {
				f[fk] = fv
			}
			f.Set(k, v)
			return f
		}
		want(t, "after_days out of range", b.post(t, "/console/dunning", "/console/dunning", bad("levels[1].after_days", "400")), 422, "levels[1].after_days", `value="400"`)
		want(t, "fee not a number", b.post(t, "/console/dunning", "/console/dunning", bad("levels[2].fee", "zehn")), 422, "levels[2].fee")
		want(t, "interest too high", b.post(t, "/console/dunning", "/console/dunning", bad("interest_rate", "31")), 422, "interest_rate")
		want(t, "no payment period", b.post(t, "/console/dunning", "/console/dunning", bad("pay_within_days", "")), 422, "pay_within_days")
		noCSRF := bad("pay_within_days", "30")
		noCSRF.Del("csrf")
		want(t, "without CSRF", b.do(t, "POST", "/console/dunning", noCSRF), 403)
		var after billbridge.DunningSettings
		s.Must(t, 200, "GET", "/v1/settings/dunning", s.Key, nil).Decode(t, &after)
		if after.PayWithinDays != 14 || after.Levels[1].AfterDays != 15 || after.InterestRate != 450 || !after.UpdatedAt.Equal(*got.UpdatedAt) {
			t.Errorf("a refused form wrote: %+v", after)
		}

		_, otherKey := s.NewAccount("Other AG")
		var other billbridge.DunningSettings
		s.Must(t, 200, "GET", "/v1/settings/dunning", otherKey, nil).Decode(t, &other)
		if !other.Enabled || len(other.Levels) != 4 || other.UpdatedAt != nil {
			t.Errorf("another account's settings changed: %+v", other)
		}
	})
}

// qrForm is a valid QR-bill settings form; edits are name, value pairs.
func qrForm(edits ...string) url.Values {
	f := url.Values{"iban": {"CH44 3199 9123 0008 8901 2"}, "reference_type": {"qrr"}, "qrr_prefix": {"310014"}, "language": {"fr"},
		"billing_information": {"on"}, "vat_number": {"CHE-106.017.086 MWST"}, "creditor.name": {"Robert Schneider AG"},
		"creditor.street": {"Rue du Lac"}, "creditor.building_number": {"1268"}, "creditor.postal_code": {"2501"},
		"creditor.city": {"Biel"}, "creditor.country": {"ch"}}
	for i := 0; i+1 < len(edits); i += 2 {
		f.Set(edits[i], edits[i+1])
	}
	return f
}

// TestConsoleQRBill: the QR-bill form starts empty, stores what PUT
// /v1/settings/qr-bill would, refuses what it refuses naming the field
// without writing, needs the CSRF token and leaves other accounts alone.
func TestConsoleQRBill(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		b := newBrowser(t, s)
		b.signIn(t, s.Key)
		want(t, "not set yet", b.get(t, "/console/qr-bill"), 200, `name="iban" type="text" maxlength="42" value=""`, `<option value="de" selected>`, `href="/console/qr-bill" aria-current="page"`)
		p := b.post(t, "/console/qr-bill", "/console/qr-bill", qrForm())
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/console/qr-bill?done=qrbill_saved" {
			t.Fatalf("save: %d %q %s", p.Status, p.Header.Get("Location"), p.Body)
		}
		var got billbridge.QRBillSettings
		s.Must(t, 200, "GET", "/v1/settings/qr-bill", s.Key, nil).Decode(t, &got)
		if got.IBAN != "CH4431999123000889012" || got.ReferenceType != "qrr" || got.QRRPrefix != "310014" || got.Language != "fr" || !got.BillingInformation ||
			got.Creditor.Name != "Robert Schneider AG" || got.Creditor.Address.Country != "CH" || got.Creditor.Address.BuildingNumber != "1268" || got.UpdatedAt.IsZero() {
			t.Errorf("stored %+v", got)
		}
		want(t, "after save", b.get(t, "/console/qr-bill?done=qrbill_saved"), 200, "The QR-bill settings are saved.", `value="CH4431999123000889012"`,
			`<option value="qrr" selected>`, `<option value="fr" selected>`, `value="on" checked`)

		want(t, "check digits", b.post(t, "/console/qr-bill", "/console/qr-bill", qrForm("iban", "CH45 3199 9123 0008 8901 2")), 422, "iban", "check digits")
		want(t, "qrr without a QR-IBAN", b.post(t, "/console/qr-bill", "/console/qr-bill", qrForm("iban", "CH58 0079 1123 0008 8901 2")), 422, "reference_type")
		want(t, "no creditor name", b.post(t, "/console/qr-bill", "/console/qr-bill", qrForm("creditor.name", " ")), 422, "creditor.name")
		want(t, "bad UID", b.post(t, "/console/qr-bill", "/console/qr-bill", qrForm("vat_number", "CHE-106.017.087 MWST")), 422, "vat_number", `value="CHE-106.017.087 MWST"`)
		want(t, "without CSRF", b.do(t, "POST", "/console/qr-bill", qrForm("language", "en")), 403)
		var after billbridge.QRBillSettings
		s.Must(t, 200, "GET", "/v1/settings/qr-bill", s.Key, nil).Decode(t, &after)
		if after.IBAN != got.IBAN || after.Language != "fr" || after.VATNumber != got.VATNumber || !after.UpdatedAt.Equal(got.UpdatedAt) {
			t.Errorf("a refused form wrote: %+v", after)
		}

		_, otherKey := s.NewAccount("Other AG")
		s.Must(t, 404, "GET", "/v1/settings/qr-bill", otherKey, nil)
	})
}
