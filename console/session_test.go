package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

var start = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

// TestConsoleSignIn: a wrong key is refused, a right one becomes an
// HttpOnly, SameSite=Strict session cookie whose token the database keeps
// only hashed, and the overview shows the account.
func TestConsoleSignIn(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		b := newBrowser(t, s)
		toLogin(t, "overview without a session", b.get(t, "/console"))
		want(t, "wrong key", b.post(t, "/console/login", "/console/login", url.Values{"api_key": {"bb_wrong"}}), 401, "This API key is not valid.")
		want(t, "no key", b.post(t, "/console/login", "/console/login", url.Values{"api_key": {""}}), 401, "This API key is not valid.")

		login := b.get(t, "/console/login")
		p := b.do(t, "POST", "/console/login", url.Values{"api_key": {s.Key}, "csrf": {login.csrf(t)}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("sign in: %d %s", p.Status, p.Body)
		}
		var token string
		for _, c := range (&http.Response{Header: p.Header}).Cookies() {
			if c.Name == "bb_session" {
				token = c.Value
				if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/console" || c.Secure {
					t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/console, not Secure over plain HTTP", c)
				}
			}
		}
		if len(token) < 40 {
			t.Fatalf("session token %q", token)
		}
		ctx := context.Background()
		if _, err := s.DB.FindSession(ctx, token, time.Now()); billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
			t.Errorf("the token itself finds a session (%v): it must be stored hashed", err)
		}
		if got, err := s.DB.FindSession(ctx, billbridge.HashAPIKey(token), time.Now()); err != nil || got.AccountID != s.AccountID {
			t.Errorf("session by hash: %+v, %v", got, err)
		}
		want(t, "overview", b.get(t, "/console"), 200, "Test AG", "Sync, last 7 days", "All webhooks are working.", `lang="en"`)
	})
}

// TestConsoleRefusesPostsWithoutCSRF: every POST needs the session's CSRF
// token; another session's token (of another account) is refused too,
// and nothing is written.
func TestConsoleRefusesPostsWithoutCSRF(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		a, b := newBrowser(t, s), newBrowser(t, s)
		a.signIn(t, s.Key)
		_, otherKey := s.NewAccount("Other GmbH")
		b.signIn(t, otherKey)
		foreign := b.get(t, "/console/keys").csrf(t)
		for _, form := range []url.Values{{"label": {"x"}}, {"label": {"x"}, "csrf": {"nope"}}, {"label": {"x"}, "csrf": {foreign}}} {
			want(t, "create key without its CSRF token", a.do(t, "POST", "/console/keys", form), 403, "The form has expired")
		}
		want(t, "sign out without CSRF", a.do(t, "POST", "/console/logout", url.Values{}), 403)
		want(t, "sign in without CSRF", newBrowser(t, s).do(t, "POST", "/console/login", url.Values{"api_key": {s.Key}}), 403)
		var keys apitest.List[billbridge.APIKey]
		s.Must(t, 200, "GET", "/v1/api-keys", s.Key, nil).Decode(t, &keys)
		if len(keys.Data) != 1 {
			t.Errorf("%d keys after refused forms, want 1", len(keys.Data))
		}
		want(t, "still signed in", a.get(t, "/console"), 200, "Test AG")
	})
}

// TestConsoleSessionExpires: a session ends after 12 idle hours, and after
// 7 days however much it is used.
func TestConsoleSessionExpires(t *testing.T) {
	apitest.EachStoreWithClock(t, start, apitest.Options{}, func(t *testing.T, s *apitest.Server, clk *testenv.Clock) {
		idle := newBrowser(t, s)
		idle.signIn(t, s.Key)
		clk.Add(11*time.Hour + 59*time.Minute)
		want(t, "after 11:59 idle", idle.get(t, "/console"), 200, "Test AG")
		clk.Add(12*time.Hour - time.Minute)
		want(t, "12 h after the last request but a minute", idle.get(t, "/console"), 200, "Test AG")
		clk.Add(12 * time.Hour)
		toLogin(t, "after 12 h idle", idle.get(t, "/console"))
		want(t, "the sign-in form says why", idle.get(t, "/console/login?done=expired"), 200, "Your session has ended.")

		busy := newBrowser(t, s)
		busy.signIn(t, s.Key)
		for i := 0; i < 15; i++ { // every 11 h: never idle, 165 h in all
			clk.Add(11 * time.Hour)
			want(t, "used every 11 h", busy.get(t, "/console"), 200, "Test AG")
		}
		clk.Add(3 * time.Hour) // 168 h: 7 days
		toLogin(t, "after 7 days", busy.get(t, "/console"))
	})
}

