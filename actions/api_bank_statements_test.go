package actions_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
	"billbridge/internal/web"
)

// upload posts a bank file as the multipart field "file".
func uploadStatement(t *testing.T, c *apitest.Client, file []byte) *apitest.Response {
	t.Helper()
	body, ct := apitest.Multipart("file", "camt054.xml", file)
	return c.Do(t, "POST", "/v1/bank-statements", body, "Content-Type", ct)
}

// imported uploads a bank file and decodes the report, failing unless 200.
func importStatement(t *testing.T, c *apitest.Client, file []byte) actions.StatementReport {
	t.Helper()
	r := uploadStatement(t, c, file)
	if r.Status != 200 {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var rep actions.StatementReport
	r.Decode(t, &rep)
	return rep
}

func refsOf(lines []actions.StatementLine) []string {
	out := []string{}
	for _, l := range lines {
		out = append(out, l.EntryReference)
	}
	return out
}

func TestAPIBankStatements(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("each credit naming an invoice's reference pays it once; the same file again records nothing", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", qrSettings(), nil)
			cust := c.Customer(t, "Pia Rutschmann").ID
			full, part, cancelled := c.OpenInvoice(t, cust, "1949.75"), c.OpenInvoice(t, cust, "100"), c.OpenInvoice(t, cust, "5")
			c.Must(t, 200, "POST", "/v1/invoices/"+cancelled.ID+"/cancel", nil, nil)
			other := apitest.NewClient(t, s) // another account's reference is no invoice of this one
			other.Must(t, 200, "PUT", "/v1/settings/qr-bill", qrSettings(), nil)
			var foreign billbridge.Invoice
			for range 4 { // its fourth reference is one this account never gave
				foreign = other.OpenInvoice(t, other.Customer(t, "Foreign AG").ID, "10")
			}
			spaced := part.PaymentReference[:2] + " " + part.PaymentReference[2:7] + " " + part.PaymentReference[7:]
			file := apitest.Camt054("MSG-1",
				apitest.Credit{Ref: "B-1", Reference: full.PaymentReference, Amount: "1949.75"},
				apitest.Credit{Ref: "B-2", Reference: spaced, Amount: "40.00"},
				apitest.Credit{Ref: "B-3", Reference: part.PaymentReference, Amount: "70.00"},
				apitest.Credit{Ref: "B-4", Reference: "RF18539007547034", Amount: "12.00"},
				apitest.Credit{Ref: "B-5", Amount: "13.00"},
				apitest.Credit{Ref: "B-6", Reference: part.PaymentReference, Amount: "1.00", Currency: "EUR"},
				apitest.Credit{Ref: "B-7", Reference: cancelled.PaymentReference, Amount: "5.00"},
				apitest.Credit{Ref: "B-8", Reference: foreign.PaymentReference, Amount: "10.00"},
				apitest.Credit{Ref: "B-9", Reference: full.PaymentReference, Amount: "99.00", Debit: true},
			)
			before := apitest.CountRows(t, c)
			rep := importStatement(t, c, file)
			if rep.Kind != "camt.054" || rep.MessageID != "MSG-1" || rep.Ignored != 1 ||
				!slices.Equal(refsOf(rep.Matched), []string{"B-1", "B-2"}) || !slices.Equal(refsOf(rep.Overpaid), []string{"B-3"}) ||
				!slices.Equal(refsOf(rep.Unmatched), []string{"B-4", "B-5", "B-6", "B-7", "B-8"}) || len(rep.AlreadyRecorded) != 0 {
				t.Fatalf("report %+v", rep)
			}
			if m := rep.Matched[0]; m.InvoiceID != full.ID || m.InvoiceNumber != full.Number || m.PaymentID == "" || m.Amount != 194975 || m.DebtorName != "Pia Rutschmann" {
				t.Errorf("matched %+v", m)
			}
			// B-3 brings 70.00 where 60.00 is left: a payment of 60.00 pays the invoice, 10.00 is surplus.
			if o := rep.Overpaid[0]; o.InvoiceID != part.ID || o.AmountDue == nil || *o.AmountDue != 6000 || o.Surplus == nil ||
				*o.Surplus != 1000 || o.Amount != 7000 || o.PaymentID == "" || o.Reason != "" {
				t.Errorf("overpaid %+v", o)
			}
			var reasons []string
			for _, u := range rep.Unmatched {
				reasons = append(reasons, u.Reason)
			}
			if want := []string{billbridge.UnmatchedNoInvoice, billbridge.UnmatchedNoReference, billbridge.UnmatchedCurrency,
				billbridge.UnmatchedNotPayable, billbridge.UnmatchedNoInvoice}; !slices.Equal(reasons, want) {
				t.Errorf("reasons %v, want %v", reasons, want)
			}

			var got billbridge.Invoice
			c.Must(t, 200, "GET", "/v1/invoices/"+full.ID, nil, &got)
			if got.Status != billbridge.StatusPaid || got.AmountDue != 0 {
				t.Errorf("full: %s, due %s", got.Status, got.AmountDue)
			}
			c.Must(t, 200, "GET", "/v1/invoices/"+part.ID, nil, &got)
			if got.Status != billbridge.StatusPaid || got.AmountDue != 0 || got.AmountPaid != 10000 {
				t.Errorf("part: %s, due %s, paid %s", got.Status, got.AmountDue, got.AmountPaid)
			}
			pays := apitest.GetList[billbridge.Payment](t, c, "/v1/invoices/"+part.ID+"/payments")
			if len(pays.Data) != 2 || pays.Data[1].ExternalID != "B-2" || pays.Data[1].PaidAt.String() != "2026-11-28" ||
				pays.Data[1].Method != "bank_transfer" || pays.Data[1].Reference != part.PaymentReference || pays.Data[1].Amount != 4000 ||
				pays.Data[0].ExternalID != "B-3" || pays.Data[0].Amount != 6000 || pays.Data[0].ID != rep.Overpaid[0].PaymentID {
				t.Errorf("payments of part: %+v", pays.Data)
			}
			after := apitest.CountRows(t, c)
			if after.Events != before.Events+5 { // three payment.received, two invoice.paid
				t.Errorf("events %d → %d, want 5 more", before.Events, after.Events)
			}
			if n := len(apitest.GetList[billbridge.Event](t, c, "/v1/events?type=invoice.paid").Data); n != 2 {
				t.Errorf("%d invoice.paid events", n)
			}

			again := importStatement(t, c, file)
			if len(again.Matched) != 0 || !slices.Equal(refsOf(again.AlreadyRecorded), []string{"B-1", "B-2", "B-3"}) ||
				len(again.Overpaid) != 0 || len(again.Unmatched) != 5 {
				t.Fatalf("again: %+v", again)
			}
			if a := again.AlreadyRecorded[1]; a.PaymentID != rep.Matched[1].PaymentID || a.InvoiceID != part.ID || a.Surplus != nil {
				t.Errorf("already recorded %+v, want payment %s", a, rep.Matched[1].PaymentID)
			}
			if a := again.AlreadyRecorded[2]; a.PaymentID != rep.Overpaid[0].PaymentID || a.Surplus == nil || *a.Surplus != 1000 {
				t.Errorf("already recorded overpaid credit %+v, want payment %s and surplus 10.00", a, rep.Overpaid[0].PaymentID)
			}
			if rows := apitest.CountRows(t, c); rows.Events != after.Events {
				t.Errorf("the same file again appended %d events", rows.Events-after.Events)
			}
			if n := len(apitest.GetList[billbridge.Payment](t, c, "/v1/invoices/"+part.ID+"/payments").Data); n != 2 {
				t.Errorf("%d payments after the second import", n)
			}
			// A payment recorded by hand with the bank's reference is not counted again.
			hand := c.OpenInvoice(t, cust, "60")
			c.Must(t, 201, "POST", "/v1/invoices/"+hand.ID+"/payments", map[string]any{"amount": "60", "external_id": "B-10"}, nil)
			// A new credit for an invoice paid already books nothing: unmatched, invoice_paid.
			last := importStatement(t, c, apitest.Camt054("MSG-2", apitest.Credit{Ref: "B-10", Reference: hand.PaymentReference, Amount: "60.00"},
				apitest.Credit{Ref: "B-11", Reference: full.PaymentReference, Amount: "1949.75"}))
			if !slices.Equal(refsOf(last.AlreadyRecorded), []string{"B-10"}) || len(last.Matched)+len(last.Overpaid) != 0 ||
				!slices.Equal(refsOf(last.Unmatched), []string{"B-11"}) || last.Unmatched[0].Reason != billbridge.UnmatchedPaid ||
				last.Unmatched[0].InvoiceID != full.ID || last.Unmatched[0].PaymentID != "" {
				t.Errorf("hand-recorded and paid: %+v", last)
			}
			if n := len(apitest.GetList[billbridge.Payment](t, c, "/v1/invoices/"+full.ID+"/payments").Data); n != 1 {
				t.Errorf("%d payments of the paid invoice", n)
			}
		})

		t.Run("a bank file over 1 MiB is read; over 20 MiB is 413 and changes nothing", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", qrSettings(), nil)
			cust := c.Customer(t, "Gross AG").ID
			var credits []apitest.Credit
			var invs []billbridge.Invoice
			for i := range 3 {
				inv := c.OpenInvoice(t, cust, "100")
				invs = append(invs, inv)
				credits = append(credits, apitest.Credit{Ref: fmt.Sprintf("L-%d", i), Reference: inv.PaymentReference, Amount: "100.00"})
			}
			// A month of card settlements and standing orders: debits, which the import counts as ignored.
			const debits = 3000
			for i := range debits {
				credits = append(credits, apitest.Credit{Ref: fmt.Sprintf("D-%05d", i), Amount: "12.30", Debit: true})
			}
			slices.Reverse(credits) // the credits come last, after megabytes of entries
			file := apitest.Camt054("MSG-LARGE", credits...)
			if len(file) <= web.MaxBodyBytes {
				t.Fatalf("the generated file is %d bytes, want more than the 1 MiB of other routes", len(file))
			}
			rep := importStatement(t, c, file)
			if len(rep.Matched) != 3 || rep.Ignored != debits || len(rep.Unmatched)+len(rep.Overpaid)+len(rep.AlreadyRecorded) != 0 {
				t.Fatalf("report of a %d-byte file: %d matched, %d ignored, %d unmatched", len(file), len(rep.Matched), rep.Ignored, len(rep.Unmatched))
			}
			for _, inv := range invs {
				c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID, nil, &inv)
				if inv.Status != billbridge.StatusPaid {
					t.Errorf("invoice %s: %s", inv.ID, inv.Status)
				}
			}
			if again := importStatement(t, c, file); len(again.AlreadyRecorded) != 3 || len(again.Matched) != 0 {
				t.Errorf("the large file again: %d already recorded, %d matched", len(again.AlreadyRecorded), len(again.Matched))
			}

			other := c.OpenInvoice(t, cust, "100")
			huge := apitest.Camt054("MSG-HUGE", apitest.Credit{Ref: "H-1", Reference: other.PaymentReference, Amount: "100.00"})
			huge = append(huge, bytes.Repeat([]byte("\n"), billbridge.MaxBankFileBytes)...)
			before := apitest.CountRows(t, c)
			body, ct := apitest.Multipart("file", "camt054.xml", huge)
			apitest.Problem(t, c.Do(t, "POST", "/v1/bank-statements", body, "Content-Type", ct), 413, billbridge.ETOOLARGE)
			if rows := apitest.CountRows(t, c); rows != before {
				t.Fatalf("413 wrote: %+v → %+v", before, rows)
			}
			// Other routes keep their 1 MiB limit.
			apitest.Problem(t, c.Do(t, "POST", "/v1/customers", `{"name":"`+strings.Repeat("x", 1<<20)+`"}`), 413, billbridge.ETOOLARGE)
		})

		t.Run("a file that cannot be read changes nothing and names the field", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			c.Must(t, 200, "PUT", "/v1/settings/qr-bill", qrSettings(), nil)
			inv := c.OpenInvoice(t, c.Customer(t, "Bomb AG").ID, "10")
			good := string(apitest.Camt054("MSG-X", apitest.Credit{Ref: "X-1", Reference: inv.PaymentReference, Amount: "10.00"}))
			before := apitest.CountRows(t, c)
			for name, file := range map[string]string{
				"billion laughs":  `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>` + good[len(`<?xml version="1.0" encoding="UTF-8"?>`):],
				"external entity": `<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` + good[len(`<?xml version="1.0" encoding="UTF-8"?>`):],
				"truncated":       good[:len(good)-40],
				"a pain.001":      `<Document><CstmrCdtTrfInitn/></Document>`,
			} {
				if p := apitest.Invalid(t, uploadStatement(t, c, []byte(file)), "file"); p.Detail == "" {
					t.Errorf("%s: no detail", name)
				}
			}
			body, ct := apitest.Multipart("statement", "camt.xml", []byte(good))
			apitest.Invalid(t, c.Do(t, "POST", "/v1/bank-statements", body, "Content-Type", ct), "file")
			apitest.Problem(t, c.Do(t, "POST", "/v1/bank-statements", good, "Content-Type", "application/xml"), 400, billbridge.EMALFORMED)
			if rows := apitest.CountRows(t, c); rows != before {
				t.Fatalf("rows %+v → %+v", before, rows)
			}
			c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID, nil, &inv)
			if inv.Status != billbridge.StatusOpen {
				t.Fatalf("status %s", inv.Status)
			}
		})
	})
}

