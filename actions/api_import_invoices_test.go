package actions_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"

	"github.com/xuri/excelize/v2"
)

// importInvoicesCSV posts a CSV file to the invoice import and decodes the answer.
func importInvoicesCSV(t *testing.T, c *apitest.Client, want int, query, file string) actions.ImportResult {
	t.Helper()
	return postImport(t, c, "/v1/imports/invoices", want, query, file)
}

// migrationFile is an invoice list from another tool as Swiss German Excel
// saves it: one row per line, the rows of one invoice sharing its number;
// customers by number and by external id; back-dated, open, paid, partly
// paid and draft invoices; the export's Total column (ignored); three
// invalid invoices (an unknown customer, a date in the future, a line
// whose quantity is no number, which makes its sibling line invalid too).
const migrationFile = "Kundennummer;Externe Kunden-ID;Rechnungsnummer;Externe ID;Rechnungsdatum;Status;Beschreibung;Menge;Preis;MWST-Satz;Bezahlt;Bezahlt am;Total\r\n" +
	"K-1;;2025-101;;1.9.2026;offen;Beratung;2;1'000.00;8.1;;;2162.00\r\n" + // row 2
	"K-1;;2025-101;;1.9.2026;offen;Spesen;1;50,00;0;;;\r\n" + // row 3: line 2 of 2025-101
	"K-1;;2025-102;;15.10.2026;bezahlt;Abo;1;100;0;;20.10.2026;100.00\r\n" + // row 4
	"K-1;;2025-103;;2026-11-02;offen;Projekt;1;500;0;200;2026-11-20;500.00\r\n" + // row 5
	";crm-7;;deal-9;;Entwurf;Entwurf Dezember;1;80;8.1;;;\r\n" + // row 6
	"K-404;;2025-104;;1.9.2026;offen;Niemand;1;10;0;;;\r\n" + // row 7
	"K-1;;2025-105;;2027-01-01;offen;Zukunft;1;10;0;;;\r\n" + // row 8
	"K-1;;2025-106;;1.9.2026;offen;Gut;1;10;0;;;\r\n" + // row 9
	"K-1;;2025-106;;1.9.2026;offen;Schlecht;zwei;10;0;;;\r\n" // row 10

