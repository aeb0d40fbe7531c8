package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

var (
	benchSurnames = []string{"Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Meyer", "Steiner", "Fischer",
		"Gerber", "Brunner", "Baumann", "Frei", "Zimmermann", "Moser", "Widmer", "Wyss", "Graf", "Roth", "Dupont", "Favre",
		"Rochat", "Morel", "Perret", "Bonvin", "Rossi", "Bernasconi", "Fontana", "Ferrari", "Lombardi", "Bianchi", "Conti",
		"Marti", "Suter", "Bühler", "Kunz", "Hofmann", "Lüthi", "Kälin"}
	benchTrades = []string{"Bau", "Holzbau", "Treuhand", "Elektro", "Sanitär", "Garage", "Immobilien", "Informatik", "Gartenbau",
		"Malerei", "Schreinerei", "Bäckerei", "Metzgerei", "Transporte", "Architektur", "Boulangerie", "Menuiserie", "Fiduciaire",
		"Edilizia", "Costruzioni", "Consulting", "Reinigung", "Druckerei", "Optik", "Apotheke"}
	benchTowns = []string{"Zürich", "Bern", "Basel", "Luzern", "Winterthur", "St. Gallen", "Lugano", "Genève", "Lausanne",
		"Biel", "Thun", "Chur", "Aarau", "Zug", "Sion", "Fribourg", "Olten", "Baden", "Wil", "Uster"}
	benchForms = []string{"AG", "GmbH", "SA", "Sàrl", "Sagl", "", "& Co.", "Genossenschaft"}
)

