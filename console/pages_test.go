package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
)

// TestConsoleAlerts: the alert form stores what PUT /v1/settings/alerts
// would (addresses kept once regardless of case) and refuses what it
// refuses, naming the field, without writing.
func TestConsoleAlerts(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		b := newBrowser(t, s)
		b.signIn(t, s.Key)
		want(t, "defaults", b.get(t, "/console/alerts"), 200, `name="silence_hours" type="number" min="1" max="168" value="24"`)
		p := b.post(t, "/console/alerts", "/console/alerts", url.Values{"emails": {"owner@dupont.ch\r\nOWNER@dupont.ch\r\nbuch@dupont.ch"}, "silence_hours": {"12"}, "no_api_call_hours": {"48"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", p.Status, p.Body)
		}
		var got billbridge.AlertSettings
		s.Must(t, 200, "GET", "/v1/settings/alerts", s.Key, nil).Decode(t, &got)
		if strings.Join(got.Emails, ",") != "owner@dupont.ch,buch@dupont.ch" || got.SilenceHours != 12 || got.NoAPICallHours == nil || *got.NoAPICallHours != 48 {
			t.Errorf("stored %+v", got)
		}
		want(t, "after save", b.get(t, "/console/alerts?done=alerts_saved"), 200, "The alerts are saved.", "buch@dupont.ch")
		want(t, "bad address", b.post(t, "/console/alerts", "/console/alerts", url.Values{"emails": {"not-an-address"}, "silence_hours": {"12"}}), 422, "emails[0]", "not-an-address")
		want(t, "silence out of range", b.post(t, "/console/alerts", "/console/alerts", url.Values{"emails": {""}, "silence_hours": {"500"}}), 422, "silence_hours")
		want(t, "not a number", b.post(t, "/console/alerts", "/console/alerts", url.Values{"silence_hours": {"abc"}}), 422, "silence_hours")
		s.Must(t, 200, "GET", "/v1/settings/alerts", s.Key, nil).Decode(t, &got)
		if len(got.Emails) != 2 || got.SilenceHours != 12 {
			t.Errorf("a refused form wrote: %+v", got)
		}
	})
}

// TestConsoleKeys: a key created in the console is shown once and works
// on the API; revoking it there ends it; the last key that does not
// expire cannot be revoked.
func TestConsoleKeys(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		b := newBrowser(t, s)
		b.signIn(t, s.Key)
		p := b.post(t, "/console/keys", "/console/keys", url.Values{"label": {"  Zapier  "}})
		want(t, "create", p, 201, "Copy the new key now", "New key (Zapier)")
		secret := between(p.Body, `id="new-secret" type="text" readonly value="`, `"`)
		if !strings.HasPrefix(secret, billbridge.APIKeyPrefix) {
			t.Fatalf("secret %q", secret)
		}
		var me map[string]any
		s.Must(t, 200, "GET", "/v1/me", secret, nil).Decode(t, &me)
		list := b.get(t, "/console/keys")
		want(t, "list", list, 200, "Zapier", "(this session)")
		if strings.Contains(list.Body, secret) {
			t.Error("the list shows a key's secret")
		}
		want(t, "no label", b.post(t, "/console/keys", "/console/keys", url.Values{"label": {"  "}}), 422, "label")

		var keys apitest.List[billbridge.APIKey]
		s.Must(t, 200, "GET", "/v1/api-keys", s.Key, nil).Decode(t, &keys)
		var zapier, first string
		for _, k := range keys.Data {
			if k.Label == "Zapier" {
				zapier = k.ID
			} else {
				first = k.ID
			}
		}
		p = b.post(t, "/console/keys", "/console/keys/"+zapier+"/revoke", nil)
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/console/keys?done=key_revoked" {
			t.Fatalf("revoke: %d %q", p.Status, p.Header.Get("Location"))
		}
		s.Must(t, 401, "GET", "/v1/me", secret, nil)
		want(t, "revoke the last key", b.post(t, "/console/keys", "/console/keys/"+first+"/revoke", nil), 409, "last key that does not expire")
	})
}

