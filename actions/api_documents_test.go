package actions_test

import (
	"bytes"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/qrtest"
)

func TestAPIQRBillDocuments(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("the QR-bill in every format carries the payload of the amount due now", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			cust := c.Customer(t, "Pia Rutschmann", "address", map[string]any{"street": "Marktgasse", "building_number": "28",
				"postal_code": "9400", "city": "Rorschach", "country": "CH"})
			inv := c.OpenInvoice(t, cust.ID, "1949.75")
			apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/"+inv.ID+"/qr-bill", nil), 409, billbridge.ECONFLICT) // no settings yet
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", scorSettings(), nil)

			txt := c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID+"/qr-bill?format=txt", nil, nil)
			lines := strings.Split(string(txt.Body), "\n")
			if txt.Header.Get("Content-Type") != "text/plain; charset=utf-8" || len(lines) < 31 || lines[0] != "SPC" ||
				lines[3] != "CH5800791123000889012" || lines[18] != "1949.75" || lines[21] != "Pia Rutschmann" ||
				lines[27] != "SCOR" || lines[28] != inv.PaymentReference || lines[29] != inv.Number {
				t.Fatalf("payload %q", txt.Body)
			}
			if cd := txt.Header.Get("Content-Disposition"); cd != `inline; filename="`+inv.Number+`-qr-bill.txt"` {
				t.Errorf("Content-Disposition %q", cd)
			}
			for format, ct := range map[string]string{"pdf": "application/pdf", "svg": "image/svg+xml", "png": "image/png", "": "application/pdf"} {
				r := c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID+"/qr-bill?lang=fr&format="+format, nil, nil)
				if r.Header.Get("Content-Type") != ct || len(r.Body) < 1000 {
					t.Errorf("format %q: %s, %d bytes", format, r.Header.Get("Content-Type"), len(r.Body))
				}
			}
			r := c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID+"/qr-bill?format=png", nil, nil)
			if got := qrtest.DecodePNG(t, r.Body); got != string(txt.Body) {
				t.Fatalf("the PNG decodes to %q, want %q", got, txt.Body)
			}

			// A part payment: the bill asks for what is left.
			c.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/payments", map[string]any{"amount": "949.75"}, nil)
			txt = c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID+"/qr-bill?format=txt", nil, nil)
			if got := strings.Split(string(txt.Body), "\n")[18]; got != "1000.00" {
				t.Fatalf("amount after a part payment: %q", got)
			}
			if r := c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID+"/pdf", nil, nil); !bytes.HasPrefix(r.Body, []byte("%PDF-")) ||
				r.Header.Get("Content-Type") != "application/pdf" || r.Header.Get("Content-Disposition") != `inline; filename="`+inv.Number+`.pdf"` {
				t.Fatalf("invoice PDF: %s %q", r.Header, r.Body[:min(20, len(r.Body))])
			}
			// Paid: no bill, the PDF without a slip.
			c.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/payments", map[string]any{"amount": "1000"}, nil)
			apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/"+inv.ID+"/qr-bill", nil), 409, billbridge.ECONFLICT)
			c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID+"/pdf?lang=it", nil, nil)
		})

		t.Run("a reminder's fee is on the slip: the amount due now", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", scorSettings(), nil)
			c.Must(t, 200, "PUT", "/v1/settings/dunning", map[string]any{"interest_rate": 0,
				"levels": []map[string]any{{"level": 1, "after_days": 10, "fee": "20.00", "title": "1. Mahnung"}}}, nil)
			cust := c.Customer(t, "Mahn AG")
			var inv billbridge.Invoice
			c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "finalize": true,
				"issue_date": "2026-01-05", "due_in_days": 10,
				"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": "100.00", "vat_rate": 8.1}}}, &inv)
			// 108.10 + fee 20.00 + its VAT at 8.1 % (1.62) = 129.72.
			var r billbridge.Reminder
			c.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "post"}, &r)
			if r.Fee != 2000 || r.FeeVAT != 162 || r.Interest != 0 || r.TotalDue != 12972 {
				t.Fatalf("reminder fee %s + VAT %s + interest %s, total_due %s, want 20.00 + 1.62 + 0, 129.72", r.Fee, r.FeeVAT, r.Interest, r.TotalDue)
			}
			txt := c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID+"/qr-bill?format=txt", nil, nil)
			if got := strings.Split(string(txt.Body), "\n")[18]; got != "129.72" {
				t.Fatalf("slip amount %q, want 129.72 (invoice 108.10 and the 1. Mahnung's fee with VAT)", got)
			}
			if got := qrtest.DecodePNG(t, c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID+"/qr-bill?format=png", nil, nil).Body); got != string(txt.Body) {
				t.Fatalf("the PNG decodes to %q, want %q", got, txt.Body)
			}
			// The PDFs, read back as a customer's bank app and eye would:
			// the QR code of the rendered last page, and the slip's amount
			// as text after its Zahlteil heading.
			for _, path := range []string{"/pdf", "/qr-bill?format=pdf"} {
				t.Run("the slip of GET "+path+" asks for 129.72 in its text and QR code", func(t *testing.T) {
					pdf := c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID+path, nil, nil).Body
					if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
						t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
					}
					pages := qrtest.Rasterize(t, pdf)
					if got, _ := qrtest.Decode(t, pages[len(pages)-1]); got != string(txt.Body) {
						t.Fatalf("the PDF's QR code decodes to %q, want %q", got, txt.Body)
					}
					text := qrtest.Text(t, pdf)
					_, slip, ok := strings.Cut(text, "Zahlteil")
					if !ok || !strings.Contains(slip, "129.72") || strings.Contains(slip, "108.10") {
						t.Fatalf("the slip's text does not ask for 129.72 (and only that):\n%s", text)
					}
				})
			}
		})

		t.Run("a debtor without a complete address is left blank", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", qrSettings(), nil)
			inv := c.OpenInvoice(t, c.Customer(t, "No Address AG").ID, "10")
			txt := c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID+"/qr-bill?format=txt", nil, nil)
			lines := strings.Split(string(txt.Body), "\n")
			if strings.Join(lines[20:27], "") != "" || lines[27] != "QRR" || lines[3] != "CH4431999123000889012" {
				t.Fatalf("payload %q", txt.Body)
			}
		})

		t.Run("documents of a draft, of an unknown id or with a bad format or lang are refused as problems", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			cust := c.Customer(t, "Refused AG")
			draft := c.Invoice(t, cust.ID, "10")
			apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/"+draft.ID+"/pdf", nil), 409, billbridge.ECONFLICT) // no settings
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", qrSettings(), nil)
			apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/"+draft.ID+"/qr-bill", nil), 409, billbridge.ECONFLICT)
			apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/"+draft.ID+"/pdf", nil), 409, billbridge.ECONFLICT)
			apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/inv_nope/qr-bill", nil), 404, billbridge.ENOTFOUND)
			apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/inv_nope/pdf", nil), 404, billbridge.ENOTFOUND)
			apitest.Invalid(t, c.Do(t, "GET", "/v1/invoices/"+draft.ID+"/qr-bill?format=gif", nil), "format")
			apitest.Invalid(t, c.Do(t, "GET", "/v1/invoices/"+draft.ID+"/pdf?lang=rm", nil), "lang")
			// EUR on a QR-IBAN without eur_iban: no bill (IG 2.4), until eur_iban is set.
			var eur billbridge.Invoice
			c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "EUR", "finalize": true,
				"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": 10, "vat_rate": 0}}}, &eur)
			apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/"+eur.ID+"/qr-bill", nil), 409, billbridge.ECONFLICT)
			apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/"+eur.ID+"/pdf", nil), 409, billbridge.ECONFLICT)
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", qrSettings("eur_iban", "CH58 0079 1123 0008 8901 2"), nil)
			txt := c.Must(t, 200, "GET", "/v1/invoices/"+eur.ID+"/qr-bill?format=txt", nil, nil)
			if lines := strings.Split(string(txt.Body), "\n"); lines[3] != "CH5800791123000889012" || lines[19] != "EUR" || lines[27] != "SCOR" {
				t.Fatalf("EUR payload %q", txt.Body)
			}
			// Cancelled: the PDF still prints, without a slip; no QR-bill.
			open := c.OpenInvoice(t, cust.ID, "20")
			c.Must(t, 200, "POST", "/v1/invoices/"+open.ID+"/cancel", nil, nil)
			apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/"+open.ID+"/qr-bill", nil), 409, billbridge.ECONFLICT)
			c.Must(t, 200, "GET", "/v1/invoices/"+open.ID+"/pdf", nil, nil)
			// Another account sees nothing.
			apitest.Problem(t, apitest.NewClient(t, s).Do(t, "GET", "/v1/invoices/"+eur.ID+"/qr-bill", nil), 404, billbridge.ENOTFOUND)
		})
	})
}
