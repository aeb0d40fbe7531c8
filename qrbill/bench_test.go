package qrbill_test

import (
	"context"
	"io"
	"runtime"
	"testing"

	"billbridge"
	"billbridge/qrbill"
)

// countingDiscard counts the bytes written to it.
type countingDiscard struct{ n int64 }

func (c *countingDiscard) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// batch is 1,000 invoice documents of 1 to 20 lines in the four languages,
// as a month's run of a busy account would print them.
func batch() []*billbridge.InvoiceDocument {
	langs := []string{"de", "fr", "it", "en"}
	docs := make([]*billbridge.InvoiceDocument, 1000)
	for i := range docs {
		docs[i] = sampleDocument(1+i%20, langs[i%len(langs)])
	}
	return docs
}

// BenchmarkInvoicePDF renders one A4 invoice of 5 lines with its QR-bill.
func BenchmarkInvoicePDF(b *testing.B) {
	d := sampleDocument(5, "de")
	var out countingDiscard
	b.ReportAllocs()
	for b.Loop() {
		if err := (qrbill.Renderer{}).RenderInvoice(context.Background(), &out, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.n)/float64(b.N), "pdf-bytes/op")
}

// BenchmarkQRBillPDF renders the payment part with receipt alone.
func BenchmarkQRBillPDF(b *testing.B) {
	d := sampleDocument(5, "de")
	b.ReportAllocs()
	for b.Loop() {
		if err := (qrbill.Renderer{}).RenderQRBill(context.Background(), io.Discard, d.Bill, "de", billbridge.FormatPDF, d.Created); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInvoicePDFBatch1000 renders 1,000 invoices one after another per
// op (what one request handler or export does), and reports the heap in
// use at its highest, sampled after every invoice, beside the allocations.
func BenchmarkInvoicePDFBatch1000(b *testing.B) {
	docs := batch()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapInuse, ms.HeapInuse
	var out countingDiscard
	b.ReportAllocs()
	for b.Loop() {
		for i, d := range docs {
			if err := (qrbill.Renderer{}).RenderInvoice(context.Background(), &out, d); err != nil {
				b.Fatal(err)
			}
			if i%50 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
	}
	b.ReportMetric(float64(peak-base)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(out.n)/float64(b.N)/(1<<20), "pdf-MiB/op")
}

// BenchmarkInvoicePDFParallel renders invoices on every CPU at once: the
// throughput of a gateway serving GET /v1/invoices/{id}/pdf.
func BenchmarkInvoicePDFParallel(b *testing.B) {
	docs := batch()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if err := (qrbill.Renderer{}).RenderInvoice(context.Background(), io.Discard, docs[i%len(docs)]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}
