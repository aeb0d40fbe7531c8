package actions_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"

	"golang.org/x/text/encoding/charmap"
)

// importCSV posts a CSV file to the customer import and decodes the answer.
func importCSV(t *testing.T, c *apitest.Client, want int, query, file string, headers ...string) actions.ImportResult {
	t.Helper()
	return postImport(t, c, "/v1/imports/customers", want, query, file, headers...)
}

// postImport posts a CSV file to the import at path and decodes the answer.
func postImport(t *testing.T, c *apitest.Client, path string, want int, query, file string, headers ...string) actions.ImportResult {
	t.Helper()
	r := c.Do(t, "POST", path+query, file, append([]string{"Content-Type", "text/csv"}, headers...)...)
	if r.Status != want {
		t.Fatalf("import: status %d, want %d: %s", r.Status, want, r.Body)
	}
	var res actions.ImportResult
	if want == 200 {
		r.Decode(t, &res)
	}
	return res
}

func summary(t *testing.T, res actions.ImportResult, want actions.ImportSummary) {
	t.Helper()
	if res.Summary != want {
		t.Fatalf("summary %+v, want %+v; rows %+v", res.Summary, want, res.Rows)
	}
}

// multipartFile is a multipart form with data in the field file, named
// fileName, as application/octet-stream: the body and its Content-Type.
func multipartFile(fileName string, data []byte) ([]byte, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+fileName+`"`)
	h.Set("Content-Type", "application/octet-stream")
	part, _ := mw.CreatePart(h)
	_, _ = part.Write(data)
	_ = mw.Close()
	return body.Bytes(), mw.FormDataContentType()
}

// swissFile is a customer list as Swiss German Excel saves it: BOM, ";",
// CRLF, German headers, country names, an ignored column, a blank row and
// two invalid rows (an email that is none, payment terms that are no number).
const swissFile = "\uFEFFFirma;E-Mail;Strasse;Hausnummer;PLZ;Ort;Land;Kundennummer;MWST-Nr.;Bemerkung\r\n" +
	"Müller AG;info@mueller.ch;Bahnhofstrasse;1;8001;Zürich;Schweiz;0042;CHE-123.456.789 MWST;Stammkunde\r\n" +
	"Dupont Sàrl;contact@dupont.ch;Rue du Rhône;12;1204;Genève;Suisse;0043;;\r\n" +
	";;;;;;;;;\r\n" +
	"Kaputt GmbH;not-an-email;;;;;;0044;;\r\n" +
	"Weber KG;weber@example.de;Hauptstraße;5;80331;München;Deutschland;0045;;\r\n"

