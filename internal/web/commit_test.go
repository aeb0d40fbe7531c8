package web_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/internal/web"
	"billbridge/sqlstore"

	"github.com/gin-gonic/gin"
)

// stores are the databases the web layer's tests run on.
var stores = []string{"sqlite", "postgres"}

// openStore returns a migrated store of the given kind and an account in it.
func openStore(t *testing.T, kind string) (*sqlstore.DB, *billbridge.Account) {
	t.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "web.db")
	if kind == "postgres" {
		dsn = testenv.PostgresURL(t)
	}
	db, err := sqlstore.Open(ctx, dsn, "Europe/Zurich", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open %s: %v", kind, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	_, hash := billbridge.NewAPIKey()
	a := &billbridge.Account{ID: billbridge.NewID(billbridge.PrefixAccount), Name: "Web AG", Timezone: "Europe/Zurich",
		CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
	if err := db.CreateAccount(ctx, a, hash); err != nil {
		t.Fatalf("create account: %v", err)
	}
	return db, a
}

// failingCommit is the real store with one defect injected: wrap decides
// what each attempt of a transaction returns after fn ran in it.
type failingCommit struct {
	*sqlstore.DB
	wrap func(ctx context.Context, attempt int, fnErr error) error
}

func (f failingCommit) Atomic(ctx context.Context, fn func(tx billbridge.Tx) error) error {
	attempt := 0
	return f.DB.Atomic(ctx, func(tx billbridge.Tx) error {
		attempt++
		return f.wrap(ctx, attempt, fn(tx))
	})
}

// keyedRequest is a POST carrying an idempotency claim, as the routes
// middleware leaves it for the handler.
func keyedRequest(ctx context.Context, a *billbridge.Account) (*gin.Context, *web.Claim) {
	gin.SetMode(gin.TestMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, "/v1/customers", nil).WithContext(ctx)
	web.SetAccount(c, a)
	claim := &web.Claim{Key: "key-" + testenv.Suffix(), Fingerprint: "fp", TTL: time.Hour}
	web.SetClaim(c, claim)
	return c, claim
}

// created is a write that succeeds inside its transaction.
func created(context.Context, billbridge.Tx) (int, any, error) {
	return http.StatusCreated, map[string]string{"id": "cus_1"}, nil
}

func TestCommitKeepsNoResponseOfAFailedWrite(t *testing.T) {
	for _, kind := range stores {
		t.Run(kind, func(t *testing.T) {
			db, a := openStore(t, kind)

			t.Run("a commit that fails after the write leaves the claim without a response", func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				// The client goes away after the write and before the commit,
				// and the transaction fails with its context's error, as a
				// driver's interrupted commit does. (SQLite's group commit runs
				// the commit on a context of its own, so the cancellation
				// alone no longer fails it: the write then commits and its
				// response is rightly kept.)
				store := failingCommit{db, func(ctx context.Context, _ int, fnErr error) error {
					cancel()
					return errors.Join(fnErr, ctx.Err())
				}}
				c, claim := keyedRequest(ctx, a)
				if err := web.Commit(c, store, created); err == nil {
					t.Fatal("Commit returned nil although its transaction could not commit")
				}
				if claim.Stored != nil {
					t.Fatalf("claim.Stored = %+v after a failed commit; the middleware would cache a 201 that never happened", claim.Stored)
				}
				if _, err := db.FindIdempotencyRecord(context.Background(), a.ID, claim.Key); billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
					t.Fatalf("stored record after a failed commit: %v", err)
				}
			})

			t.Run("an attempt run again and then failing leaves the claim without a response", func(t *testing.T) {
				errLater := billbridge.Errorf(billbridge.ECONFLICT, "the second attempt fails")
				// The first attempt writes and then loses a race; the second fails.
				store := failingCommit{db, func(_ context.Context, attempt int, fnErr error) error {
					if fnErr == nil && attempt == 1 {
						return fmt.Errorf("lost a race: %w", billbridge.ErrRetry)
					}
					return fnErr
				}}
				calls := 0
				fn := func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
					calls++
					if calls > 1 {
						return 0, nil, errLater
					}
					return created(ctx, tx)
				}
				c, claim := keyedRequest(context.Background(), a)
				if err := web.Commit(c, store, fn); !errors.Is(err, errLater) {
					t.Fatalf("Commit returned %v, want the second attempt's error", err)
				}
				if claim.Stored != nil {
					t.Fatalf("claim.Stored = %+v from a rolled-back attempt", claim.Stored)
				}
			})

			t.Run("a committed write leaves its stored response in the claim", func(t *testing.T) {
				c, claim := keyedRequest(context.Background(), a)
				if err := web.Commit(c, db, created); err != nil {
					t.Fatal(err)
				}
				if claim.Stored == nil || claim.Stored.Status != http.StatusCreated || string(claim.Stored.Body) != `{"id":"cus_1"}` {
					t.Fatalf("claim.Stored = %+v, want the committed 201", claim.Stored)
				}
				rec, err := db.FindIdempotencyRecord(context.Background(), a.ID, claim.Key)
				if err != nil || string(rec.Body) != string(claim.Stored.Body) {
					t.Fatalf("stored record = %+v, %v", rec, err)
				}
			})

			t.Run("the stored response is stamped by the gateway's clock, not the system's", func(t *testing.T) {
				clock := testenv.NewClock(time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC))
				c, claim := keyedRequest(context.Background(), a)
				claim.Clock = clock.Now
				if err := web.Commit(c, db, created); err != nil {
					t.Fatal(err)
				}
				rec, err := db.FindIdempotencyRecord(context.Background(), a.ID, claim.Key)
				if err != nil || !rec.CreatedAt.Equal(clock.Now()) || !rec.ExpiresAt.Equal(clock.Now().Add(time.Hour)) {
					t.Fatalf("stored record = %+v, %v; want created %v, expires an hour later", rec, err, clock.Now())
				}
			})
		})
	}
}

