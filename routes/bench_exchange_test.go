package routes_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
)

// customerFile is a Swiss Excel customer list of n rows, about 200 bytes each.
func customerFile(n int) string {
	var b strings.Builder
	b.WriteString("\uFEFFFirma;Kontaktperson;E-Mail;Telefon;Strasse;Hausnummer;PLZ;Ort;Land;Kundennummer;MWST-Nr.;Sprache;Bemerkung\r\n")
	for i := range n {
		fmt.Fprintf(&b, "Handelsgesellschaft Muster %06d AG;Maria Muster-Beispiel;buchhaltung.%06d@muster-handel.example.ch;+41 44 123 %02d %02d;"+
			"Bahnhofstrasse;%d;%04d;Zürich;Schweiz;K-%06d;CHE-%03d.%03d.%03d MWST;Deutsch;Import aus dem alten ERP, Kunde seit 2019\r\n",
			i, i, i%100, i/100%100, i%200+1, 1000+i%8000, i, i%1000, i/1000%1000, i%997)
	}
	return b.String()
}

// BenchmarkImportCustomers imports a file of 50,000 customers (about 10 MB)
// into a fresh account per iteration: rows/s is the throughput.
//
//	go test -run='^$' -bench=ImportCustomers -benchtime=1x ./routes/
func BenchmarkImportCustomers(b *testing.B) {
	benchImport(b, "/v1/imports/customers", customerFile(50_000), 50_000, nil)
}

// invoiceFile is a Swiss Excel invoice list of n rows (one invoice line a
// row, two lines an invoice) for the customers K-000000 to K-000499 of
// customerFile: open, paid and draft invoices of September 2026.
func invoiceFile(n int) string {
	var b strings.Builder
	b.WriteString("\uFEFFKundennummer;Rechnungsnummer;Externe ID;Rechnungsdatum;Status;Beschreibung;Menge;Preis;MWST-Satz;Bezahlt am\r\n")
	for i := range n {
		inv := i / 2
		number, external, status, paidAt := fmt.Sprintf("2026-%06d", inv), "", "offen", ""
		switch inv % 3 {
		case 1:
			status, paidAt = "bezahlt", fmt.Sprintf("%d.10.2026", 1+inv%28)
		case 2: // a draft has no number yet: its lines share an external id
			number, external, status = "", fmt.Sprintf("draft-%06d", inv), "Entwurf"
		}
		fmt.Fprintf(&b, "K-%06d;%s;%s;%d.9.2026;%s;Position %d;%d;%d.50;8.1;%s\r\n",
			inv%500, number, external, 1+inv%28, status, i%2+1, 1+i%3, 100+i%900, paidAt)
	}
	return b.String()
}

// BenchmarkImportInvoices imports a file of 50,000 invoice lines (25,000
// invoices of 500 customers, imported first and untimed) into a fresh
// account per iteration: rows/s is the throughput.
//
//	go test -run='^$' -bench=ImportInvoices -benchtime=1x ./routes/
func BenchmarkImportInvoices(b *testing.B) {
	customers := customerFile(500)
	benchImport(b, "/v1/imports/invoices", invoiceFile(50_000), 50_000, func(b *testing.B, s *apitest.Server, key string) {
		postImportFile(b, s, "/v1/imports/customers", key, customers, 500)
	})
}

// benchImport posts file (rows data rows, all of which must be created) to
// the import at path, on each store, into a fresh account per iteration
// that prepare (when set) fills first, untimed; it reports rows/s.
func benchImport(b *testing.B, path, file string, rows int, prepare func(b *testing.B, s *apitest.Server, key string)) {
	for _, store := range apitest.Stores {
		b.Run(store, func(b *testing.B) {
			s := apitest.Start(b, apitest.Options{Store: store})
			b.SetBytes(int64(len(file)))
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				_, key := s.NewAccount("bench")
				if prepare != nil {
					prepare(b, s, key)
				}
				b.StartTimer()
				postImportFile(b, s, path, key, file, rows)
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(len(file))/1e6, "file-MB")
		})
	}
}

// postImportFile posts a CSV file to the import at path and fails unless
// all of its rows were created.
func postImportFile(b *testing.B, s *apitest.Server, path, key, file string, rows int) {
	b.Helper()
	// Not s.Do: its client gives up after 60 s, which a slow import may take.
	req, _ := http.NewRequest("POST", s.URL+path, strings.NewReader(file))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), fmt.Sprintf(`"created":%d`, rows)) {
		b.Fatalf("import %s: %d %.300s", path, resp.StatusCode, body)
	}
}

// BenchmarkExportCustomers streams exports of 10,000 and 100,000 customers
// as CSV (Excel profile) and XLSX and reports the peak heap the process
// reached while it ran: the same for both sizes when the export holds one
// page at a time (XLSX: plus excelize's worksheet buffer, at most 16 MiB
// before it moves to a temporary file).
//
//	go test -run='^$' -bench=ExportCustomers -benchtime=1x ./routes/
func BenchmarkExportCustomers(b *testing.B) {
	for _, store := range apitest.Stores {
		for _, n := range []int{10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/%d", store, n), func(b *testing.B) {
				s := apitest.Start(b, apitest.Options{Store: store})
				id, key := s.NewAccount("bench")
				seedCustomers(b, s, id, n)
				for _, path := range []string{"customers.csv?profile=excel", "customers.xlsx"} {
					b.Run(strings.TrimPrefix(path[:strings.IndexAny(path+"?", "?")], "customers."), func(b *testing.B) {
						benchExport(b, s.URL+"/v1/exports/"+path, key, n)
					})
				}
			})
		}
	}
}

