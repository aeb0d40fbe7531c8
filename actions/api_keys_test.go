package actions_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

// keyList is the body of GET /v1/api-keys.
type keyList struct {
	Data    []billbridge.APIKey `json:"data"`
	HasMore bool                `json:"has_more"`
}

func listKeys(t *testing.T, c *apitest.Client) []billbridge.APIKey {
	t.Helper()
	var l keyList
	c.Must(t, 200, "GET", "/v1/api-keys?limit=100", nil, &l)
	return l.Data
}

// TestAPIKeyCreatedShownOnceAndWorks: a created key answers with its secret
// once; the secret authenticates as the account; the list shows id, label,
// prefix and times but never the secret or its hash.
func TestAPIKeyCreatedShownOnceAndWorks(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		var k billbridge.APIKeyCreated
		c.Must(t, 201, "POST", "/v1/api-keys", map[string]any{"label": " Zapier "}, &k)
		if !strings.HasPrefix(k.Secret, billbridge.APIKeyPrefix) || !strings.HasPrefix(k.Secret, k.Prefix) || len(k.Prefix) != 11 ||
			k.Label != "Zapier" || !strings.HasPrefix(k.ID, "key_") || k.ExpiresAt != nil {
			t.Fatalf("created %+v", k)
		}
		var me billbridge.Account
		s.Must(t, 200, "GET", "/v1/me", k.Secret, nil).Decode(t, &me)
		if me.ID != c.ID {
			t.Errorf("the new key is account %s, want %s", me.ID, c.ID)
		}
		r := c.Must(t, 200, "GET", "/v1/api-keys", nil, nil)
		if strings.Contains(string(r.Body), k.Secret) || strings.Contains(string(r.Body), billbridge.HashAPIKey(k.Secret)) ||
			strings.Contains(string(r.Body), `"secret"`) {
			t.Errorf("the list shows a secret or a hash: %s", r.Body)
		}
		keys := listKeys(t, c)
		if len(keys) != 2 || keys[0].ID != k.ID || keys[1].Prefix != billbridge.APIKeyPrefix {
			t.Errorf("list %+v, want the new key then the account's first", keys)
		}
	})
}

// TestAPIKeyCreateReplayKeepsNoSecret: the same Idempotency-Key creates one
// key; the replay answers it without the secret, which is stored nowhere.
func TestAPIKeyCreateReplayKeepsNoSecret(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		first := c.Do(t, "POST", "/v1/api-keys", map[string]any{"label": "Make"}, "Idempotency-Key", "k-1")
		again := c.Do(t, "POST", "/v1/api-keys", map[string]any{"label": "Make"}, "Idempotency-Key", "k-1")
		if first.Status != 201 || again.Status != 201 || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("statuses %d, %d (replayed %q)", first.Status, again.Status, again.Header.Get("Idempotent-Replayed"))
		}
		secret, _ := first.Map(t)["secret"].(string)
		if secret == "" || again.Map(t)["id"] != first.Map(t)["id"] || again.Map(t)["secret"] != nil {
			t.Errorf("first %s, replay %s", first.Body, again.Body)
		}
		rec, err := s.DB.FindIdempotencyRecord(context.Background(), c.ID, "k-1")
		if err != nil || strings.Contains(string(rec.Body), secret) {
			t.Errorf("stored record %v: %s", err, rec.Body)
		}
		if n := len(listKeys(t, c)); n != 2 {
			t.Errorf("%d keys after a replayed create, want 2", n)
		}
	})
}