// seedCustomers stores n customers of account a through InsertCustomer (so
// with their blocks and pairs), 250 a transaction: names of a surname, a
// trade, a town and a legal form, and every 25th a variant of an earlier one
// at the same postal code (extra spaces, another legal form, one letter
// changed), as a second capture of the same company would be. PostgreSQL is
// analyzed whenever the account has grown by a tenth (autovacuum's default
// analyze_scale_factor; the test server runs without autovacuum): with
// statistics from before the account existed, the planner reads the
// account's whole index range for every block lookup and the seeding slows
// with every customer (66 customers/s at 5,000, 8/s at 18,000, measured
// under load ~25 on 2 cores; analyzed like this: 56/s and 47/s at 50,000).
func seedCustomers(b testing.TB, db *sqlstore.DB, a *billbridge.Account, n int) time.Duration {
	b.Helper()
	rng := rand.New(rand.NewPCG(uint64(n), 12))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	var names, postcodes []string
	start := time.Now()
	analyzed := 0
	for done := 0; done < n; {
		if done-analyzed >= max(1000, analyzed/10) {
			if err := db.Analyze(context.Background()); err != nil {
				b.Fatal(err)
			}
			analyzed = done
		}
		batch := min(250, n-done)
		err := db.Atomic(context.Background(), func(tx billbridge.Tx) error {
			for i := range batch {
				name := fmt.Sprintf("%s %s %s %s", pick(benchSurnames), pick(benchTrades), pick(benchTowns), pick(benchForms))
				postcode := fmt.Sprint(1000 + rng.IntN(8000))
				if (done+i)%25 == 24 && len(names) > 0 {
					// A second capture of an earlier customer: same place.
					j := rng.IntN(len(names))
					name, postcode = variant(rng, names[j]), postcodes[j]
				}
				names, postcodes = append(names, name), append(postcodes, postcode)
				c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
					Name: name, PaymentTermsDays: 30, CreatedAt: now(), UpdatedAt: now(),
					Address: &billbridge.Address{PostalCode: postcode, Country: "CH"}}
				if err := tx.InsertCustomer(context.Background(), c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		done += batch
	}
	return time.Since(start)
}

// variant spells name the way a second capture would.
func variant(rng *rand.Rand, name string) string {
	switch rng.IntN(3) {
	case 0:
		return "  " + name + " "
	case 1:
		r := []rune(name)
		i := 2 + rng.IntN(max(1, len(r)-3))
		r[i] = 'x'
		return string(r)
	default:
		return name + " " + benchForms[rng.IntN(3)]
	}
}

// BenchmarkFindDuplicates reads page 1 (25 pairs, min_score 0.85) of the
// duplicates of an account of 5,000 and one of 50,000 customers, on both
// stores; the pairs are kept at write time, so the read is one index range
// and should cost the same at both sizes. PostgreSQL is analyzed after each
// seeding, as autovacuum would be (without statistics it joins the page's
// pairs to every customer of the account). It also reports the seeding
// throughput, the write path with duplicate scoring included.
//
//	go test -run '^$' -bench FindDuplicates -benchtime 2000x ./sqlstore/
func BenchmarkFindDuplicates(b *testing.B) {
	stores := []struct {
		name string
		open func(b *testing.B) *sqlstore.DB
	}{
		{"sqlite", func(b *testing.B) *sqlstore.DB {
			return mustOpen(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
		}},
		{"postgres", func(b *testing.B) *sqlstore.DB { return mustOpen(b, testenv.PostgresURL(b)) }},
	}
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			db := s.open(b)
			for _, n := range []int{5000, 50000} {
				a := newAccount(b, db)
				took := seedCustomers(b, db, a, n)
				if err := db.Analyze(context.Background()); err != nil {
					b.Fatal(err)
				}
				b.Logf("%s: seeded %d customers in %v (%.0f customers/s with duplicate scoring)", s.name, n, took.Round(time.Millisecond), float64(n)/took.Seconds())
				f := billbridge.DuplicateFilter{MinScore: billbridge.DefaultMinScore, PageParams: billbridge.PageParams{Limit: 25}}
				b.Run(fmt.Sprint(n), func(b *testing.B) {
					ctx := context.Background()
					for b.Loop() {
						page, err := db.FindDuplicates(ctx, a.ID, f)
						if err != nil || len(page.Data) != 25 || !page.HasMore {
							b.Fatalf("page: %d pairs, more %v, %v", len(page.Data), page.HasMore, err)
						}
					}
				})
			}
		})
	}
}

// seedOneDomain stores n customers of account a the way a CRM export of one
// trading house looks (the import benchmark's file): every email on one
// company domain with local parts that differ in a number only, names that
// differ in a number only, each phone shared by five customers, a UID each;
// 250 a transaction. It returns the customers/s of the last fifth, the
// write cost at the size reached.
func seedOneDomain(b *testing.B, db *sqlstore.DB, a *billbridge.Account, from, n int) float64 {
	b.Helper()
	var lastStart time.Time
	for done := from; done < n; {
		if lastStart.IsZero() && done >= n-(n-from)/5 {
			lastStart = time.Now()
		}
		batch := min(250, n-done)
		err := db.Atomic(context.Background(), func(tx billbridge.Tx) error {
			for i := done; i < done+batch; i++ {
				c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
					Name:      fmt.Sprintf("Handelsgesellschaft Muster %06d AG", i),
					Email:     fmt.Sprintf("buchhaltung.%06d@muster-handel.example.ch", i),
					Phone:     fmt.Sprintf("+41 44 123 %02d %02d", i%100, i/100%100),
					VATNumber: fmt.Sprintf("CHE-%03d.%03d.%03d MWST", i%1000, i/1000%1000, i%997),
					Address:   &billbridge.Address{PostalCode: fmt.Sprint(1000 + i%8000), Country: "CH"},
					CreatedAt: now(), UpdatedAt: now(), PaymentTermsDays: 30}
				if err := tx.InsertCustomer(context.Background(), c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		done += batch
	}
	return float64((n-from)/5) / time.Since(lastStart).Seconds()
}

// BenchmarkWriteDuplicates is the cost the duplicate pairs add to a customer
// write in an account of 5,000 and of 50,000 customers that share one email
// domain (a trading house's CRM export): customers/s of the last fifth of
// the seeding (the write path, pairs included, at that size). A block shared by more than billbridge.MaxBlockSize customers
// says nothing and is left out, so the write costs the same at both sizes.
//
//	go test -run '^$' -bench WriteDuplicates -benchtime 1x ./sqlstore/
func BenchmarkWriteDuplicates(b *testing.B) {
	stores := []struct {
		name string
		open func(b *testing.B) *sqlstore.DB
	}{
		{"sqlite", func(b *testing.B) *sqlstore.DB {
			return mustOpen(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
		}},
		{"postgres", func(b *testing.B) *sqlstore.DB { return mustOpen(b, testenv.PostgresURL(b)) }},
	}
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			db := s.open(b)
			a := newAccount(b, db)
			seeded := 0
			for _, n := range []int{5000, 50000} {
				b.Run(fmt.Sprint(n), func(b *testing.B) {
					var rate float64
					for b.Loop() {
						rate = seedOneDomain(b, db, a, seeded, n)
						seeded = n
					}
					b.ReportMetric(rate, "writes/s")
				})
			}
		})
	}
}