// A Fresh claim's first attempt does not look for a stored response, yet
// one that another request stored after the middleware looked is replayed,
// and the attempt's own write is rolled back: when the attempt succeeds
// (saving its response finds the key taken) and when it fails.
func TestCommitFreshClaimReplaysAResponseStoredMeanwhile(t *testing.T) {
	for _, kind := range stores {
		t.Run(kind, func(t *testing.T) {
			db, a := openStore(t, kind)
			for _, fails := range []bool{false, true} {
				ctx := context.Background()
				c, claim := keyedRequest(ctx, a)
				claim.Fresh = true
				theirs := &billbridge.IdempotencyRecord{AccountID: a.ID, Key: claim.Key, Fingerprint: claim.Fingerprint,
					Status: http.StatusCreated, ContentType: web.ContentTypeJSON, Body: []byte(`{"id":"cus_theirs"}`),
					CreatedAt: time.Now().UTC(), ExpiresAt: time.Now().UTC().Add(time.Hour)}
				if err := db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.SaveIdempotencyRecord(ctx, theirs) }); err != nil {
					t.Fatal(err)
				}
				ext := "fresh-" + testenv.Suffix()
				calls := 0
				fn := func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
					calls++
					cu := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
						Name: "Fresh AG", ExternalID: ext, CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
					if err := tx.InsertCustomer(ctx, cu); err != nil {
						return 0, nil, err
					}
					if fails {
						return 0, nil, billbridge.Errorf(billbridge.ECONFLICT, "this attempt fails after writing")
					}
					return http.StatusCreated, map[string]string{"id": cu.ID}, nil
				}
				if err := web.Commit(c, db, fn); err != nil {
					t.Fatalf("fails=%v: Commit: %v, want the stored response replayed", fails, err)
				}
				if calls != 1 {
					t.Errorf("fails=%v: fn ran %d times, want once (the first attempt, before the replay)", fails, calls)
				}
				if got := c.Writer.Header().Get("Idempotent-Replayed"); got != "true" || claim.Stored == nil || string(claim.Stored.Body) != string(theirs.Body) {
					t.Errorf("fails=%v: Idempotent-Replayed %q, stored %+v: want their response replayed", fails, got, claim.Stored)
				}
				if _, _, err := db.FindCustomerByKeyOrAlias(ctx, a.ID, billbridge.MatchedByExternalID, ext); billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
					t.Errorf("fails=%v: the attempt's customer: %v, want it rolled back", fails, err)
				}
			}
		})
	}
}
