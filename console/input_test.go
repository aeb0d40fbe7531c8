package console_test

import (
	"net/url"
	"testing"

	"billbridge/internal/apitest"
)

// TestConsoleRefusesControlCharacters: a path id or a form value with a
// control character gets the answer every store gives (404 for an id,
// 422 naming the field for a form value) before it reaches the store;
// PostgreSQL cannot hold NUL and answered 500 where SQLite answered 404.
func TestConsoleRefusesControlCharacters(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		b := newBrowser(t, s)
		b.signIn(t, s.Key)
		want(t, "rotate a NUL id", b.post(t, "/console/keys", "/console/keys/key_%00x/rotate", nil), 404)
		want(t, "revoke a NUL id", b.post(t, "/console/keys", "/console/keys/key_%00x/revoke", nil), 404)
		want(t, "redeliver to a NUL id", b.post(t, "/console/hooks", "/console/hooks/hook_%00x/redeliver", url.Values{"after_seq": {"0"}}), 404)
		want(t, "merge a NUL id", b.post(t, "/console/duplicates", "/console/duplicates/merge",
			url.Values{"primary_id": {"cus_\x00x"}, "duplicate_id": {"cus_y"}}), 422, "primary_id")
		want(t, "a NUL label", b.post(t, "/console/keys", "/console/keys", url.Values{"label": {"Zap\x00ier"}}), 422, "label")
	})
}