func TestImportCustomersCSV(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		t.Run("dry run reports every row and writes nothing", func(t *testing.T) {
			before := apitest.CountRows(t, c)
			res := importCSV(t, c, 200, "?dry_run=true", swissFile)
			summary(t, res, actions.ImportSummary{Rows: 4, Created: 3, Invalid: 1})
			if !res.DryRun || len(res.IgnoredColumns) != 1 || res.IgnoredColumns[0] != "Bemerkung" {
				t.Fatalf("dry_run %v, ignored %v", res.DryRun, res.IgnoredColumns)
			}
			bad := res.Rows[2]
			if bad.Row != 5 || bad.Result != billbridge.ImportInvalid || len(bad.InvalidParams) != 1 ||
				bad.InvalidParams[0].Name != "email" || !strings.Contains(bad.InvalidParams[0].Reason, `column "E-Mail"`) {
				t.Fatalf("invalid row %+v", bad)
			}
			if after := apitest.CountRows(t, c); after != before {
				t.Fatalf("a dry run wrote: %+v → %+v", before, after)
			}
		})
		var created actions.ImportResult
		t.Run("the import creates the valid rows with their fields", func(t *testing.T) {
			created = importCSV(t, c, 200, "", swissFile)
			summary(t, created, actions.ImportSummary{Rows: 4, Created: 3, Invalid: 1})
			var cust billbridge.Customer
			c.Must(t, 200, "GET", "/v1/customers/"+created.Rows[0].ID, nil, &cust)
			if cust.Name != "Müller AG" || cust.CustomerNumber != "0042" || cust.Address == nil || cust.Address.Country != "CH" ||
				cust.Address.PostalCode != "8001" || cust.Address.City != "Zürich" || cust.VATNumber != "CHE-123.456.789 MWST" {
				t.Fatalf("customer %+v %+v", cust, cust.Address)
			}
			c.Must(t, 200, "GET", "/v1/customers/"+created.Rows[3].ID, nil, &cust)
			if cust.Address.Country != "DE" || cust.Address.Street != "Hauptstraße" {
				t.Fatalf("customer %+v", cust.Address)
			}
		})
		t.Run("importing the file again creates nothing and changes nothing", func(t *testing.T) {
			before := apitest.CountRows(t, c)
			again := importCSV(t, c, 200, "", swissFile)
			summary(t, again, actions.ImportSummary{Rows: 4, Matched: 3, Invalid: 1})
			for i, r := range again.Rows {
				if r.ID != created.Rows[i].ID {
					t.Fatalf("row %d matched %s, first import made %s", r.Row, r.ID, created.Rows[i].ID)
				}
			}
			if m := again.Rows[0].MatchedBy; m == nil || *m != "customer_number" {
				t.Fatalf("matched_by %v", m)
			}
			if after := apitest.CountRows(t, c); after != before {
				t.Fatalf("re-import wrote: %+v → %+v", before, after)
			}
		})
		t.Run("a changed cell updates that customer only", func(t *testing.T) {
			res := importCSV(t, c, 200, "", strings.Replace(swissFile, "1204;Genève", "1205;Genève", 1))
			summary(t, res, actions.ImportSummary{Rows: 4, Matched: 2, Updated: 1, Invalid: 1})
			if res.Rows[1].Result != billbridge.ImportUpdated {
				t.Fatalf("rows %+v", res.Rows)
			}
		})
		t.Run("Windows-1252, as Excel's plain CSV saves it, is decoded", func(t *testing.T) {
			file, err := charmap.Windows1252.NewEncoder().String("Firma;Ort;Kundennummer\r\nBäckerei Hürlimann;Zürich;W-1\r\n")
			if err != nil {
				t.Fatal(err)
			}
			res := importCSV(t, c, 200, "", file)
			var cust billbridge.Customer
			c.Must(t, 200, "GET", "/v1/customers/"+res.Rows[0].ID, nil, &cust)
			if cust.Name != "Bäckerei Hürlimann" || cust.Address.City != "Zürich" {
				t.Fatalf("customer %q in %q", cust.Name, cust.Address.City)
			}
		})
		t.Run("rows without keys match by name and postcode", func(t *testing.T) {
			file := "name,postal_code\nSchreinerei Holz GmbH,3000\nSchreinerei Holz GmbH,3000\nSchreinerei Holz GmbH,4000\nSchreinerei Holz AG,3000\n"
			res := importCSV(t, c, 200, "", file)
			summary(t, res, actions.ImportSummary{Rows: 4, Created: 3, Matched: 1})
			if res.Rows[1].ID != res.Rows[0].ID || res.Rows[1].MatchedBy == nil || *res.Rows[1].MatchedBy != "name" {
				t.Fatalf("rows %+v", res.Rows)
			}
			summary(t, importCSV(t, c, 200, "", file), actions.ImportSummary{Rows: 4, Matched: 4})
			// Without a postcode the name is ambiguous: two GmbH.
			res = importCSV(t, c, 200, "", "Name 1\nSchreinerei Holz GmbH\n")
			summary(t, res, actions.ImportSummary{Rows: 1, Invalid: 1})
			if res.Rows[0].InvalidParams[0].Name != "name" {
				t.Fatalf("row %+v", res.Rows[0])
			}
		})
		t.Run("atomic: one invalid row and nothing is written", func(t *testing.T) {
			before := apitest.CountRows(t, c)
			file := "name,email\nNeu AG,neu@example.ch\nAuch Neu AG,nope\n"
			p := apitest.Invalid(t, c.Do(t, "POST", "/v1/imports/customers?atomic=true", file, "Content-Type", "text/csv"), "rows[3].email")
			if !strings.Contains(p.Detail, "1 of 2 rows") {
				t.Fatalf("detail %q", p.Detail)
			}
			if after := apitest.CountRows(t, c); after != before {
				t.Fatalf("atomic import wrote: %+v → %+v", before, after)
			}
			summary(t, importCSV(t, c, 200, "?atomic=true", "name,email\nNeu AG,neu@example.ch\n"), actions.ImportSummary{Rows: 1, Created: 1})
		})
		t.Run("a key another customer holds makes the row invalid", func(t *testing.T) {
			// The row matches Müller by customer number but carries Dupont's email.
			res := importCSV(t, c, 200, "", "Kundennummer;E-Mail;Firma\n0042;contact@dupont.ch;Müller AG\n")
			summary(t, res, actions.ImportSummary{Rows: 1, Invalid: 1})
			if res.Rows[0].InvalidParams[0].Name != "email" {
				t.Fatalf("row %+v", res.Rows[0])
			}
		})
		t.Run("multipart upload with the file field", func(t *testing.T) {
			body, contentType := multipartFile("kunden.csv", []byte("Firma;E-Mail\nMultipart AG;mp@example.ch\n"))
			r := c.Do(t, "POST", "/v1/imports/customers", body, "Content-Type", contentType)
			if r.Status != 200 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			var res actions.ImportResult
			r.Decode(t, &res)
			summary(t, res, actions.ImportSummary{Rows: 1, Created: 1})
		})
		t.Run("files that cannot be imported are problems", func(t *testing.T) {
			apitest.Invalid(t, c.Do(t, "POST", "/v1/imports/customers", "E-Mail\na@b.ch\n", "Content-Type", "text/csv"), "header")
			apitest.Invalid(t, c.Do(t, "POST", "/v1/imports/customers", "Firma,Company\na,b\n", "Content-Type", "text/csv"), "header")
			apitest.Invalid(t, c.Do(t, "POST", "/v1/imports/customers", `{"name":"x"}`), "Content-Type")
			apitest.Invalid(t, c.Do(t, "POST", "/v1/imports/customers", "  ", "Content-Type", "text/csv"), "file")
			apitest.Problem(t, c.Do(t, "POST", "/v1/imports/customers", "name\n\"broken\n", "Content-Type", "text/csv"), 400, billbridge.EMALFORMED)
			apitest.Problem(t, c.Do(t, "POST", "/v1/imports/customers", "name\n"+strings.Repeat("x\n", billbridge.MaxImportRows+1), "Content-Type", "text/csv"), 413, billbridge.ETOOLARGE)
			apitest.Problem(t, c.Do(t, "POST", "/v1/imports/customers", "name\n"+strings.Repeat("x", billbridge.MaxImportBytes), "Content-Type", "text/csv"), 413, billbridge.ETOOLARGE)
			apitest.Invalid(t, c.Do(t, "POST", "/v1/imports/customers?dry_run=maybe", "name\nx\n", "Content-Type", "text/csv"), "dry_run")
		})
	})
}

