package actions_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// qrSettings is a valid QR-bill settings body: a QR-IBAN with QR references.
func qrSettings(edits ...any) map[string]any {
	s := map[string]any{
		"iban": "CH44 3199 9123 0008 8901 2", "reference_type": "qrr", "qrr_prefix": "310014", "language": "de",
		"billing_information": true, "vat_number": "CHE-106.017.086 MWST",
		"creditor": map[string]any{"name": "Robert Schneider AG", "street": "Rue du Lac", "building_number": "1268",
			"postal_code": "2501", "city": "Biel", "country": "CH"},
	}
	for i := 0; i+1 < len(edits); i += 2 {
		k := edits[i].(string)
		if strings.HasPrefix(k, "creditor.") {
			s["creditor"].(map[string]any)[strings.TrimPrefix(k, "creditor.")] = edits[i+1]
		} else {
			s[k] = edits[i+1]
		}
	}
	return s
}

// scorSettings uses an ordinary IBAN with creditor references.
func scorSettings(edits ...any) map[string]any {
	return qrSettings(append([]any{"iban", "CH5800791123000889012", "reference_type", "scor", "qrr_prefix", ""}, edits...)...)
}

func TestAPIQRBillSettings(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("GET is 404 until PUT sets them; PUT returns and stores them normalized", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			apitest.Problem(t, c.Do(t, "GET", "/v1/settings/qr-bill", nil), 404, billbridge.ENOTFOUND)
			var put, got billbridge.QRBillSettings
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", qrSettings("creditor.country", "ch", "language", ""), &put)
			c.Must(t, 200, "GET", "/v1/settings/qr-bill", nil, &got)
			if put.IBAN != "CH4431999123000889012" || put.Creditor.Country != "CH" || put.Language != "de" || !put.BillingInformation ||
				put.UpdatedAt.IsZero() || got != put {
				t.Fatalf("put %+v\nget %+v", put, got)
			}
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", scorSettings("language", "fr", "billing_information", false), &put)
			c.Must(t, 200, "GET", "/v1/settings/qr-bill", nil, &got)
			if got.ReferenceType != "scor" || got.Language != "fr" || got.BillingInformation || got.QRRPrefix != "" {
				t.Fatalf("replaced: %+v", got)
			}
		})

		t.Run("every QR-bill rule is a 422 naming its field, and nothing is stored", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			for _, tc := range []struct {
				name, field string
				body        map[string]any
			}{
				{"IBAN check digits", "iban", qrSettings("iban", "CH4431999123000889013")},
				{"IBAN of Germany", "iban", scorSettings("iban", "DE12500105170648489890")},
				{"QR-IBAN without QRR", "reference_type", qrSettings("reference_type", "scor", "qrr_prefix", "")},
				{"QRR without QR-IBAN", "reference_type", qrSettings("iban", "CH5800791123000889012")},
				{"EUR with QRR", "eur_iban", qrSettings("eur_iban", "CH4431999123000889012")},
				{"creditor outside the character set", "creditor.name", qrSettings("creditor.name", "Schneider 😀 AG")},
				{"creditor control character", "creditor.street", qrSettings("creditor.street", "Rue\tdu Lac")},
				{"reference type", "reference_type", qrSettings("reference_type", "esr")},
				{"language", "language", qrSettings("language", "rm")},
				{"prefix", "qrr_prefix", qrSettings("qrr_prefix", "31-0014")},
				{"UID", "vat_number", qrSettings("vat_number", "CHE-106.017.087")},
				{"creditor city missing", "creditor.city", qrSettings("creditor.city", "")},
				{"IBAN missing", "iban", qrSettings("iban", "")},
			} {
				apitest.Invalid(t, c.Do(t, "PUT", "/v1/settings/qr-bill", tc.body), tc.field)
			}
			apitest.Problem(t, c.Do(t, "GET", "/v1/settings/qr-bill", nil), 404, billbridge.ENOTFOUND)
		})

		t.Run("payment references at finalize: QRR, SCOR, none; unique, kept, searchable", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			cust := c.Customer(t, "Pia Rutschmann")
			// No settings yet: a creditor reference, which suits every IBAN.
			first := c.OpenInvoice(t, cust.ID, "100")
			if want, _ := billbridge.NewCreditorReference("INV000001"); first.PaymentReference != want {
				t.Fatalf("reference without settings: %q", first.PaymentReference)
			}
			if draft := c.Invoice(t, cust.ID, "5"); draft.PaymentReference != "" {
				t.Fatalf("a draft has reference %q", draft.PaymentReference)
			}
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", qrSettings(), nil)
			second := c.OpenInvoice(t, cust.ID, "200")
			if want, _ := billbridge.NewQRReference("31001400000000000000000002"); second.PaymentReference != want {
				t.Fatalf("QRR: %q", second.PaymentReference)
			}
			var eur billbridge.Invoice
			c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "EUR", "finalize": true,
				"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": 10, "vat_rate": 0}}}, &eur)
			if want, _ := billbridge.NewCreditorReference("INV000003"); eur.PaymentReference != want {
				t.Fatalf("EUR under qrr gets a creditor reference, got %q", eur.PaymentReference)
			}
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", scorSettings("reference_type", "non"), nil)
			if none := c.OpenInvoice(t, cust.ID, "300"); none.PaymentReference != "" {
				t.Fatalf("non: %q", none.PaymentReference)
			}
			// Settings changes never touch references already given.
			var again billbridge.Invoice
			c.Must(t, 200, "GET", "/v1/invoices/"+second.ID, nil, &again)
			if again.PaymentReference != second.PaymentReference {
				t.Fatalf("reference changed: %q → %q", second.PaymentReference, again.PaymentReference)
			}
			for _, q := range []string{second.PaymentReference, billbridge.FormatQRReference(second.PaymentReference)} {
				l := apitest.GetList[billbridge.Invoice](t, c, "/v1/invoices?payment_reference="+urlQuery(q))
				if len(l.Data) != 1 || l.Data[0].ID != second.ID {
					t.Fatalf("search %q: %+v", q, l.Data)
				}
			}
			l := apitest.GetList[billbridge.Invoice](t, c, "/v1/invoices?payment_reference="+urlQuery(strings.ToLower(billbridge.FormatCreditorReference(first.PaymentReference))))
			if len(l.Data) != 1 || l.Data[0].ID != first.ID {
				t.Fatalf("search SCOR in lower case with spaces: %+v", l.Data)
			}
			// Another account never finds it.
			other := apitest.NewClient(t, s)
			if l := apitest.GetList[billbridge.Invoice](t, other, "/v1/invoices?payment_reference="+second.PaymentReference); len(l.Data) != 0 {
				t.Fatalf("another account found %+v", l.Data)
			}
		})

		t.Run("parallel finalizes get distinct valid references", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", qrSettings(), nil)
			cust := c.Customer(t, "Parallel AG")
			const n = 12
			ids := make([]string, n)
			for i := range ids {
				ids[i] = c.Invoice(t, cust.ID, fmt.Sprint(10+i)).ID
			}
			refs := testenv.FanOut(t, n, func(i int) (string, error) {
				r := c.Do(t, "POST", "/v1/invoices/"+ids[i]+"/finalize", nil)
				if r.Status != 200 {
					return "", fmt.Errorf("finalize %s: %d %s", ids[i], r.Status, r.Body)
				}
				var inv billbridge.Invoice
				err := json.Unmarshal(r.Body, &inv)
				return inv.PaymentReference, err
			})
			seen := map[string]bool{}
			for _, r := range refs {
				if !billbridge.ValidQRReference(r) || seen[r] {
					t.Fatalf("references %v: %q invalid or repeated", refs, r)
				}
				seen[r] = true
			}
		})
	})
}

func urlQuery(s string) string { return strings.ReplaceAll(s, " ", "%20") }
