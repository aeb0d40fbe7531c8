package actions_test

import (
	"encoding/json"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/openapi"
)

// jsonBodyOperations lists "METHOD /path" of every operation the spec
// declares with an application/json request body.
func jsonBodyOperations(t *testing.T) []string {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody *struct {
				Content map[string]any `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openapi.Spec(), &doc); err != nil {
		t.Fatal(err)
	}
	var ops []string
	for path, item := range doc.Paths {
		for method, op := range item {
			if op.RequestBody != nil && op.RequestBody.Content["application/json"] != nil {
				ops = append(ops, strings.ToUpper(method)+" "+path)
			}
		}
	}
	if len(ops) < 10 {
		t.Fatalf("only %d JSON-body operations in the spec: %v", len(ops), ops)
	}
	return ops
}

// TestAPIJSONBodiesNeedTheJSONMediaType: every operation taking a JSON
// body answers 415 naming Content-Type to a body sent as a form (curl -d),
// as text or with no Content-Type, and writes nothing; the same body as
// application/json is read.
func TestAPIJSONBodiesNeedTheJSONMediaType(t *testing.T) {
	ops := jsonBodyOperations(t)
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		cust := c.Customer(t, "Muster AG")
		inv := c.Invoice(t, cust.ID, "100")
		for _, op := range ops {
			method, path, _ := strings.Cut(op, " ")
			id := cust.ID
			if strings.HasPrefix(path, "/v1/invoices/") {
				id = inv.ID
			}
			path = strings.Replace(path, "{id}", id, 1)
			for _, ct := range []string{"application/x-www-form-urlencoded", "text/plain", ""} {
				t.Run(op+" as "+ct, func(t *testing.T) {
					before := apitest.CountRows(t, c)
					p := apitest.Problem(t, c.Do(t, method, path, `{"name":"x"}`, "Content-Type", ct), 415, billbridge.EMEDIATYPE)
					if len(p.InvalidParams) != 1 || p.InvalidParams[0].Name != "Content-Type" || !strings.Contains(p.Detail, "application/json") {
						t.Fatalf("problem %+v: want Content-Type named and application/json in the detail", p)
					}
					if after := apitest.CountRows(t, c); after != before {
						t.Fatalf("rows %+v, before %+v", after, before)
					}
				})
			}
		}
		t.Run("application/json with a charset is JSON", func(t *testing.T) {
			c.Must(t, 201, "POST", "/v1/customers", `{"name":"Beispiel GmbH"}`, nil)
			r := c.Do(t, "POST", "/v1/customers", `{"name":"Beispiel GmbH"}`, "Content-Type", "application/json; charset=utf-8")
			if r.Status != 201 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
		})
		t.Run("finalize without a body needs no Content-Type", func(t *testing.T) {
			inv := c.Invoice(t, cust.ID, "50")
			r := c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/finalize", nil)
			if r.Status != 200 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
		})
	})
}