// TestAPIKeyRotateGrace: a rotated key keeps working until the grace
// period ends, next to its successor; then only the successor works, and
// the rotated key is gone from the list. Rotating it twice is 409.
func TestAPIKeyRotateGrace(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			clk := testenv.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			s := apitest.Start(t, apitest.Options{Store: store, Clock: clk.Now, KeyRotationGrace: time.Hour})
			c := apitest.NewClient(t, s)
			old := listKeys(t, c)[0]
			var rot billbridge.APIKeyRotated
			c.Must(t, 201, "POST", "/v1/api-keys/"+old.ID+"/rotate", nil, &rot)
			want := clk.Now().Add(time.Hour)
			if rot.Rotated.ID != old.ID || rot.Rotated.ExpiresAt == nil || !rot.Rotated.ExpiresAt.Equal(want) ||
				rot.ID == old.ID || rot.Secret == "" || rot.ExpiresAt != nil {
				t.Fatalf("rotated %+v", rot)
			}
			c.Must(t, 409, "POST", "/v1/api-keys/"+old.ID+"/rotate", nil, nil)
			clk.Add(59 * time.Minute)
			s.Must(t, 200, "GET", "/v1/me", c.Key, nil)
			s.Must(t, 200, "GET", "/v1/me", rot.Secret, nil)
			clk.Add(time.Minute)
			s.Must(t, 401, "GET", "/v1/me", c.Key, nil)
			c.Key = rot.Secret
			keys := listKeys(t, c)
			if len(keys) != 1 || keys[0].ID != rot.ID {
				t.Errorf("after the grace period: %+v", keys)
			}
			c.Must(t, 404, "POST", "/v1/api-keys/"+old.ID+"/rotate", nil, nil)
		})
	}
}

// TestAPIKeyRevokeKeepsOne: a revoked key stops working at once; the
// account's last key that does not expire cannot be revoked, not even when
// a rotated one is still in its grace period.
func TestAPIKeyRevokeKeepsOne(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		first := listKeys(t, c)[0]
		apitest.Problem(t, c.Do(t, "DELETE", "/v1/api-keys/"+first.ID, nil), 409, billbridge.ECONFLICT)
		var rot billbridge.APIKeyRotated
		c.Must(t, 201, "POST", "/v1/api-keys/"+first.ID+"/rotate", nil, &rot)
		apitest.Problem(t, s.Do(t, "DELETE", "/v1/api-keys/"+rot.ID, rot.Secret, nil), 409, billbridge.ECONFLICT)
		c.Must(t, 204, "DELETE", "/v1/api-keys/"+first.ID, nil, nil) // ends the grace period early
		s.Must(t, 401, "GET", "/v1/me", c.Key, nil)
		c.Key = rot.Secret
		var extra billbridge.APIKeyCreated
		c.Must(t, 201, "POST", "/v1/api-keys", map[string]any{"label": "n8n"}, &extra)
		c.Must(t, 204, "DELETE", "/v1/api-keys/"+extra.ID, nil, nil)
		c.Must(t, 204, "DELETE", "/v1/api-keys/"+extra.ID, nil, nil)
		s.Must(t, 401, "GET", "/v1/me", extra.Secret, nil)
	})
}

// TestAPIKeyRevokeRaceKeepsOne: parallel clients revoking both keys of an
// account, each with the other key: exactly one revocation wins, and one key
// remains and works (five rounds, to meet both orders).
func TestAPIKeyRevokeRaceKeepsOne(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		for round := range 5 {
			c := apitest.NewClient(t, s)
			var k billbridge.APIKeyCreated
			c.Must(t, 201, "POST", "/v1/api-keys", map[string]any{"label": "second"}, &k)
			first := listKeys(t, c)[1]
			secrets, ids := []string{c.Key, k.Secret}, []string{k.ID, first.ID}
			statuses := testenv.FanOut(t, 2, func(i int) (int, error) {
				return s.Do(t, "DELETE", "/v1/api-keys/"+ids[i], secrets[i], nil).Status, nil
			})
			// The loser answers 409 (its key is the last), or 401 when the
			// winner revoked the loser's own key before it authenticated.
			if won, lost := statuses[0], statuses[1]; won != 204 {
				won, lost = lost, won
				if won != 204 || (lost != 409 && lost != 401) {
					t.Fatalf("round %d: statuses %v, want one 204 and one 409 or 401", round, statuses)
				}
			} else if lost != 409 && lost != 401 {
				t.Fatalf("round %d: statuses %v, want one 204 and one 409 or 401", round, statuses)
			}
			left := 0
			for _, sec := range secrets {
				if s.Do(t, "GET", "/v1/me", sec, nil).Status == 200 {
					left++
				}
			}
			if left != 1 {
				t.Errorf("round %d: %d keys work, want 1", round, left)
			}
		}
	})
}

