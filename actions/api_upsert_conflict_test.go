package actions_test

import (
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
)

// Two CRM companies can share a fiduciary's billing mailbox: an upsert
// matched by email (or customer_number) that carries another external_id
// than the matched customer's is 409 external_id_conflict naming both ids,
// and writes nothing.
func TestAPIUpsertExternalIDConflict(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("matched by email with another external_id", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			var first billbridge.Customer
			c.Must(t, 201, "POST", "/v1/customers/upsert", map[string]any{"name": "Dupont GmbH", "external_id": "crm-1",
				"email": "billing@treuhand.ch"}, &first)
			before := apitest.CountRows(t, c)
			p := apitest.Problem(t, c.Do(t, "POST", "/v1/customers/upsert", map[string]any{"name": "Keller AG", "external_id": "crm-2",
				"email": " Billing@Treuhand.ch"}), 409, billbridge.EEXTERNALIDCONFLICT)
			if p.ExistingID != first.ID || p.ExistingExternalID != "crm-1" || len(p.InvalidParams) != 1 || p.InvalidParams[0].Name != "external_id" {
				t.Errorf("problem %+v, want existing_id %s, existing_external_id crm-1, invalid_params naming external_id", p, first.ID)
			}
			if after := apitest.CountRows(t, c); after != before {
				t.Errorf("rows %+v after the conflict, want %+v", after, before)
			}
			var got billbridge.Customer
			c.Must(t, 200, "GET", "/v1/customers/"+first.ID, nil, &got)
			if got.Name != "Dupont GmbH" || got.ExternalID != "crm-1" {
				t.Errorf("matched customer changed to %+v", got)
			}
		})
		t.Run("matched by customer_number with another external_id", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			first := c.Customer(t, "Rossi SA", "external_id", "crm-1", "customer_number", "K-1")
			p := apitest.Problem(t, c.Do(t, "POST", "/v1/customers/upsert", map[string]any{"name": "Rossi SA", "external_id": "crm-9",
				"customer_number": "K-1"}), 409, billbridge.EEXTERNALIDCONFLICT)
			if p.ExistingID != first.ID || p.ExistingExternalID != "crm-1" {
				t.Errorf("problem %+v", p)
			}
		})
		t.Run("no conflict: the same external_id, none sent, or none held", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			held := c.Customer(t, "Dupont GmbH", "external_id", "crm-1", "email", "billing@dupont.ch")
			bare := c.Customer(t, "Müller AG", "email", "info@mueller.ch")
			var res struct {
				billbridge.Customer
				MatchedBy *string `json:"matched_by"`
			}
			c.Must(t, 200, "POST", "/v1/customers/upsert", map[string]any{"name": "Dupont GmbH", "email": "billing@dupont.ch", "phone": "+41 44 000 00 00"}, &res)
			if res.ID != held.ID || res.ExternalID != "crm-1" || *res.MatchedBy != billbridge.MatchedByEmail {
				t.Errorf("upsert without external_id: %+v", res)
			}
			c.Must(t, 200, "POST", "/v1/customers/upsert", map[string]any{"name": "Dupont GmbH", "external_id": "crm-1", "email": "billing@dupont.ch"}, &res)
			if res.ID != held.ID || *res.MatchedBy != billbridge.MatchedByExternalID {
				t.Errorf("upsert with the same external_id: %+v", res)
			}
			c.Must(t, 200, "POST", "/v1/customers/upsert", map[string]any{"name": "Müller AG", "external_id": "crm-7", "email": "info@mueller.ch"}, &res)
			if res.ID != bare.ID || res.ExternalID != "crm-7" || *res.MatchedBy != billbridge.MatchedByEmail {
				t.Errorf("upsert giving an external_id to a customer without one: %+v", res)
			}
		})
		t.Run("deal won refuses the same way", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			c.Customer(t, "Dupont GmbH", "external_id", "crm-1", "email", "billing@treuhand.ch")
			apitest.Problem(t, c.Do(t, "POST", "/v1/deals/won", map[string]any{"deal_id": "deal-1", "currency": "CHF",
				"customer": map[string]any{"name": "Keller AG", "external_id": "crm-2", "email": "billing@treuhand.ch"},
				"items":    []map[string]any{{"description": "Work", "quantity": 1, "unit_price": "100.00", "vat_rate": 8.1}}}),
				409, billbridge.EEXTERNALIDCONFLICT)
		})
	})
}