// TestConsoleSignOut ends the session in the database: the old cookie no
// longer works.
func TestConsoleSignOut(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		b := newBrowser(t, s)
		b.signIn(t, s.Key)
		u, _ := url.Parse(s.URL + "/console")
		old := b.client.Jar.Cookies(u)
		p := b.post(t, "/console", "/console/logout", nil)
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/console/login?done=signed_out" {
			t.Fatalf("sign out: %d %q", p.Status, p.Header.Get("Location"))
		}
		want(t, "after sign-out", b.get(t, "/console/login?done=signed_out"), 200, "You are signed out.")
		replay := newBrowser(t, s)
		replay.client.Jar.SetCookies(u, old)
		toLogin(t, "the signed-out cookie again", replay.get(t, "/console"))
	})
}

// TestConsoleRevokedKeyEndsItsSessions: revoking a key (by the API) ends
// the console sessions signed in with it, not the others.
func TestConsoleRevokedKeyEndsItsSessions(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		var second billbridge.APIKeyCreated
		s.Must(t, 201, "POST", "/v1/api-keys", s.Key, map[string]any{"label": "Console"}).Decode(t, &second)
		with2, with1 := newBrowser(t, s), newBrowser(t, s)
		with2.signIn(t, second.Secret)
		with1.signIn(t, s.Key)
		s.Must(t, 204, "DELETE", "/v1/api-keys/"+second.ID, s.Key, nil)
		toLogin(t, "session of the revoked key", with2.get(t, "/console"))
		want(t, "session of the other key", with1.get(t, "/console"), 200, "Test AG")
		want(t, "sign in with the revoked key", with2.post(t, "/console/login", "/console/login", url.Values{"api_key": {second.Secret}}), 401)
	})
}

// TestConsoleScopedToTheAccount: a session sees and changes only its own
// account's keys and hooks.
func TestConsoleScopedToTheAccount(t *testing.T) {
	apitest.EachStore(t, apitest.Options{AllowPrivate: true}, func(t *testing.T, s *apitest.Server) {
		var hook billbridge.Hook
		s.Must(t, 201, "POST", "/v1/hooks", s.Key, map[string]any{"target_url": "http://127.0.0.1:9/a", "events": []string{"*"}}).Decode(t, &hook)
		var keys apitest.List[billbridge.APIKey]
		s.Must(t, 200, "GET", "/v1/api-keys", s.Key, nil).Decode(t, &keys)
		mine := keys.Data[0].ID

		_, otherKey := s.NewAccount("Other GmbH")
		b := newBrowser(t, s)
		b.signIn(t, otherKey)
		for _, path := range []string{"/console/keys", "/console/hooks", "/console"} {
			p := b.get(t, path)
			want(t, path, p, 200, "Other GmbH")
			if strings.Contains(p.Body, mine) || strings.Contains(p.Body, hook.ID) || strings.Contains(p.Body, "Test AG") {
				t.Errorf("%s shows another account's rows: %s", path, p.Body)
			}
		}
		want(t, "rotate another account's key", b.post(t, "/console/keys", "/console/keys/"+mine+"/rotate", nil), 404)
		want(t, "redeliver another account's hook", b.post(t, "/console/hooks", "/console/hooks/"+hook.ID+"/redeliver", url.Values{"after_seq": {"0"}}), 404)
		b.post(t, "/console/keys", "/console/keys/"+mine+"/revoke", nil)
		s.Must(t, 200, "GET", "/v1/me", s.Key, nil)
	})
}

// TestConsoleSignInIsRateLimited: failed sign-ins count like failed API
// authentications of the address; past the limit even the right key
// waits (429 with Retry-After).
func TestConsoleSignInIsRateLimited(t *testing.T) {
	apitest.EachStore(t, apitest.Options{AuthFailLimit: billbridge.RateLimit{Rate: 3, Period: time.Hour, Burst: 3}}, func(t *testing.T, s *apitest.Server) {
		b := newBrowser(t, s)
		for i := 0; i < 3; i++ {
			want(t, "bad key", b.post(t, "/console/login", "/console/login", url.Values{"api_key": {"bb_bad"}}), 401)
		}
		p := b.post(t, "/console/login", "/console/login", url.Values{"api_key": {"bb_bad"}})
		want(t, "one too many", p, 429, "Too many failed sign-ins")
		if p.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		want(t, "the right key, refused meanwhile", b.post(t, "/console/login", "/console/login", url.Values{"api_key": {s.Key}}), 429)
		s.Must(t, 429, "GET", "/v1/me", s.Key, nil) // the API counts the same address
	})
}