// TestImportIdempotentAndConcurrent: one Idempotency-Key covers a whole
// import (the second answer is the first replayed), and parallel imports
// of one file create each customer once.
func TestImportIdempotentAndConcurrent(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		var file strings.Builder
		file.WriteString("name;email\n")
		for i := range 50 {
			fmt.Fprintf(&file, "Kunde %d AG;k%d@example.ch\n", i, i)
		}
		r1 := c.Do(t, "POST", "/v1/imports/customers", file.String(), "Content-Type", "text/csv", "Idempotency-Key", "import-1")
		r2 := c.Do(t, "POST", "/v1/imports/customers", file.String(), "Content-Type", "text/csv", "Idempotency-Key", "import-1")
		if r1.Status != 200 || r2.Status != 200 || !bytes.Equal(r1.Body, r2.Body) || r2.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("keyed import twice: %d %d replayed=%q\n%s\n%s", r1.Status, r2.Status, r2.Header.Get("Idempotent-Replayed"), r1.Body, r2.Body)
		}

		other := apitest.NewClient(t, s)
		results := testenv.FanOut(t, 4, func(int) (actions.ImportResult, error) {
			var res actions.ImportResult
			r := other.Do(t, "POST", "/v1/imports/customers", file.String(), "Content-Type", "text/csv")
			if r.Status != 200 {
				return res, fmt.Errorf("parallel import: %d %s", r.Status, r.Body)
			}
			err := json.Unmarshal(r.Body, &res)
			return res, err
		})
		created := 0
		for _, res := range results {
			created += res.Summary.Created
		}
		if created != 50 || apitest.CountRows(t, other).Customers != 50 {
			t.Fatalf("4 parallel imports of 50 customers created %d, the account holds %d", created, apitest.CountRows(t, other).Customers)
		}
	})
}
