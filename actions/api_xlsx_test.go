package actions_test

import (
	"bytes"
	"strings"
	"testing"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/apitest"

	"github.com/xuri/excelize/v2"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// exportXLSX GETs an XLSX export, checks it is a workbook attachment and
// opens it.
func exportXLSX(t *testing.T, c *apitest.Client, path string) ([]byte, *excelize.File) {
	t.Helper()
	r := c.Must(t, 200, "GET", path, nil, nil)
	if ct := r.Header.Get("Content-Type"); ct != xlsxType {
		t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="`) || !strings.HasSuffix(cd, `.xlsx"`) {
		t.Fatalf("GET %s: Content-Disposition %q", path, cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("GET %s: not a workbook: %v", path, err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return r.Body, f
}

// cellsByHeader returns the rows of a worksheet as maps by header, as
// displayed, and each cell's type by header.
func cellsByHeader(t *testing.T, f *excelize.File) []map[string]string {
	t.Helper()
	rows, err := f.GetRows("Sheet1")
	if err != nil || len(rows) == 0 {
		t.Fatalf("rows: %v %v", rows, err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		out = append(out, m)
	}
	return out
}

func TestExportsXLSX(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		fx := newExportFixture(t, c, apitest.NewClient(t, s))
		evil, mueller, open := fx.evil, fx.mueller, fx.open

		t.Run("customers: German headers, text cells keep leading zeros, formulas stay text", func(t *testing.T) {
			_, f := exportXLSX(t, c, "/v1/exports/customers.xlsx?lang=de")
			rows := cellsByHeader(t, f)
			if len(rows) != 2 {
				t.Fatalf("%d rows, want the account's 2", len(rows))
			}
			byID := map[string]map[string]string{}
			for _, r := range rows {
				byID[r["ID"]] = r
			}
			m := byID[mueller.ID]
			if m["Firma"] != mueller.Name || m["PLZ"] != "0800" || m["Kundennummer"] != "0042" || m["Zahlungsfrist (Tage)"] != "30" {
				t.Errorf("row %v", m)
			}
			if byID[evil.ID]["Firma"] != evil.Name || byID[evil.ID]["Telefon"] != "+41 44 123 45 67" {
				t.Errorf("row %v", byID[evil.ID])
			}
			for row := 2; row <= 3; row++ {
				for col := 1; col <= len(billbridge.CustomerColumns); col++ {
					ref, _ := excelize.CoordinatesToCellName(col, row)
					if formula, _ := f.GetCellFormula("Sheet1", ref); formula != "" {
						t.Errorf("%s is a formula: %q", ref, formula)
					}
				}
			}
		})
		t.Run("invoices: amounts are numbers, dates are dates", func(t *testing.T) {
			_, f := exportXLSX(t, c, "/v1/exports/invoices.xlsx?status=unpaid")
			rows := cellsByHeader(t, f)
			if len(rows) != 1 || rows[0]["total"] != "1234.50" || rows[0]["amount_due"] != "1134.50" || rows[0]["issue_date"] != open.IssueDate.String() {
				t.Fatalf("rows %v", rows)
			}
			raw, _ := f.GetCellValue("Sheet1", "I2", excelize.Options{RawCellValue: true})
			if raw != "1234.5" {
				t.Errorf("total stored as %q, want the number 1234.5", raw)
			}
		})
		t.Run("the payments workbook has the French headers and the amounts", func(t *testing.T) {
			_, f := exportXLSX(t, c, "/v1/exports/payments.xlsx?lang=fr")
			rows := cellsByHeader(t, f)
			if len(rows) != 1 || rows[0]["Montant"] != "100.00" || rows[0]["Payé le"] != "2026-01-15" {
				t.Fatalf("rows %v", rows)
			}
		})
		t.Run("bad queries are problems naming the parameter", func(t *testing.T) {
			apitest.Invalid(t, c.Do(t, "GET", "/v1/exports/customers.xlsx?lang=it", nil), "lang")
			apitest.Invalid(t, c.Do(t, "GET", "/v1/exports/invoices.xlsx?status=late", nil), "status")
			apitest.Invalid(t, c.Do(t, "GET", "/v1/exports/payments.xlsx?updated_since=yesterday", nil), "updated_since")
		})

		t.Run("an exported workbook imports into another account, and again creates nothing", func(t *testing.T) {
			file, _ := exportXLSX(t, c, "/v1/exports/customers.xlsx?lang=de")
			dst := apitest.NewClient(t, s)
			var res actions.ImportResult
			r := dst.Do(t, "POST", "/v1/imports/customers", file, "Content-Type", xlsxType)
			if r.Status != 200 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			r.Decode(t, &res)
			summary(t, res, actions.ImportSummary{Rows: 2, Created: 2})
			var got billbridge.Customer
			dst.Must(t, 200, "GET", "/v1/customers/"+res.Rows[0].ID, nil, &got)
			if res.Rows[0].Row != 2 {
				t.Errorf("first row numbered %d", res.Rows[0].Row)
			}
			body, contentType := multipartFile("kunden.xlsx", file)
			r = dst.Do(t, "POST", "/v1/imports/customers", body, "Content-Type", contentType)
			if r.Status != 200 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			r.Decode(t, &res)
			summary(t, res, actions.ImportSummary{Rows: 2, Matched: 2})
			for _, row := range res.Rows {
				var cu billbridge.Customer
				dst.Must(t, 200, "GET", "/v1/customers/"+row.ID, nil, &cu)
				if cu.Name == mueller.Name && (cu.Address == nil || cu.Address.PostalCode != "0800" || cu.CustomerNumber != "0042") {
					t.Errorf("imported %+v", cu)
				}
			}
		})
		t.Run("a body that is no workbook is malformed", func(t *testing.T) {
			apitest.Problem(t, c.Do(t, "POST", "/v1/imports/customers", "Firma\nx\n", "Content-Type", xlsxType), 400, billbridge.EMALFORMED)
		})
	})
}
