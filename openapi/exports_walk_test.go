package openapi_test

import (
	"bytes"
	"strings"
	"testing"

	"billbridge"
	"billbridge/sheet"
)

// walkExports drives the CSV and XLSX exports through their answers.
func walkExports(w walker) {
	for _, p := range []string{"customers", "invoices", "payments"} {
		w.do(200, "GET", "/v1/exports/"+p+".csv", nil)
		w.do(200, "GET", "/v1/exports/"+p+".csv?profile=excel&lang=de&updated_since=2020-01-01", nil)
		w.do(422, "GET", "/v1/exports/"+p+".csv?updated_since=soon", nil)
		w.do(200, "GET", "/v1/exports/"+p+".xlsx?lang=de&updated_since=2020-01-01", nil)
		w.do(422, "GET", "/v1/exports/"+p+".xlsx?lang=it", nil)
	}
	w.do(200, "GET", "/v1/exports/invoices.csv?status=unpaid&lang=fr", nil)
	w.do(200, "GET", "/v1/exports/invoices.xlsx?status=unpaid&lang=fr", nil)
}

// walkImports drives the customer and invoice imports through their answers.
func walkImports(w walker) {
	csv := []string{"Content-Type", "text/csv"}
	file := "Firma;E-Mail;PLZ;Land\r\nImport AG;import@example.ch;8001;Schweiz\r\nKaputt AG;nope;;\r\n"
	w.do(200, "POST", "/v1/imports/customers?dry_run=true", file, csv...)
	w.do(200, "POST", "/v1/imports/customers", file, append(csv, "Idempotency-Key", "import-1")...)
	w.do(200, "POST", "/v1/imports/customers", file, append(csv, "Idempotency-Key", "import-1")...)
	w.do(422, "POST", "/v1/imports/customers?atomic=true", file, csv...)
	w.do(422, "POST", "/v1/imports/customers", "E-Mail\na@b.ch\n", csv...)
	w.do(400, "POST", "/v1/imports/customers", "name\n\"open\n", csv...)
	w.do(413, "POST", "/v1/imports/customers", "name\n"+strings.Repeat("x\n", billbridge.MaxImportRows+1), csv...)
	w.do(400, "POST", "/v1/imports/customers", file, append(csv, "Idempotency-Key", "a b")...)
	claim(w.t, w.s, "import-running", "POST", "/v1/imports/customers", file)
	w.do(409, "POST", "/v1/imports/customers", file, append(csv, "Idempotency-Key", "import-running")...)
	w.do(200, "POST", "/v1/imports/customers", "name,postal_code\nMultipart AG,3000\n", "Content-Type", "text/csv; charset=utf-8")
	xlsx := []string{"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	w.do(200, "POST", "/v1/imports/customers", workbook(w.t, []string{"Firma", "PLZ"}, []string{"Workbook AG", "0800"}), xlsx...)
	w.do(400, "POST", "/v1/imports/customers", file, xlsx...)

	// Invoices: a paid one by customer number, one of an unknown customer.
	w.do(201, "POST", "/v1/customers", map[string]any{"name": "Invoice Import AG", "customer_number": "W-1"})
	invoices := "Kundennummer;Rechnungsnummer;Rechnungsdatum;Status;Beschreibung;Preis;Bezahlt am\r\n" +
		"W-1;2025-1;1.9.2026;bezahlt;Abo;100;2.9.2026\r\nW-404;2025-2;1.9.2026;offen;Abo;10;\r\n"
	w.do(200, "POST", "/v1/imports/invoices?dry_run=true", invoices, csv...)
	w.do(200, "POST", "/v1/imports/invoices", invoices, append(csv, "Idempotency-Key", "import-invoices-1")...)
	w.do(200, "POST", "/v1/imports/invoices", invoices, append(csv, "Idempotency-Key", "import-invoices-1")...)
	w.do(422, "POST", "/v1/imports/invoices?atomic=true", invoices, csv...)
	claim(w.t, w.s, "import-invoices-running", "POST", "/v1/imports/invoices", invoices)
	w.do(409, "POST", "/v1/imports/invoices", invoices, append(csv, "Idempotency-Key", "import-invoices-running")...)
	w.do(422, "POST", "/v1/imports/invoices", "Beschreibung\nX\n", csv...)
	w.do(400, "POST", "/v1/imports/invoices", "unit_price\n\"open\n", csv...)
	w.do(413, "POST", "/v1/imports/invoices", "unit_price\n"+strings.Repeat("1\n", billbridge.MaxImportRows+1), csv...)
	w.do(200, "POST", "/v1/imports/invoices", workbook(w.t, []string{"Kundennummer", "Beschreibung", "Preis"}, []string{"W-1", "Entwurf", "12.50"}), xlsx...)
}

// workbook returns an XLSX file of text rows.
func workbook(t *testing.T, rows ...[]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sheet.WriteAll(&buf, billbridge.SheetFormat{Format: billbridge.SheetXLSX}, make([]billbridge.CellKind, len(rows[0])), rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
