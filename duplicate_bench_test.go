package billbridge_test

import (
	"fmt"
	"testing"

	"billbridge"
)

// BenchmarkMatches scores one new customer against MaxDuplicateCandidates
// candidates as bench/peer's upserts do while their domain block is within
// MaxBlockSize: "Peer n" names and numbered mailboxes on one domain, none
// of them a pair.
//
//	go test -run='^$' -bench=Matches .
func BenchmarkMatches(b *testing.B) {
	customer := func(i int) billbridge.Customer {
		return billbridge.Customer{ID: fmt.Sprintf("cus_%06d", i), Kind: billbridge.KindCompany, Name: fmt.Sprintf("Peer 1796284800-1-%d", i),
			Email: fmt.Sprintf("peer1796284800-1-%d@bench.example", i), Address: &billbridge.Address{City: "Zürich", Country: "CH"}}
	}
	candidates := make([]billbridge.Customer, billbridge.MaxDuplicateCandidates)
	for i := range candidates {
		candidates[i] = customer(i)
	}
	c := customer(len(candidates))
	for b.Loop() {
		if pairs := billbridge.Matches(&c, candidates); len(pairs) != 0 {
			b.Fatalf("%d pairs, want none", len(pairs))
		}
	}
}
