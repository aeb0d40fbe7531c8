package qrbill_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"billbridge"
	"billbridge/qrbill"
)

// TestWriteSamples writes every sample slip (SVG, PNG, PDF) and invoice
// PDF into $QRBILL_SAMPLES, to look at them (pdftoppm -png -r 100 …). It
// runs only when the variable is set.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("QRBILL_SAMPLES")
	if dir == "" {
		t.Skip("set QRBILL_SAMPLES=<folder> to write the samples there")
	}
	ctx := context.Background()
	r := qrbill.Renderer{}
	for _, s := range sampleBills() {
		for _, f := range []string{"svg", "png", "pdf"} {
			var buf bytes.Buffer
			if err := r.RenderQRBill(ctx, &buf, s.bill, s.lang, f, fixedTime); err != nil {
				t.Fatalf("%s %s: %v", s.name, f, err)
			}
			if err := os.WriteFile(filepath.Join(dir, s.name+"."+f), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, d := range map[string]*billbridge.InvoiceDocument{
		"invoice-de": sampleDocument(5, "de"), "invoice-en-long": sampleDocument(60, "en"), "invoice-fr-full-page": sampleDocument(18, "fr"),
	} {
		var buf bytes.Buffer
		if err := r.RenderInvoice(ctx, &buf, d); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
