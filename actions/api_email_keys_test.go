package actions_test

import (
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
)

// Defect 10: invisible characters and ASCII look-alikes in an email made a
// second customer for the same mailbox; İ and i made one key for two.
func TestAPIEmailKeys(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("invisible characters and look-alikes are refused naming email, and nothing is written", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			c.Customer(t, "Dupont GmbH", "email", "billing@dupont.ch")
			before := apitest.CountRows(t, c)
			for _, email := range []string{"billing\u200b@dupont.ch", "bill\u00ading@dupont.ch", "\u200ebilling@dupont.ch", "\uff42illing@dupont.ch", "\u212aunde@dupont.ch"} {
				for _, path := range []string{"/v1/customers", "/v1/customers/upsert"} {
					p := apitest.Invalid(t, c.Do(t, "POST", path, map[string]any{"name": "GmbH Dupont", "email": email}), "email")
					if !strings.Contains(p.InvalidParams[0].Reason, "U+") {
						t.Errorf("%s %q: reason %q does not name the character", path, email, p.InvalidParams[0].Reason)
					}
				}
			}
			if after := apitest.CountRows(t, c); after != before {
				t.Errorf("rows %+v after refusals, want %+v", after, before)
			}
		})
		t.Run("upsert by email folds case but keeps the dotted capital I apart", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			first := c.Customer(t, "Yilmaz AS", "email", "info@firma.com.tr")
			var up struct {
				billbridge.Customer
				Created   bool    `json:"created"`
				MatchedBy *string `json:"matched_by"`
			}
			c.Must(t, 200, "POST", "/v1/customers/upsert", map[string]any{"name": "Yilmaz AS", "email": " INFO@Firma.com.tr "}, &up)
			if up.ID != first.ID || up.MatchedBy == nil || *up.MatchedBy != billbridge.MatchedByEmail {
				t.Errorf("case-folded upsert matched %+v, want %s by email", up, first.ID)
			}
			c.Must(t, 201, "POST", "/v1/customers/upsert", map[string]any{"name": "Yılmaz AŞ", "email": "İnfo@firma.com.tr"}, &up)
			if up.ID == first.ID || !up.Created {
				t.Errorf("İnfo@ matched info@ (%+v): strings.ToLower folding", up)
			}
		})
	})
}