func TestImportInvoices(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	apitest.EachStore(t, apitest.Options{Clock: testenv.NewClock(now).Now}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		k1 := c.Customer(t, "Müller AG", "customer_number", "K-1", "payment_terms_days", 30)
		crm := c.Customer(t, "Dupont Sàrl", "external_id", "crm-7")

		t.Run("dry run reports every row and writes nothing", func(t *testing.T) {
			before := apitest.CountRows(t, c)
			res := importInvoicesCSV(t, c, 200, "?dry_run=true", migrationFile)
			summary(t, res, actions.ImportSummary{Rows: 9, Created: 5, Invalid: 4})
			if after := apitest.CountRows(t, c); after != before {
				t.Fatalf("a dry run wrote: %+v → %+v", before, after)
			}
		})

		t.Run("atomic with invalid rows writes nothing", func(t *testing.T) {
			before := apitest.CountRows(t, c)
			r := c.Do(t, "POST", "/v1/imports/invoices?atomic=true", migrationFile, "Content-Type", "text/csv")
			apitest.Invalid(t, r, "rows[7].customer_number")
			if after := apitest.CountRows(t, c); after != before {
				t.Fatalf("an atomic import with invalid rows wrote: %+v → %+v", before, after)
			}
		})

		res := importInvoicesCSV(t, c, 200, "", migrationFile)
		t.Run("applies the valid invoices and reports the invalid ones", func(t *testing.T) {
			summary(t, res, actions.ImportSummary{Rows: 9, Created: 5, Invalid: 4})
			if len(res.IgnoredColumns) != 1 || res.IgnoredColumns[0] != "Total" {
				t.Errorf("ignored %v, want [Total]", res.IgnoredColumns)
			}
			byRow := map[int]actions.ImportRow{}
			for _, r := range res.Rows {
				byRow[r.Row] = r
			}
			if byRow[2].ID == "" || byRow[2].ID != byRow[3].ID {
				t.Errorf("rows 2 and 3 are one invoice: ids %q and %q", byRow[2].ID, byRow[3].ID)
			}
			for row, field := range map[int]string{7: "customer_number", 8: "issue_date", 10: "quantity"} {
				r := byRow[row]
				if r.Result != billbridge.ImportInvalid || len(r.InvalidParams) == 0 || r.InvalidParams[0].Name != field {
					t.Errorf("row %d: %+v, want invalid naming %s", row, r, field)
				}
			}
			if r := byRow[10]; !strings.Contains(r.InvalidParams[0].Reason, `column "Menge"`) {
				t.Errorf("row 10 reason %q does not name the column Menge", r.InvalidParams[0].Reason)
			}
			if r := byRow[9]; r.Result != billbridge.ImportInvalid || r.InvalidParams[0].Name != "row" || !strings.Contains(r.InvalidParams[0].Reason, "row 10") {
				t.Errorf("row 9, a line of row 10's invoice: %+v", r)
			}

			var inv billbridge.Invoice
			c.Must(t, 200, "GET", "/v1/invoices/"+byRow[2].ID, nil, &inv)
			if inv.Number != "2025-101" || inv.IssueDate.String() != "2026-09-01" || inv.DueDate.String() != "2026-10-01" ||
				inv.Status != billbridge.StatusOverdue || inv.Total.String() != "2212.00" || len(inv.Items) != 2 || inv.CustomerID != k1.ID {
				t.Errorf("2025-101: number %s issue %v due %v status %s total %s items %d customer %s", inv.Number, inv.IssueDate, inv.DueDate,
					inv.Status, inv.Total, len(inv.Items), inv.CustomerID)
			}
			if inv.PaymentReference == "" {
				t.Error("a finalized import has no payment reference")
			}
			c.Must(t, 200, "GET", "/v1/invoices/"+byRow[4].ID, nil, &inv)
			if inv.Number != "2025-102" || inv.Status != billbridge.StatusPaid || inv.AmountDue != 0 {
				t.Errorf("2025-102: number %s status %s due %s, want paid", inv.Number, inv.Status, inv.AmountDue)
			}
			pays := apitest.GetList[billbridge.Payment](t, c, "/v1/invoices/"+inv.ID+"/payments")
			if len(pays.Data) != 1 || pays.Data[0].PaidAt.String() != "2026-10-20" || pays.Data[0].Amount.String() != "100.00" {
				t.Errorf("2025-102 payments %+v, want 100.00 on 2026-10-20", pays.Data)
			}
			c.Must(t, 200, "GET", "/v1/invoices/"+byRow[5].ID, nil, &inv)
			if inv.Status != billbridge.StatusPartiallyPaid || inv.AmountDue.String() != "300.00" {
				t.Errorf("2025-103: status %s due %s, want partially_paid 300.00", inv.Status, inv.AmountDue)
			}
			inv = billbridge.Invoice{}
			c.Must(t, 200, "GET", "/v1/invoices/"+byRow[6].ID, nil, &inv)
			if inv.Status != billbridge.StatusDraft || inv.Number != "" || inv.ExternalID != "deal-9" || inv.CustomerID != crm.ID {
				t.Errorf("draft: status %s number %q external_id %q customer %s", inv.Status, inv.Number, inv.ExternalID, inv.CustomerID)
			}
			// The account's own numbering goes on where it was: INV-000001.
			fresh := c.OpenInvoice(t, k1.ID, "10")
			if fresh.Number != "INV-000001" {
				t.Errorf("the next invoice is %s, want INV-000001", fresh.Number)
			}
		})

		t.Run("importing the file again creates nothing", func(t *testing.T) {
			before := apitest.CountRows(t, c)
			again := importInvoicesCSV(t, c, 200, "", migrationFile)
			summary(t, again, actions.ImportSummary{Rows: 9, Matched: 5, Invalid: 4})
			for _, r := range again.Rows {
				if r.Result == billbridge.ImportMatched && (r.MatchedBy == nil || (*r.MatchedBy != "number" && *r.MatchedBy != "external_id")) {
					t.Errorf("row %d matched by %v", r.Row, r.MatchedBy)
				}
			}
			if after := apitest.CountRows(t, c); after != before {
				t.Fatalf("a second import wrote: %+v → %+v", before, after)
			}
		})

		t.Run("refusals name the field", func(t *testing.T) {
			for name, tc := range map[string]struct{ file, field string }{
				"INV- numbers are billbridge's": {"customer_number,number,status,description,unit_price\nK-1,INV-000009,open,X,10\n", "number"},
				"a draft has no number":         {"customer_number,number,description,unit_price\nK-1,77,X,10\n", "number"},
				"a paid invoice needs paid_at":  {"customer_number,status,description,unit_price\nK-1,paid,X,10\n", "paid_at"},
				"more paid than the total":      {"customer_number,status,description,unit_price,amount_paid,paid_at\nK-1,open,X,10,11,2026-11-01\n", "amount_paid"},
				"paid before issued":            {"customer_number,status,issue_date,description,unit_price,paid_at\nK-1,paid,2026-11-02,X,10,2026-11-01\n", "paid_at"},
				"lines disagree on the invoice": {"customer_number,number,status,description,unit_price\nK-1,9,open,X,10\nK-1,9,paid,Y,10\n", "status"},
				"cancelled is not imported":     {"customer_number,status,description,unit_price\nK-1,storniert,X,10\n", "status"},
				"no description":                {"customer_number,description,unit_price\nK-1,,10\n", "description"},
			} {
				t.Run(name, func(t *testing.T) {
					before := apitest.CountRows(t, c)
					res := importInvoicesCSV(t, c, 200, "", tc.file)
					if res.Summary.Invalid != res.Summary.Rows {
						t.Fatalf("%+v, want every row invalid", res.Rows)
					}
					found := false
					for _, r := range res.Rows {
						for _, f := range r.InvalidParams {
							found = found || f.Name == tc.field
						}
					}
					if !found {
						t.Errorf("rows %+v do not name %s", res.Rows, tc.field)
					}
					if after := apitest.CountRows(t, c); after != before {
						t.Fatalf("an invalid invoice wrote: %+v → %+v", before, after)
					}
				})
			}
		})

		t.Run("a header without unit price or customer is 422", func(t *testing.T) {
			apitest.Invalid(t, c.Do(t, "POST", "/v1/imports/invoices", "customer_number,description\nK-1,X\n", "Content-Type", "text/csv"), "header")
			apitest.Invalid(t, c.Do(t, "POST", "/v1/imports/invoices", "description,unit_price\nX,10\n", "Content-Type", "text/csv"), "header")
		})
	})
}