// TestAPIBankStatementsConcurrent: the same credits uploaded at once by many
// clients, in files listing them in opposite orders, are each counted
// exactly once; the replies together match each credit once, and the one
// overpaying credit pays its invoice once, its surplus in every reply.
func TestAPIBankStatementsConcurrent(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		c.Must(t, 200, "PUT", "/v1/settings/qr-bill", qrSettings(), nil)
		cust := c.Customer(t, "Racer AG").ID
		const invoices, uploads = 8, 16
		var credits []apitest.Credit
		ids := map[string]string{}
		for i := range invoices {
			inv := c.OpenInvoice(t, cust, "100")
			ref := fmt.Sprintf("R-%d", i)
			ids[ref] = inv.ID
			// Two part payments per invoice, so the second must see the first.
			credits = append(credits, apitest.Credit{Ref: ref + "a", Reference: inv.PaymentReference, Amount: "30.00"},
				apitest.Credit{Ref: ref + "b", Reference: inv.PaymentReference, Amount: "70.00"})
		}
		over := c.OpenInvoice(t, cust, "100")
		credits = append(credits, apitest.Credit{Ref: "O-1", Reference: over.PaymentReference, Amount: "120.00"})
		reversed := slices.Clone(credits)
		slices.Reverse(reversed)
		files := [][]byte{apitest.Camt054("MSG-F", credits...), apitest.Camt054("MSG-R", reversed...)}
		before := apitest.CountRows(t, c)
		replies := testenv.FanOut(t, uploads, func(i int) (apiReply, error) {
			body, ct := apitest.Multipart("file", "camt054.xml", files[i%2])
			return apiSendRaw(c, "POST", "/v1/bank-statements", ct, body)
		})
		matched, overpaid := map[string]int{}, 0
		for _, r := range replies {
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			var rep actions.StatementReport
			if err := json.Unmarshal(r.body, &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Matched)+len(rep.AlreadyRecorded)+len(rep.Overpaid) != 2*invoices+1 || len(rep.Unmatched) != 0 {
				t.Fatalf("report %s", r.body)
			}
			for _, l := range append(slices.Clone(rep.Overpaid), rep.AlreadyRecorded...) {
				if l.EntryReference == "O-1" && (l.Surplus == nil || *l.Surplus != 2000 || l.InvoiceID != over.ID) {
					t.Errorf("overpaying credit %+v, want surplus 20.00", l)
				}
			}
			overpaid += len(rep.Overpaid)
			for _, m := range rep.Matched {
				matched[m.EntryReference]++
			}
		}
		if len(matched) != 2*invoices {
			t.Fatalf("matched %v, want every credit once", matched)
		}
		for ref, n := range matched {
			if n != 1 {
				t.Errorf("%s matched %d times", ref, n)
			}
		}
		for _, id := range ids {
			var inv billbridge.Invoice
			c.Must(t, 200, "GET", "/v1/invoices/"+id, nil, &inv)
			pays := apitest.GetList[billbridge.Payment](t, c, "/v1/invoices/"+id+"/payments")
			if inv.Status != billbridge.StatusPaid || inv.AmountPaid != 10000 || len(pays.Data) != 2 {
				t.Errorf("invoice %s: %s, paid %s, %d payments", id, inv.Status, inv.AmountPaid, len(pays.Data))
			}
		}
		if overpaid != 1 {
			t.Errorf("the overpaying credit was booked by %d replies", overpaid)
		}
		c.Must(t, 200, "GET", "/v1/invoices/"+over.ID, nil, &over)
		if pays := apitest.GetList[billbridge.Payment](t, c, "/v1/invoices/"+over.ID+"/payments"); over.Status != billbridge.StatusPaid ||
			over.AmountPaid != 10000 || len(pays.Data) != 1 || pays.Data[0].Amount != 10000 || pays.Data[0].ExternalID != "O-1" {
			t.Errorf("overpaid invoice: %s, paid %s, payments %+v", over.Status, over.AmountPaid, pays.Data)
		}
		// payment.received twice and invoice.paid per invoice, payment.received and invoice.paid of the
		// overpaid one, and once customer.payment_rating_changed: the third paid invoice rates the customer good.
		if rows := apitest.CountRows(t, c); rows.Events != before.Events+3*invoices+2+1 {
			t.Errorf("events %d → %d, want %d more", before.Events, rows.Events, 3*invoices+2+1)
		}
		t.Logf("%d uploads, %d retried after 503", uploads, retriesOf(replies))
	})
}
