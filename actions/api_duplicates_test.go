package actions_test

import (
	"slices"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
)

type possibleDuplicate struct {
	ID      string   `json:"id"`
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
}

type writtenCustomer struct {
	billbridge.Customer
	Created            bool                `json:"created"`
	PossibleDuplicates []possibleDuplicate `json:"possible_duplicates"`
}

// The first failure: "GmbH  Dupont" upserted after "Dupont GmbH"
// made a second customer and nothing said so.
func TestAPIDuplicates(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("create and upsert name the possible duplicates and never block the write", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			var first writtenCustomer
			c.Must(t, 201, "POST", "/v1/customers/upsert", map[string]any{"name": "Dupont GmbH", "email": "billing@dupont.ch",
				"address": map[string]any{"postal_code": "8001"}}, &first)
			if first.PossibleDuplicates == nil || len(first.PossibleDuplicates) != 0 {
				t.Fatalf("first customer: possible_duplicates %v, want []", first.PossibleDuplicates)
			}
			var second writtenCustomer
			c.Must(t, 201, "POST", "/v1/customers/upsert", map[string]any{"name": "GmbH  Dupont", "address": map[string]any{"postal_code": "8001"}}, &second)
			want := []possibleDuplicate{{ID: first.ID, Score: 0.95, Reasons: []string{billbridge.ReasonSameName, billbridge.ReasonSamePostalCode}}}
			if second.ID == first.ID || !second.Created || len(second.PossibleDuplicates) != 1 || second.PossibleDuplicates[0].ID != want[0].ID ||
				second.PossibleDuplicates[0].Score != 0.95 || !slices.Equal(second.PossibleDuplicates[0].Reasons, want[0].Reasons) {
				t.Fatalf("second upsert %+v, want a new customer with possible_duplicates %+v", second, want)
			}
			var third writtenCustomer
			c.Must(t, 201, "POST", "/v1/customers", map[string]any{"name": "Dupont Sàrl", "email": "compta@dupont.ch"}, &third)
			if len(third.PossibleDuplicates) != 2 {
				t.Errorf("create: possible_duplicates %+v, want both Duponts", third.PossibleDuplicates)
			}
		})
		t.Run("the duplicate list pages pairs best first with both customers", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			dupont := c.Customer(t, "Dupont GmbH", "address", map[string]any{"postal_code": "8001"})
			gmbh := c.Customer(t, "GmbH Dupont", "address", map[string]any{"postal_code": "8001"})
			ag := c.Customer(t, "Dupont AG", "address", map[string]any{"postal_code": "8001"})
			c.Customer(t, "Hans Dupont", "kind", "person", "address", map[string]any{"postal_code": "8001"})
			c.Customer(t, "Keller Treuhand AG")
			type pair struct {
				A       billbridge.Customer `json:"a"`
				B       billbridge.Customer `json:"b"`
				Score   float64             `json:"score"`
				Reasons []string            `json:"reasons"`
			}
			all := apitest.GetList[pair](t, c, "/v1/customers/duplicates?min_score=0.8&limit=100")
			if len(all.Data) != 3 {
				t.Fatalf("%d pairs, want 3 (the person is never paired with a company): %+v", len(all.Data), all.Data)
			}
			if top := all.Data[0]; top.Score != 0.95 || !slices.Contains([]string{dupont.ID, gmbh.ID}, top.A.ID) || !slices.Contains([]string{dupont.ID, gmbh.ID}, top.B.ID) || top.A.Name == "" {
				t.Errorf("top pair %+v, want Dupont GmbH / GmbH Dupont at 0.95", top)
			}
			for _, p := range all.Data[1:] {
				if p.Score != 0.85 || !slices.Contains(p.Reasons, billbridge.ReasonDifferentForm) || (p.A.ID != ag.ID && p.B.ID != ag.ID) {
					t.Errorf("AG pair %+v, want 0.85 with different_legal_form", p)
				}
			}
			if got := apitest.GetList[pair](t, c, "/v1/customers/duplicates"); len(got.Data) != 3 {
				t.Errorf("default min_score 0.85: %d pairs, want 3", len(got.Data))
			}
			if got := apitest.GetList[pair](t, c, "/v1/customers/duplicates?min_score=0.9"); len(got.Data) != 1 {
				t.Errorf("min_score 0.9: %d pairs, want 1", len(got.Data))
			}
			page1 := apitest.GetList[pair](t, c, "/v1/customers/duplicates?limit=2")
			if len(page1.Data) != 2 || !page1.HasMore || page1.NextCursor == nil {
				t.Fatalf("page 1 %+v", page1)
			}
			page2 := apitest.GetList[pair](t, c, "/v1/customers/duplicates?limit=2&starting_after="+*page1.NextCursor)
			if len(page2.Data) != 1 || page2.HasMore || page2.Data[0].A.ID+page2.Data[0].B.ID == page1.Data[1].A.ID+page1.Data[1].B.ID {
				t.Errorf("page 2 %+v after %+v", page2, page1)
			}
			mine := apitest.GetList[pair](t, c, "/v1/customers/"+ag.ID+"/duplicates")
			if len(mine.Data) != 2 {
				t.Errorf("pairs of Dupont AG: %+v", mine.Data)
			}
		})
		t.Run("bad queries, unknown cursors and other accounts' customers are refused", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			apitest.Invalid(t, c.Do(t, "GET", "/v1/customers/duplicates?min_score=1.5", nil), "min_score")
			apitest.Invalid(t, c.Do(t, "GET", "/v1/customers/duplicates?limit=0", nil), "limit")
			apitest.Problem(t, c.Do(t, "GET", "/v1/customers/duplicates?starting_after=cus_a~cus_b", nil), 400, billbridge.ECURSORINVALID)
			other := apitest.NewClient(t, s)
			theirs := other.Customer(t, "Dupont GmbH")
			apitest.Problem(t, c.Do(t, "GET", "/v1/customers/"+theirs.ID+"/duplicates", nil), 404, billbridge.ENOTFOUND)
			c.Customer(t, "Dupont GmbH")
			if got := apitest.GetList[map[string]any](t, c, "/v1/customers/duplicates?min_score=0"); len(got.Data) != 0 {
				t.Errorf("paired across accounts: %+v", got.Data)
			}
		})
	})
}