// benchExport downloads url b.N times, reading as it streams, and reports
// rows/s and the peak heap growth over the heap before.
func benchExport(b *testing.B, url, key string, n int) {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			}
		}
	}()
	var size int64
	b.ResetTimer()
	for range b.N {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		size, err = io.Copy(io.Discard, resp.Body) // read as it streams, never held
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("export: %d %v", resp.StatusCode, err)
		}
	}
	b.StopTimer()
	close(stop)
	b.SetBytes(size)
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak.Load()-min(peak.Load(), base.HeapAlloc))/(1<<20), "peak-heap-growth-MiB")
	b.ReportMetric(float64(size)/1e6, "file-MB")
}

// seedCustomers inserts n customers into account id in batches.
func seedCustomers(b *testing.B, s *apitest.Server, id string, n int) {
	b.Helper()
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Millisecond)
	for start := 0; start < n; start += 5000 {
		err := s.DB.Atomic(ctx, func(tx billbridge.Tx) error {
			for i := start; i < min(start+5000, n); i++ {
				c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: id, Kind: billbridge.KindCompany,
					Name: fmt.Sprintf("Handelsgesellschaft Muster %06d AG", i), Email: fmt.Sprintf("k%06d@example.ch", i),
					CustomerNumber: fmt.Sprintf("K-%06d", i), PaymentTermsDays: 30, CreatedAt: at, UpdatedAt: at,
					Address: &billbridge.Address{Street: "Bahnhofstrasse", BuildingNumber: "1", PostalCode: "8001", City: "Zürich", Country: "CH"}}
				if err := tx.InsertCustomer(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportBankStatement posts a camt.054 of 2,000 credits, each
// paying one open invoice in full by its creditor reference (500 customers,
// four invoices each), into a fresh account per iteration (customers and
// invoices imported first, untimed): µs/entry is the cost of one credit
// found, recorded as a payment with its events, and rated.
//
//	go test -run='^$' -bench=ImportBankStatement -benchtime=3x ./routes/
func BenchmarkImportBankStatement(b *testing.B) {
	const n = 2000
	var invoices strings.Builder
	invoices.WriteString("Kundennummer;Rechnungsnummer;Rechnungsdatum;Status;Beschreibung;Menge;Preis;MWST-Satz\r\n")
	for i := range n {
		fmt.Fprintf(&invoices, "K-%06d;2026-%06d;%d.9.2026;offen;Beratung;1;%d.50;8.1\r\n", i%500, i, 1+i%28, 100+i%900)
	}
	settings := map[string]any{"iban": "CH5800791123000889012", "reference_type": "scor", "language": "de",
		"creditor": map[string]any{"name": "Robert Schneider AG", "street": "Rue du Lac", "building_number": "1268",
			"postal_code": "2501", "city": "Biel", "country": "CH"}}
	for _, store := range apitest.Stores {
		b.Run(store, func(b *testing.B) {
			s := apitest.Start(b, apitest.Options{Store: store})
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				id, key := s.NewAccount("bench")
				s.Must(b, 200, "PUT", "/v1/settings/qr-bill", key, settings)
				postImportFile(b, s, "/v1/imports/customers", key, customerFile(500), 500)
				postImportFile(b, s, "/v1/imports/invoices", key, invoices.String(), n)
				credits := make([]apitest.Credit, 0, n)
				after := ""
				for len(credits) < n {
					page, err := s.DB.FindInvoices(context.Background(), id, billbridge.InvoiceFilter{PageParams: billbridge.PageParams{Limit: 100, StartingAfter: after}})
					if err != nil || len(page.Data) == 0 {
						b.Fatalf("invoices: %v after %d", err, len(credits))
					}
					for _, inv := range page.Data {
						credits = append(credits, apitest.Credit{Ref: "B-" + inv.ID, Reference: inv.PaymentReference, Amount: inv.Total.String()})
					}
					after = page.Data[len(page.Data)-1].ID
				}
				body, contentType := apitest.Multipart("file", "camt054.xml", apitest.Camt054("MSG-"+id, credits...))
				// Not s.Do: its contract check of the 2,000-line answer would be timed too.
				req, _ := http.NewRequest("POST", s.URL+"/v1/bank-statements", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+key)
				req.Header.Set("Content-Type", contentType)
				b.StartTimer()
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				answer, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				b.StopTimer()
				if resp.StatusCode != 200 || strings.Count(string(answer), `"payment_id"`) != n {
					b.Fatalf("bank statement: %d %.300s", resp.StatusCode, answer)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n*b.N), "µs/entry")
		})
	}
}
