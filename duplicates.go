package billbridge

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// KeysVersion is the version of NameKey, EmailKey and DuplicateBlocks. A
// store rekeys the customers it keyed with an older version (their stored
// keys, blocks and duplicate pairs) when it opens, so a change to the keys
// reaches existing rows. Bump it with every change to the keys.
//
// 2: email local parts that differ in a number are not similar; blocks
// shared by more than MaxBlockSize customers make no candidates.
const KeysVersion = 2

// Duplicate is a pair of customers of one account that may be one customer:
// A's id sorts before B's. The store keeps the pairs of every customer
// up to date on each write, scored by Score.
type Duplicate struct {
	A Customer `json:"a"`
	B Customer `json:"b"`
	Match
}

// PairOf is the other customer of a pair of possible duplicates, and the
// pair's match.
type PairOf struct {
	ID string
	Match
}

// DuplicateFilter selects possible duplicates: pairs scoring at least
// MinScore, only those of CustomerID when set. Pages are ordered by score,
// highest first, then by the pair's ids; StartingAfter is a pair's cursor
// (DuplicateCursor).
type DuplicateFilter struct {
	CustomerID string
	MinScore   float64
	PageParams
}

// DuplicateCursor is the cursor of a pair in a list of duplicates.
func DuplicateCursor(aID, bID string) string { return aID + "~" + bID }

// MaxDuplicateCandidates bounds how many customers a write compares the
// written customer with: those sharing the most blocks first.
const MaxDuplicateCandidates = 100

// MaxBlockSize is the block purging of record linkage: a block shared by
// more customers of the account than this says nothing about any pair of
// them (a trading house's email domain on 5,000 customers, "Bau" in a
// builders' list) and makes no candidates. Customers sharing only such
// blocks are not compared; those that share a rarer block (UID, phone, the
// compact name, a rarer name word) still are. It keeps the cost of a write
// bounded however large the account and however its customers look.
const MaxBlockSize = 1000

// DuplicateBlocks returns the blocking keys of k: customers sharing one are
// compared by Score, others never. Blocks are the UID, the phone, the email
// domain (free-mail ignored), the compact name, and the first four letters of
// every name token of three letters or more, so typos after the fourth
// letter (dupont/dupond) and token order still meet.
func DuplicateBlocks(k CustomerKeys) []string {
	var out []string
	add := func(prefix, v string) {
		if v != "" {
			out = append(out, prefix+v)
		}
	}
	add("u:", k.UID)
	add("p:", k.Phone)
	add("d:", k.EmailDomain)
	add("c:", k.NameCompact)
	for _, t := range strings.Fields(k.Name) {
		if utf8.RuneCountInString(t) >= 3 && t != "and" {
			add("n:", prefixRunes(t, 4))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Matches scores c against candidates and returns the pairs that score
// above 0, one per candidate other than c itself.
func Matches(c *Customer, candidates []Customer) []Duplicate {
	kc := KeysOf(c)
	var out []Duplicate
	for i := range candidates {
		o := &candidates[i]
		if o.ID == c.ID {
			continue
		}
		m := Score(kc, KeysOf(o))
		if m.Score <= 0 {
			continue
		}
		d := Duplicate{A: *c, B: *o, Match: m}
		if d.B.ID < d.A.ID {
			d.A, d.B = d.B, d.A
		}
		out = append(out, d)
	}
	return out
}

func prefixRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