// TestAPIKeysScopedToAccount: another account's key cannot be listed,
// rotated or revoked.
func TestAPIKeysScopedToAccount(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		a, b := apitest.NewClient(t, s), apitest.NewClient(t, s)
		var k billbridge.APIKeyCreated
		a.Must(t, 201, "POST", "/v1/api-keys", map[string]any{"label": "a's"}, &k)
		for _, bk := range listKeys(t, b) {
			if bk.ID == k.ID {
				t.Errorf("b lists a's key")
			}
		}
		b.Must(t, 404, "POST", "/v1/api-keys/"+k.ID+"/rotate", nil, nil)
		b.Must(t, 204, "DELETE", "/v1/api-keys/"+k.ID, nil, nil)
		s.Must(t, 200, "GET", "/v1/me", k.Secret, nil)
	})
}

// TestAPIKeyInputRefused: a missing, blank, too long or control-character
// label is 422 naming label; past MaxAPIKeys creating is 422.
func TestAPIKeyInputRefused(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		for _, body := range []any{map[string]any{}, map[string]any{"label": " "}, map[string]any{"label": strings.Repeat("x", 101)},
			map[string]any{"label": "a\x00b"}} {
			r := c.Do(t, "POST", "/v1/api-keys", body)
			apitest.Problem(t, r, 422, billbridge.EINVALID)
			if !strings.Contains(string(r.Body), `"label"`) {
				t.Errorf("%v: problem does not name label: %s", body, r.Body)
			}
		}
		for range billbridge.MaxAPIKeys - 1 {
			c.Must(t, 201, "POST", "/v1/api-keys", map[string]any{"label": "more"}, nil)
		}
		apitest.Problem(t, c.Do(t, "POST", "/v1/api-keys", map[string]any{"label": "one too many"}), 422, billbridge.EINVALID)
		apitest.Problem(t, c.Do(t, "POST", "/v1/api-keys/"+listKeys(t, c)[0].ID+"/rotate", nil), 422, billbridge.EINVALID)
		var l keyList
		c.Must(t, 200, "GET", "/v1/api-keys?limit=7", nil, &l)
		if len(l.Data) != 7 || !l.HasMore {
			t.Errorf("page of 7: %d keys, has_more %v", len(l.Data), l.HasMore)
		}
	})
}

// touchCounter counts writes of last_used_at.
type touchCounter struct {
	billbridge.Store
	n *atomic.Int64
}

func (tc touchCounter) TouchAPIKey(ctx context.Context, hash string, at time.Time) error {
	tc.n.Add(1)
	return tc.Store.TouchAPIKey(ctx, hash, at)
}