// workbook is a one-sheet XLSX holding a ;-separated CSV's cells as text,
// as a spreadsheet saves a list typed or pasted into it.
func workbook(t *testing.T, csv string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, line := range strings.Split(strings.TrimSuffix(csv, "\r\n"), "\r\n") {
		var cells []any
		for _, c := range strings.Split(line, ";") {
			cells = append(cells, c)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestImportInvoicesBodies: the invoice import takes what the customer
// import takes — a workbook as the XLSX media type or as a multipart file
// field — with the same answer as the CSV, and refuses a file past the row
// limit with 413, writing nothing.
func TestImportInvoicesBodies(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	apitest.EachStore(t, apitest.Options{Clock: testenv.NewClock(now).Now}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		c.Customer(t, "Müller AG", "customer_number", "K-1", "payment_terms_days", 30)
		c.Customer(t, "Dupont Sàrl", "external_id", "crm-7")
		file := workbook(t, migrationFile)
		post := func(t *testing.T, body any, contentType string) actions.ImportResult {
			t.Helper()
			r := c.Do(t, "POST", "/v1/imports/invoices", body, "Content-Type", contentType)
			if r.Status != 200 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			var res actions.ImportResult
			r.Decode(t, &res)
			return res
		}
		apitest.Step(t, "a workbook imports like the CSV, rows numbered as Excel shows them", func(t *testing.T) {
			res := post(t, file, xlsxType)
			summary(t, res, actions.ImportSummary{Rows: 9, Created: 5, Invalid: 4})
			for _, r := range res.Rows {
				if r.Row == 7 && (r.Result != billbridge.ImportInvalid || len(r.InvalidParams) == 0 || r.InvalidParams[0].Name != "customer_number") {
					t.Errorf("row 7 (unknown customer K-404): %+v", r)
				}
			}
			overdue := apitest.GetList[billbridge.Invoice](t, c, "/v1/invoices?status=overdue").Data
			if len(overdue) != 1 || overdue[0].Number != "2025-101" || overdue[0].Total.String() != "2212.00" || len(overdue[0].Items) != 2 {
				t.Errorf("overdue after the import: %+v, want 2025-101 of 2212.00 in two lines", overdue)
			}
		})
		apitest.Step(t, "the same workbook as a multipart file matches every invoice and writes nothing", func(t *testing.T) {
			before := apitest.CountRows(t, c)
			body, contentType := multipartFile("rechnungen.xlsx", file)
			summary(t, post(t, body, contentType), actions.ImportSummary{Rows: 9, Matched: 5, Invalid: 4})
			if after := apitest.CountRows(t, c); after != before {
				t.Fatalf("a second import wrote: %+v → %+v", before, after)
			}
		})
		apitest.Step(t, "a file past the row limit is 413 and writes nothing", func(t *testing.T) {
			before := apitest.CountRows(t, c)
			big := "customer_number,description,unit_price\n" + strings.Repeat("K-1,X,10\n", billbridge.MaxImportRows+1)
			apitest.Problem(t, c.Do(t, "POST", "/v1/imports/invoices", big, "Content-Type", "text/csv"), 413, billbridge.ETOOLARGE)
			if after := apitest.CountRows(t, c); after != before {
				t.Fatalf("a refused import wrote: %+v → %+v", before, after)
			}
		})
	})
}
