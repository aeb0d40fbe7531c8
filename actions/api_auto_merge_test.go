package actions_test

import (
	"slices"
	"testing"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/apitest"
)

type autoMerged struct {
	billbridge.Customer
	PossibleDuplicates []possibleDuplicate `json:"possible_duplicates"`
	AutoMerged         *struct {
		PrimaryID string           `json:"primary_id"`
		MergedID  string           `json:"merged_id"`
		Moved     billbridge.Moved `json:"moved"`
	} `json:"auto_merged"`
}

// auto_merge exact merges at write time on an identical UID only; fuzzy
// matches ("Dupont AG" vs "Dupont GmbH", two Migros branches) stay
// suggestions.
func TestAPIAutoMerge(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("settings default to off and take off or exact only", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			var got billbridge.DuplicateSettings
			c.Must(t, 200, "GET", "/v1/settings/duplicates", nil, &got)
			if got.AutoMerge != billbridge.AutoMergeOff {
				t.Errorf("default %+v, want off", got)
			}
			c.Must(t, 200, "PUT", "/v1/settings/duplicates", map[string]any{"auto_merge": "exact"}, &got)
			c.Must(t, 200, "GET", "/v1/settings/duplicates", nil, &got)
			if got.AutoMerge != billbridge.AutoMergeExact {
				t.Errorf("after PUT exact: %+v", got)
			}
			apitest.Invalid(t, c.Do(t, "PUT", "/v1/settings/duplicates", map[string]any{"auto_merge": "fuzzy"}), "auto_merge")
			apitest.Invalid(t, c.Do(t, "PUT", "/v1/settings/duplicates", map[string]any{}), "auto_merge")
			var other billbridge.DuplicateSettings
			apitest.NewClient(t, s).Must(t, 200, "GET", "/v1/settings/duplicates", nil, &other)
			if other.AutoMerge != billbridge.AutoMergeOff {
				t.Errorf("another account's settings %+v", other)
			}
		})
		t.Run("exact merges an identical UID at write time, never a fuzzy match", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			c.Must(t, 200, "PUT", "/v1/settings/duplicates", map[string]any{"auto_merge": "exact"}, nil)
			first := c.Customer(t, "Dupont GmbH", "vat_number", "CHE-123.456.788", "address", map[string]any{"postal_code": "8001"})
			inv := c.OpenInvoice(t, first.ID, "10.00")
			var ag, branch autoMerged
			c.Must(t, 201, "POST", "/v1/customers", map[string]any{"name": "Dupont AG", "address": map[string]any{"postal_code": "8001"}}, &ag)
			c.Must(t, 201, "POST", "/v1/customers", map[string]any{"name": "Migros Zürich"}, nil)
			c.Must(t, 201, "POST", "/v1/customers", map[string]any{"name": "Migros Bern"}, &branch)
			if ag.AutoMerged != nil || ag.ID == first.ID || len(ag.PossibleDuplicates) != 1 || branch.AutoMerged != nil {
				t.Fatalf("fuzzy matches merged: %+v / %+v", ag, branch)
			}
			var same autoMerged
			c.Must(t, 201, "POST", "/v1/customers", map[string]any{"name": "Dupont Zürich GmbH", "vat_number": "che 123 456 788 mwst", "phone": "+41 44 000 00 00"}, &same)
			if same.AutoMerged == nil || same.ID != first.ID || same.AutoMerged.PrimaryID != first.ID || same.AutoMerged.MergedID == first.ID ||
				same.Phone != "+41 44 000 00 00" {
				t.Fatalf("identical UID: %+v, want merged into %s", same, first.ID)
			}
			var got billbridge.Customer
			c.Must(t, 200, "GET", "/v1/customers/"+same.AutoMerged.MergedID, nil, &got)
			if got.ID != first.ID {
				t.Errorf("GET of the auto-merged id: %s", got.ID)
			}
			var up struct {
				autoMerged
				Created bool `json:"created"`
			}
			c.Must(t, 201, "POST", "/v1/customers/upsert", map[string]any{"name": "Dupont", "external_id": "crm-9", "vat_number": "CHE-123.456.788"}, &up)
			if up.AutoMerged == nil || up.ID != first.ID || up.ExternalID != "crm-9" {
				t.Errorf("upsert with the UID: %+v", up)
			}
			var patched autoMerged
			c.Must(t, 200, "PATCH", "/v1/customers/"+ag.ID, map[string]any{"vat_number": "CHE-123.456.788"}, &patched)
			if patched.AutoMerged == nil || patched.ID != first.ID {
				t.Errorf("patch giving the UID: %+v", patched)
			}
			if invs := invoicesOf(t, c, first.ID); len(invs) != 1 || invs[0].ID != inv.ID {
				t.Errorf("survivor's invoices %+v", invs)
			}
			if n := len(apitest.GetList[billbridge.Event](t, c, "/v1/events?type=customer.merged&limit=100").Data); n != 3 {
				t.Errorf("%d customer.merged events, want 3", n)
			}
		})
		t.Run("an import applies the rules to every row, earlier rows included; a dry run writes nothing", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			c.Must(t, 200, "PUT", "/v1/settings/duplicates", map[string]any{"auto_merge": "exact"}, nil)
			first := c.Customer(t, "Favre Menuiserie Sàrl", "vat_number", "CHE-116.281.710", "address", map[string]any{"postal_code": "1003"})
			file := "Firma;UID;PLZ;E-Mail\n" +
				"Menuiserie Favre Lausanne;CHE 116 281 710 MWST;1003;atelier@favre.ch\n" + // the UID: merged into first
				"Rochat Fiduciaire SA;;1204;\n" +
				"Fiduciaire Rochat SA;;1204;compta@rochat.ch\n" // the row before: suggested only
			before := apitest.CountRows(t, c)
			dry := importCSV(t, c, 200, "?dry_run=true", file)
			if after := apitest.CountRows(t, c); after != before {
				t.Errorf("dry run wrote: %+v, before %+v", after, before)
			}
			res := importCSV(t, c, 200, "", file)
			summary(t, res, actions.ImportSummary{Rows: 3, Created: 3, AutoMerged: 1})
			summary(t, dry, res.Summary)
			m := res.Rows[0]
			if m.ID != first.ID || m.AutoMerged == nil || m.AutoMerged.PrimaryID != first.ID || m.AutoMerged.MergedID == first.ID {
				t.Fatalf("row 2 %+v, want merged into %s", m, first.ID)
			}
			var got billbridge.Customer
			c.Must(t, 200, "GET", "/v1/customers/"+first.ID, nil, &got)
			if got.Email != "atelier@favre.ch" || !slices.Equal(got.MergedIDs, []string{m.AutoMerged.MergedID}) {
				t.Errorf("survivor %+v: takes the row's empty fields and lists the merged id", got)
			}
			a, b := res.Rows[1], res.Rows[2]
			if a.AutoMerged != nil || b.AutoMerged != nil || a.PossibleDuplicates != nil || len(b.PossibleDuplicates) != 1 ||
				b.PossibleDuplicates[0].ID != a.ID || !slices.Contains(b.PossibleDuplicates[0].Reasons, billbridge.ReasonSameName) {
				t.Errorf("rows 3 and 4 %+v / %+v: the later lists the earlier as a possible duplicate, nothing merged", a, b)
			}
			if n := len(apitest.GetList[billbridge.Event](t, c, "/v1/events?type=customer.merged&limit=100").Data); n != 1 {
				t.Errorf("%d customer.merged events, want 1 (none from the dry run)", n)
			}
		})
		t.Run("off never merges", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			a := c.Customer(t, "Keller AG", "vat_number", "CHE-116.281.710")
			var b autoMerged
			c.Must(t, 201, "POST", "/v1/customers", map[string]any{"name": "Keller Holding AG", "vat_number": "CHE-116.281.710"}, &b)
			if b.AutoMerged != nil || b.ID == a.ID || len(b.PossibleDuplicates) != 1 || b.PossibleDuplicates[0].Score != 1 {
				t.Errorf("auto_merge off: %+v", b)
			}
		})
	})
}