// TestConsoleRedeliver queues the events after after_seq for a hook, as
// POST /v1/hooks/{id}/redeliver does, and refuses a bad after_seq.
func TestConsoleRedeliver(t *testing.T) {
	apitest.EachStore(t, apitest.Options{AllowPrivate: true}, func(t *testing.T, s *apitest.Server) {
		var hook billbridge.Hook
		s.Must(t, 201, "POST", "/v1/hooks", s.Key, map[string]any{"target_url": "http://127.0.0.1:9/h", "events": []string{"*"}}).Decode(t, &hook)
		b := newBrowser(t, s)
		b.signIn(t, s.Key)
		want(t, "hooks page", b.get(t, "/console/hooks"), 200, "http://127.0.0.1:9/h", "working")
		p := b.post(t, "/console/hooks", "/console/hooks/"+hook.ID+"/redeliver", url.Values{"after_seq": {"0"}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/console/hooks?done=redelivered" {
			t.Fatalf("redeliver: %d %q %s", p.Status, p.Header.Get("Location"), p.Body)
		}
		want(t, "bad after_seq", b.post(t, "/console/hooks", "/console/hooks/"+hook.ID+"/redeliver", url.Values{"after_seq": {"-1"}}), 422, "after_seq")
		want(t, "unknown hook", b.post(t, "/console/hooks", "/console/hooks/hook_nope/redeliver", url.Values{"after_seq": {"0"}}), 404)
	})
}

// TestConsoleLanguages: the page follows Accept-Language, and ?lang=
// switches it for the next pages too.
func TestConsoleLanguages(t *testing.T) {
	s := apitest.Start(t, apitest.Options{})
	b := newBrowser(t, s)
	b.lang = "fr-CH, fr;q=0.9"
	want(t, "French", b.get(t, "/console/login"), 200, `<html lang="fr">`, "Connexion")
	b.lang = "it"
	want(t, "Italian falls back to German", b.get(t, "/console/login"), 200, `<html lang="de">`, "Anmelden")
	want(t, "switch to English", b.get(t, "/console/login?lang=en"), 200, `<html lang="en">`, "Sign in")
	want(t, "English stays", b.get(t, "/console/login"), 200, `<html lang="en">`)
	p := b.get(t, "/console/login")
	for h, v := range map[string]string{"Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY", "Cache-Control": "no-store"} {
		if !strings.Contains(p.Header.Get(h), v) {
			t.Errorf("%s: %q, want %q", h, p.Header.Get(h), v)
		}
	}
	want(t, "stylesheet", b.get(t, "/console/static/console.css"), 200, ":focus-visible")
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}

// TestConsoleMergesDuplicates: a possible duplicate pair is listed and
// merged with the rules of POST /v1/customers/merge: the merged id then
// answers the customer kept, and the pair is gone.
func TestConsoleMergesDuplicates(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		addr := map[string]any{"street": "Bahnhofstrasse", "building_number": "1", "postal_code": "8001", "city": "Zürich", "country": "CH"}
		var a, b billbridge.Customer
		s.Must(t, 201, "POST", "/v1/customers", s.Key, map[string]any{"name": "Müller Holz AG", "address": addr}).Decode(t, &a)
		s.Must(t, 201, "POST", "/v1/customers", s.Key, map[string]any{"name": "Mueller Holz AG", "address": addr}).Decode(t, &b)
		br := newBrowser(t, s)
		br.signIn(t, s.Key)
		want(t, "duplicates page", br.get(t, "/console/duplicates"), 200, "Müller Holz AG", "Mueller Holz AG", "Keep A")
		want(t, "merge into itself", br.post(t, "/console/duplicates", "/console/duplicates/merge", url.Values{"primary_id": {a.ID}, "duplicate_id": {a.ID}}), 422, "duplicate_id")
		p := br.post(t, "/console/duplicates", "/console/duplicates/merge", url.Values{"primary_id": {a.ID}, "duplicate_id": {b.ID}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("merge: %d %s", p.Status, p.Body)
		}
		var got billbridge.Customer
		s.Must(t, 200, "GET", "/v1/customers/"+b.ID, s.Key, nil).Decode(t, &got)
		if got.ID != a.ID {
			t.Errorf("the merged id answers %s, want %s", got.ID, a.ID)
		}
		want(t, "after the merge", br.get(t, "/console/duplicates?done=merged"), 200, "The customers are merged.", "No possible duplicates.")
	})
}