// TestAPIKeyLastUsedCheaply: last_used_at is written at most once a minute
// per key, however many requests (in parallel too) the key authenticates.
func TestAPIKeyLastUsedCheaply(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			var touches atomic.Int64
			clk := testenv.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			s := apitest.Start(t, apitest.Options{Store: store, Clock: clk.Now,
				WrapStore: func(st billbridge.Store) billbridge.Store { return touchCounter{st, &touches} }})
			c := apitest.NewClient(t, s)
			if k := listKeys(t, c)[0]; k.LastUsedAt == nil || !k.LastUsedAt.Equal(clk.Now()) {
				t.Fatalf("last_used_at %v, want %v", k.LastUsedAt, clk.Now())
			}
			base := touches.Load()
			testenv.FanOut(t, 40, func(int) (int, error) { return c.Do(t, "GET", "/v1/me", nil).Status, nil })
			clk.Add(59 * time.Second)
			c.Must(t, 200, "GET", "/v1/me", nil, nil)
			if n := touches.Load() - base; n != 0 {
				t.Errorf("%d writes of last_used_at within the minute, want 0", n)
			}
			clk.Add(time.Second)
			k := listKeys(t, c)[0]
			if n := touches.Load() - base; n != 1 || k.LastUsedAt == nil || !k.LastUsedAt.Equal(clk.Now()) {
				t.Errorf("after a minute: %d writes, last_used_at %v, want 1 and %v", n, k.LastUsedAt, clk.Now())
			}
		})
	}
}

// TestAPIKeyRevokedOnOtherInstance: two gateways on one database, the key
// used on both. Revoked through the first, it is refused there at once and
// on the second within sqlstore.DefaultKeyCacheTTL (the bound of an
// instance that is told nothing), never later; a key used for the first
// time after the revocation is refused everywhere at once.
func TestAPIKeyRevokedOnOtherInstance(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			clk := testenv.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			a := apitest.Start(t, apitest.Options{Store: store, Clock: clk.Now})
			b := apitest.Start(t, apitest.Options{StoreURL: a.StoreURL, Clock: clk.Now})
			c := apitest.NewClient(t, a)
			var used, unused billbridge.APIKeyCreated
			c.Must(t, 201, "POST", "/v1/api-keys", map[string]any{"label": "Zapier"}, &used)
			c.Must(t, 201, "POST", "/v1/api-keys", map[string]any{"label": "Make"}, &unused)
			a.Must(t, 200, "GET", "/v1/me", used.Secret, nil)
			b.Must(t, 200, "GET", "/v1/me", used.Secret, nil) // now held in b's memory
			c.Must(t, 204, "DELETE", "/v1/api-keys/"+used.ID, nil, nil)
			c.Must(t, 204, "DELETE", "/v1/api-keys/"+unused.ID, nil, nil)
			a.Must(t, 401, "GET", "/v1/me", used.Secret, nil)
			b.Must(t, 401, "GET", "/v1/me", unused.Secret, nil)
			clk.Add(sqlstore.DefaultKeyCacheTTL)
			b.Must(t, 401, "GET", "/v1/me", used.Secret, nil)
		})
	}
}

// TestAPIKeyRevokedOnOtherInstanceWithRedis: two gateways on one database
// and one Redis, the key used on both. Revoked through the first, it is
// refused on the second without waiting for the key cache's TTL (the clock
// stands still, so only the announcement over Redis can end it there).
func TestAPIKeyRevokedOnOtherInstanceWithRedis(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			clk := testenv.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			a := apitest.Start(t, apitest.Options{Store: store, Clock: clk.Now, Redis: true})
			b := apitest.Start(t, apitest.Options{StoreURL: a.StoreURL, Clock: clk.Now, RedisURL: a.RedisURL, RedisPrefix: a.RedisPrefix})
			c := apitest.NewClient(t, a)
			var used billbridge.APIKeyCreated
			c.Must(t, 201, "POST", "/v1/api-keys", map[string]any{"label": "Zapier"}, &used)
			b.Must(t, 200, "GET", "/v1/me", used.Secret, nil) // now held in b's memory
			c.Must(t, 204, "DELETE", "/v1/api-keys/"+used.ID, nil, nil)
			// The announcement crosses Redis asynchronously: b hears it in
			// milliseconds; 5 s is only where the test gives up.
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				st := b.Do(t, "GET", "/v1/me", used.Secret, nil).Status
				if st == 401 {
					break
				}
				if st != 200 || time.Now().After(deadline) {
					t.Fatalf("the revoked key still answers %d on the other instance", st)
				}
			}
		})
	}
}
