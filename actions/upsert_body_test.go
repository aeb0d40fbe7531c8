package actions

import (
	"encoding/json"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/web"
)

// The upsert's answer splices the customer's JSON, encoded once for its
// event, into the rest of UpsertResult: byte for byte what web.Encode
// writes of the whole result (the idempotency record stores these bytes and
// a replay answers them), and the event's data is json.Marshal's bytes of
// the customer, as AppendEvent encoded it before.
func TestUpsertBodyIsEncodeOfTheResult(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 30, 0, 123456789, time.UTC)
	email := billbridge.MatchedByEmail
	customers := []billbridge.Customer{
		{ID: "cus_1", Kind: billbridge.KindCompany, Name: "Peer 1", Email: "peer1@bench.example", PaymentTermsDays: 30,
			Address: &billbridge.Address{City: "Zürich", Country: "CH"}, CreatedAt: at, UpdatedAt: at},
		{ID: "cus_2", Kind: billbridge.KindPerson, Name: "Dupont & Co <Zürich>", ExternalID: "crm-\"1\"", CustomerNumber: "K-7",
			ContactPerson: "Anna", Email: "a@b.ch", Phone: "+41 44 123 45 67", VATNumber: "CHE-123.456.789", Language: "fr",
			Address:         &billbridge.Address{Street: "Rue", BuildingNumber: "1", PostalCode: "1200", City: "Genève", Country: "CH"},
			ShippingAddress: &billbridge.Address{City: "Bern"}, PaymentTermsDays: 10, CreatedAt: at, UpdatedAt: at.Add(time.Second),
			DunningPaused: true, MergedIDs: []string{"cus_0"}},
		{ID: "cus_3", Name: "\u2028line\u2029sep", CreatedAt: at, UpdatedAt: at},
		{ID: "cus_4", Name: "Dupont & Co", CreatedAt: at, UpdatedAt: at},
		{ID: "cus_5", Name: "a > b", CreatedAt: at, UpdatedAt: at},
	}
	dups := [][]PossibleDuplicate{{}, {{ID: "cus_9", Match: billbridge.Match{Score: 0.9, Reasons: []string{"same_name", "same_postal_code"}}}}}
	for _, c := range customers {
		for _, d := range dups {
			for _, created := range []bool{true, false} {
				res := &UpsertResult{CustomerResult: CustomerResult{Customer: c, PossibleDuplicates: d}, Created: created}
				if !created {
					res.MatchedBy = &email
				}
				encoded, data, err := customerEvent(&c)
				if err != nil {
					t.Fatal(err)
				}
				res.customerJSON = encoded
				got, err := res.body()
				if err != nil {
					t.Fatal(err)
				}
				want, err := web.Encode(res)
				if err != nil {
					t.Fatal(err)
				}
				if g, ok := got.(web.Encoded); !ok || string(g) != string(want) {
					t.Errorf("body of %s (created %v, %d duplicates):\n%s\nwant\n%s", c.ID, created, len(d), got, want)
				}
				eventData, ok := data.(json.RawMessage) // AppendEvent keeps it as it is
				if !ok {
					if eventData, err = json.Marshal(data); err != nil {
						t.Fatal(err)
					}
				}
				if wantData, _ := json.Marshal(&c); string(eventData) != string(wantData) {
					t.Errorf("event data of %s:\n%s\nwant\n%s", c.ID, eventData, wantData)
				}
			}
		}
	}
	merged := &UpsertResult{CustomerResult: CustomerResult{Customer: customers[0], AutoMerged: &billbridge.Merge{PrimaryID: "cus_0"}}, customerJSON: []byte(`{}`)}
	if got, _ := merged.body(); got != any(merged) {
		t.Errorf("an auto-merged result is encoded whole, got %T", got)
	}
}
