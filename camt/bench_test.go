package camt_test

import (
	"bytes"
	"fmt"
	"testing"

	"billbridge/camt"
	"billbridge/internal/apitest"
)

// BenchmarkReadStatement reads a generated camt.054 of about 10 MiB (20,000
// credits, each with a QR reference) as the import does, from a stream; its
// B/op and MB/s are the figures README's bank-file section quotes.
func BenchmarkReadStatement(b *testing.B) {
	credits := make([]apitest.Credit, 20000)
	for i := range credits {
		credits[i] = apitest.Credit{Ref: fmt.Sprintf("B-%06d", i), Reference: "RF18539007547034", Amount: "1949.75"}
	}
	file := apitest.Camt054("MSG-BENCH", credits...)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		st, err := camt.Reader{}.ReadStatement(bytes.NewReader(file))
		if err != nil || len(st.Entries) != len(credits) {
			b.Fatalf("%v, %d entries", err, len(st.Entries))
		}
	}
	b.ReportMetric(float64(len(file))/(1<<20), "MiB/file")
}
