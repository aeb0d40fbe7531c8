package actions_test

import (
	"net/url"
	"testing"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/apitest"
)

func TestAPIMe(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		for _, h := range [][]string{
			{"Authorization", "Bearer " + s.Key},
			{"X-API-Key", s.Key},
		} {
			r := s.Must(t, 200, "GET", "/v1/me", "", nil, h...)
			var me billbridge.Account
			r.Decode(t, &me)
			if me.ID != s.AccountID || me.Name != "Test AG" || me.Timezone != "Europe/Zurich" {
				t.Errorf("%s: me = %+v, want account %s Test AG", h[0], me, s.AccountID)
			}
		}
		other, otherKey := s.NewAccount("Other GmbH")
		var me billbridge.Account
		s.Must(t, 200, "GET", "/v1/me", otherKey, nil).Decode(t, &me)
		if me.ID != other || me.Name != "Other GmbH" {
			t.Errorf("second key: me = %+v, want %s", me, other)
		}

		for name, h := range map[string][]string{
			"no key":             nil,
			"bad bearer":         {"Authorization", "Bearer bb_not-a-key"},
			"bad X-API-Key":      {"X-API-Key", "bb_not-a-key"},
			"empty bearer":       {"Authorization", "Bearer "},
			"basic scheme":       {"Authorization", "Basic " + s.Key},
			"key with extra bit": {"X-API-Key", s.Key + "x"},
		} {
			r := s.Do(t, "GET", "/v1/me", "", nil, h...)
			apitest.Problem(t, r, 401, billbridge.EUNAUTHORIZED)
			if r.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", name)
			}
		}
		// Every /v1 route asks for the key, writes too, and writes nothing without it.
		apitest.Problem(t, s.Do(t, "POST", "/v1/customers", "", map[string]any{"name": "Nobody"}), 401, billbridge.EUNAUTHORIZED)
		apitest.Problem(t, s.Do(t, "GET", "/v1/invoices", "bb_wrong", nil), 401, billbridge.EUNAUTHORIZED)
	})
}

