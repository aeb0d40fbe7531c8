package actions_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
)

// table is a parsed CSV export: its header and rows as maps by header.
type table struct {
	header []string
	rows   []map[string]string
}

// exportCSV GETs an export, checks it is a streamed CSV attachment and
// parses it with sep.
func exportCSV(t *testing.T, c *apitest.Client, path string, sep rune) (table, string) {
	t.Helper()
	r := c.Must(t, 200, "GET", path, nil, nil)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="`) || !strings.HasSuffix(cd, `.csv"`) {
		t.Fatalf("GET %s: Content-Disposition %q", path, cd)
	}
	raw := string(r.Body)
	rd := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\uFEFF")))
	rd.Comma = sep
	recs, err := rd.ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("GET %s: %v, %d records: %q", path, err, len(recs), raw)
	}
	tb := table{header: recs[0]}
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range tb.header {
			m[h] = rec[i]
		}
		tb.rows = append(tb.rows, m)
	}
	return tb, raw
}

// byID indexes rows by their id column.
func (tb table) byID(t *testing.T, col string) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, r := range tb.rows {
		if _, dup := out[r[col]]; dup {
			t.Fatalf("row %s twice", r[col])
		}
		out[r[col]] = r
	}
	return out
}

// exportFixture is what the export tests export: two customers of c (one
// named like a formula, one with leading zeros), an open invoice partly
// paid, a draft, and rows of another account that must not show.
type exportFixture struct {
	evil, mueller billbridge.Customer
	open, draft   billbridge.Invoice
	pay           billbridge.Payment
}

func newExportFixture(t *testing.T, c, other *apitest.Client) exportFixture {
	t.Helper()
	var fx exportFixture
	fx.evil = c.Customer(t, `=HYPERLINK("http://evil.example","x")`, "phone", "+41 44 123 45 67")
	fx.mueller = c.Customer(t, "Müller; Söhne AG", "customer_number", "0042", "email", "info@mueller.ch",
		"address", map[string]any{"street": "Bahnhofstrasse", "building_number": "1", "postal_code": "0800", "city": "Zürich", "country": "CH"})
	other.Customer(t, "Foreign AG")
	fx.open = c.OpenInvoice(t, fx.mueller.ID, "1234.50")
	fx.draft = c.Invoice(t, fx.evil.ID, "10")
	c.Must(t, 201, "POST", "/v1/invoices/"+fx.open.ID+"/payments", map[string]any{"amount": "100.00", "paid_at": "2026-01-15", "reference": "-bank"}, &fx.pay)
	other.OpenInvoice(t, other.Customer(t, "Other GmbH").ID, "5")
	return fx
}

func TestExportsCSV(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		fx := newExportFixture(t, c, apitest.NewClient(t, s))
		evil, mueller, open, draft, pay := fx.evil, fx.mueller, fx.open, fx.draft, fx.pay

		t.Run("customers in the Excel profile: BOM, semicolons, German headers, text kept", func(t *testing.T) {
			tb, raw := exportCSV(t, c, "/v1/exports/customers.csv?profile=excel&lang=de", ';')
			if !strings.HasPrefix(raw, "\uFEFFID;") || !strings.Contains(raw, "\r\n") {
				t.Fatalf("no BOM, semicolon or CRLF: %q", raw[:40])
			}
			if tb.header[4] != "Firma" || tb.header[10] != "PLZ" {
				t.Fatalf("German headers: %v", tb.header)
			}
			rows := tb.byID(t, "ID")
			if len(rows) != 2 {
				t.Fatalf("%d customers, want the account's 2: %v", len(rows), tb.rows)
			}
			if got := rows[evil.ID]["Firma"]; got != "'"+evil.Name {
				t.Errorf("formula name exported as %q", got)
			}
			if got := rows[evil.ID]["Telefon"]; got != "'+41 44 123 45 67" {
				t.Errorf("phone exported as %q", got)
			}
			m := rows[mueller.ID]
			if m["Firma"] != mueller.Name || m["Kundennummer"] != "0042" || m["PLZ"] != "0800" || m["Ort"] != "Zürich" || m["Land"] != "CH" {
				t.Errorf("row %v", m)
			}
		})
		t.Run("customers in RFC 4180 have field-name headers that an import reads back", func(t *testing.T) {
			tb, raw := exportCSV(t, c, "/v1/exports/customers.csv", ',')
			if strings.HasPrefix(raw, "\uFEFF") {
				t.Fatal("BOM in the RFC 4180 profile")
			}
			if strings.Join(tb.header, ",") != strings.Join(billbridge.Headers(billbridge.CustomerColumns, "en"), ",") {
				t.Fatalf("header %v", tb.header)
			}
			if r := tb.byID(t, "id")[mueller.ID]; r["email"] != "info@mueller.ch" || r["payment_terms_days"] != "30" {
				t.Errorf("row %v", r)
			}
		})
		t.Run("invoices with totals as 1234.50, ISO dates and the derived status", func(t *testing.T) {
			tb, _ := exportCSV(t, c, "/v1/exports/invoices.csv?lang=en", ',')
			rows := tb.byID(t, "id")
			if len(rows) != 2 {
				t.Fatalf("%d invoices, want 2", len(rows))
			}
			r := rows[open.ID]
			if r["total"] != "1234.50" || r["amount_paid"] != "100.00" || r["amount_due"] != "1134.50" ||
				r["status"] != billbridge.StatusPartiallyPaid || r["issue_date"] != open.IssueDate.String() || r["number"] != open.Number {
				t.Errorf("open invoice row %v", r)
			}
			if r := rows[draft.ID]; r["status"] != billbridge.StatusDraft || r["issue_date"] != "" || r["total"] != "10.81" {
				t.Errorf("draft row %v", r)
			}
			tb, _ = exportCSV(t, c, "/v1/exports/invoices.csv?status=draft&lang=fr", ',')
			if len(tb.rows) != 1 || tb.rows[0]["ID"] != draft.ID || tb.header[1] != "Numéro de facture" {
				t.Errorf("status=draft: %v %v", tb.header, tb.rows)
			}
		})
		t.Run("the payments CSV lists every payment of the account with its invoice", func(t *testing.T) {
			tb, _ := exportCSV(t, c, "/v1/exports/payments.csv", ',')
			if len(tb.rows) != 1 {
				t.Fatalf("%d payments, want 1", len(tb.rows))
			}
			r := tb.rows[0]
			if r["id"] != pay.ID || r["invoice_id"] != open.ID || r["amount"] != "100.00" || r["paid_at"] != "2026-01-15" || r["reference"] != "'-bank" {
				t.Errorf("payment row %v", r)
			}
		})
		t.Run("updated_since keeps later changes only", func(t *testing.T) {
			future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
			for _, p := range []string{"customers", "invoices", "payments"} {
				tb, _ := exportCSV(t, c, "/v1/exports/"+p+".csv?updated_since="+future, ',')
				if len(tb.rows) != 0 {
					t.Errorf("%s since %s: %d rows", p, future, len(tb.rows))
				}
				tb, _ = exportCSV(t, c, "/v1/exports/"+p+".csv?updated_since=2020-01-01", ',')
				if len(tb.rows) == 0 {
					t.Errorf("%s since 2020-01-01: no rows", p)
				}
			}
		})
		t.Run("bad queries are problems naming the parameter", func(t *testing.T) {
			apitest.Invalid(t, c.Do(t, "GET", "/v1/exports/customers.csv?updated_since=yesterday", nil), "updated_since")
			apitest.Invalid(t, c.Do(t, "GET", "/v1/exports/payments.csv?profile=tsv", nil), "profile")
			apitest.Invalid(t, c.Do(t, "GET", "/v1/exports/invoices.csv?lang=it", nil), "lang")
			apitest.Invalid(t, c.Do(t, "GET", "/v1/exports/invoices.csv?status=late", nil), "status")
			apitest.Problem(t, s.Do(t, "GET", "/v1/exports/customers.csv", "", nil), 401, billbridge.EUNAUTHORIZED)
		})
	})
}

// TestExportStreamsEveryPage exports more customers than one page holds
// (pages of 500): every row once, none of another account.
func TestExportStreamsEveryPage(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c, other := apitest.NewClient(t, s), apitest.NewClient(t, s)
		other.Customer(t, "Foreign AG")
		const n = 1203
		want := map[string]bool{}
		ctx := context.Background()
		at := time.Now().UTC().Truncate(time.Millisecond)
		err := s.DB.Atomic(ctx, func(tx billbridge.Tx) error {
			for i := range n {
				cu := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: c.ID, Kind: billbridge.KindCompany,
					Name: fmt.Sprintf("Kunde %04d", i), PaymentTermsDays: 30, CreatedAt: at, UpdatedAt: at}
				if err := tx.InsertCustomer(ctx, cu); err != nil {
					return err
				}
				want[cu.ID] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		tb, _ := exportCSV(t, c, "/v1/exports/customers.csv?profile=excel", ';')
		got := tb.byID(t, "id")
		if len(got) != n {
			t.Fatalf("%d rows, want %d", len(got), n)
		}
		for id := range got {
			if !want[id] {
				t.Fatalf("row %s is not the account's", id)
			}
		}
	})
}