func TestAPICustomers(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("customer create, get and patch", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			var cust billbridge.Customer
			in := map[string]any{
				"name": "  Dupont GmbH ", "external_id": "hs-1", "customer_number": "K-1", "kind": "company",
				"contact_person": "Marie Dupont", "email": " Billing@Dupont.CH ", "phone": "+41 44 123 45 67",
				"address":          map[string]any{"street": "Bahnhofstrasse", "building_number": "12a", "postal_code": "8001", "city": "Zürich", "country": "ch"},
				"shipping_address": map[string]any{"street": "Lager", "postal_code": "8005", "city": "Zürich", "country": "CH"},
				"vat_number":       "CHE-123.456.789 MWST", "language": "de", "payment_terms_days": 10,
			}
			t.Run("create trims every string and stores every field", func(t *testing.T) {
				c.Must(t, 201, "POST", "/v1/customers", in, &cust)
				if cust.ID == "" || cust.Name != "Dupont GmbH" || cust.Email != "Billing@Dupont.CH" || cust.ExternalID != "hs-1" ||
					cust.CustomerNumber != "K-1" || cust.Kind != "company" || cust.PaymentTermsDays != 10 || cust.Language != "de" ||
					cust.Address == nil || cust.Address.Country != "CH" || cust.Address.BuildingNumber != "12a" ||
					cust.ShippingAddress == nil || cust.ShippingAddress.Street != "Lager" || cust.CreatedAt.IsZero() || !cust.CreatedAt.Equal(cust.UpdatedAt) {
					t.Fatalf("created %+v", cust)
				}
			})
			var got billbridge.Customer
			t.Run("get answers what create stored", func(t *testing.T) {
				c.Must(t, 200, "GET", "/v1/customers/"+cust.ID, nil, &got)
				if got.ID != cust.ID || got.Name != cust.Name || got.Email != cust.Email || got.Address == nil || cust.Address == nil || *got.Address != *cust.Address {
					t.Errorf("get %+v, want %+v", got, cust)
				}
			})
			t.Run("patch sets only the fields it sends", func(t *testing.T) {
				var patched billbridge.Customer
				c.Must(t, 200, "PATCH", "/v1/customers/"+cust.ID, map[string]any{"phone": "+41 44 000 00 00", "kind": "person"}, &patched)
				if patched.Phone != "+41 44 000 00 00" || patched.Kind != "person" || patched.Name != "Dupont GmbH" || patched.Email != cust.Email {
					t.Errorf("patched %+v: the patch sets phone and kind and keeps the rest", patched)
				}
				c.Must(t, 200, "GET", "/v1/customers/"+cust.ID, nil, &got)
				if got.Phone != patched.Phone || got.Kind != "person" {
					t.Errorf("after patch get %+v", got)
				}
			})
			var d billbridge.Customer
			t.Run("a customer without kind or payment terms is a company with 30 days", func(t *testing.T) {
				d = c.Customer(t, "Plain")
				if d.Kind != "company" || d.PaymentTermsDays != 30 {
					t.Errorf("defaults: %+v", d)
				}
			})
			t.Run("an unknown id is 404 on get and patch", func(t *testing.T) {
				apitest.Problem(t, c.Do(t, "GET", "/v1/customers/cus_nope", nil), 404, billbridge.ENOTFOUND)
				apitest.Problem(t, c.Do(t, "PATCH", "/v1/customers/cus_nope", map[string]any{"name": "X"}), 404, billbridge.ENOTFOUND)
			})
			t.Run("a patch taking another customer's key is 409 naming it", func(t *testing.T) {
				p := apitest.Problem(t, c.Do(t, "PATCH", "/v1/customers/"+d.ID, map[string]any{"email": "billing@dupont.ch"}), 409, billbridge.ECONFLICT)
				if p.ExistingID != cust.ID {
					t.Errorf("patch clash existing_id %q, want %q", p.ExistingID, cust.ID)
				}
			})
		})

		t.Run("create conflict names the existing id", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			first := c.Customer(t, "First", "external_id", "crm-1", "customer_number", "K-7", "email", "a@b.ch")
			before := apitest.CountRows(t, c)
			for field, value := range map[string]string{"external_id": "crm-1", "customer_number": "K-7", "email": "  A@B.CH "} {
				p := apitest.Problem(t, c.Do(t, "POST", "/v1/customers", map[string]any{"name": "Second", field: value}), 409, billbridge.ECONFLICT)
				if p.ExistingID != first.ID {
					t.Errorf("%s: existing_id %q, want %q", field, p.ExistingID, first.ID)
				}
			}
			if after := apitest.CountRows(t, c); after != before {
				t.Errorf("conflicts wrote rows: %+v → %+v", before, after)
			}
		})

		t.Run("upsert matches external_id, then customer_number, then email", func(t *testing.T) {
			// The steps share one account and run in order: each states one promise.
			t.Parallel()
			c := apitest.NewClient(t, s)
			upsert := func(t *testing.T, want int, body map[string]any) actions.UpsertResult {
				t.Helper()
				var res actions.UpsertResult
				c.Must(t, want, "POST", "/v1/customers/upsert", body, &res)
				return res
			}
			var byExt, byNum, byMail actions.UpsertResult
			t.Run("upsert creates a customer no key matches (201, matched_by null)", func(t *testing.T) {
				byExt = upsert(t, 201, map[string]any{"name": "Ext AG", "external_id": "crm-9", "email": "ext@ag.ch"})
				if !byExt.Created || byExt.MatchedBy != nil {
					t.Fatalf("created: %+v", byExt)
				}
				byNum = upsert(t, 201, map[string]any{"name": "Num AG", "customer_number": "K-9", "email": "num@ag.ch"})
				byMail = upsert(t, 201, map[string]any{"name": "Mail AG", "email": "Mail@AG.ch"})
			})

			for _, tc := range []struct {
				name      string
				body      map[string]any
				wantID    string
				matchedBy string
			}{
				{"external_id first", map[string]any{"name": "Ext AG 2", "external_id": "crm-9"}, byExt.ID, "external_id"},
				// an unknown external_id falls through to the customer_number.
				{"customer_number when external_id is unknown", map[string]any{"name": "Num AG", "external_id": "crm-new", "customer_number": "K-9"}, byNum.ID, "customer_number"},
				// email trimmed and case-folded, last.
				{"email, trimmed and case-folded, last", map[string]any{"name": "Mail AG", "customer_number": "K-new", "email": "  mAIL@ag.CH  "}, byMail.ID, "email"},
			} {
				t.Run("upsert matches "+tc.name, func(t *testing.T) {
					res := upsert(t, 200, tc.body)
					if res.ID != tc.wantID || res.Created || res.MatchedBy == nil || *res.MatchedBy != tc.matchedBy {
						t.Errorf("got id %s created %v matched_by %v; want %s matched by %s", res.ID, res.Created, res.MatchedBy, tc.wantID, tc.matchedBy)
					}
				})
			}
			t.Run("an upsert giving the first match another customer's key is 409 naming the other", func(t *testing.T) {
				for _, tc := range []struct {
					body  map[string]any
					other string
				}{
					{map[string]any{"name": "X", "external_id": "crm-9", "customer_number": "K-9"}, byNum.ID},
					{map[string]any{"name": "X", "customer_number": "K-9", "email": "EXT@ag.ch"}, byExt.ID},
				} {
					p := apitest.Problem(t, c.Do(t, "POST", "/v1/customers/upsert", tc.body), 409, billbridge.ECONFLICT)
					if p.ExistingID != tc.other {
						t.Errorf("upsert %v: existing_id %q, want %q", tc.body, p.ExistingID, tc.other)
					}
				}
			})
			var got billbridge.Customer
			t.Run("upsert updates the matched customer with the fields it sends and keeps the empty ones", func(t *testing.T) {
				c.Must(t, 200, "GET", "/v1/customers/"+byExt.ID, nil, &got)
				if got.Name != "Ext AG 2" || got.Email != "ext@ag.ch" {
					t.Errorf("after external_id match: %+v, want name updated and email kept", got)
				}
				c.Must(t, 200, "GET", "/v1/customers/"+byNum.ID, nil, &got)
				if got.ExternalID != "crm-new" {
					t.Errorf("customer_number match did not take the new external_id: %+v", got)
				}
				c.Must(t, 200, "GET", "/v1/customers/"+byMail.ID, nil, &got)
				if got.CustomerNumber != "K-new" {
					t.Errorf("email match: %+v, want customer_number K-new", got)
				}
				if n := apitest.CountRows(t, c).Customers; n != 3 {
					t.Errorf("%d customers, want 3", n)
				}
			})
			t.Run("an unchanged upsert is 200 and appends no event", func(t *testing.T) {
				before := apitest.CountRows(t, c)
				if res := upsert(t, 200, map[string]any{"name": got.Name, "email": got.Email, "customer_number": "K-new"}); res.ID != got.ID {
					t.Errorf("unchanged upsert matched %s, want %s", res.ID, got.ID)
				}
				if after := apitest.CountRows(t, c); after != before {
					t.Errorf("unchanged upsert wrote: %+v → %+v", before, after)
				}
			})
		})

		t.Run("the list finds a customer by exact key or free text; no match is 200 with empty data", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			dupont := c.Customer(t, "Dupont GmbH", "email", "info@dupont.ch", "external_id", "hs-42", "customer_number", "K-100")
			c.Customer(t, "Müller AG", "email", "hallo@mueller.ch", "customer_number", "K-200")
			for _, q := range []string{
				"email=" + url.QueryEscape(" INFO@Dupont.ch "),
				"external_id=hs-42",
				"customer_number=K-100",
				"q=dupont",
				"q=" + url.QueryEscape("GmbH Dupont"),
			} {
				l := apitest.GetList[billbridge.Customer](t, c, "/v1/customers?"+q)
				if len(l.Data) != 1 || l.Data[0].ID != dupont.ID || l.HasMore || l.NextCursor != nil {
					t.Errorf("?%s: %+v, want only Dupont", q, l)
				}
			}
			for _, q := range []string{"email=nobody@x.ch", "external_id=none", "customer_number=K-999", "q=zzzz"} {
				if l := apitest.GetList[billbridge.Customer](t, c, "/v1/customers?"+q); len(l.Data) != 0 || l.HasMore {
					t.Errorf("?%s: %+v, want 200 with empty data", q, l)
				}
			}
			if l := apitest.GetList[billbridge.Customer](t, c, "/v1/customers"); len(l.Data) != 2 {
				t.Errorf("list: %d customers, want 2", len(l.Data))
			}
		})
	})
}
