package actions_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// apiReply is one response of a concurrent request.
type apiReply struct {
	status  int
	body    []byte
	retries int // 503s retried before this answer
}

// apiSend is a request that is safe to make from any goroutine: it reports
// transport errors instead of failing the test. A 503 (the store met too
// many concurrent changes) is retried, as the Retry-After it carries asks;
// the reply counts them.
func apiSend(c *apitest.Client, method, path string, body any) (apiReply, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return apiReply{}, err
	}
	return apiSendRaw(c, method, path, "application/json", raw)
}

// apiSendRaw is apiSend of a body already encoded as contentType.
func apiSendRaw(c *apitest.Client, method, path, contentType string, raw []byte) (apiReply, error) {
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequest(method, c.S.URL+path, bytes.NewReader(raw))
		if err != nil {
			return apiReply{}, err
		}
		req.Header.Set("Authorization", "Bearer "+c.Key)
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return apiReply{}, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return apiReply{}, err
		}
		if resp.StatusCode != http.StatusServiceUnavailable || attempt == 20 {
			return apiReply{resp.StatusCode, b, attempt}, nil
		}
		time.Sleep(time.Duration(10*(attempt+1)) * time.Millisecond)
	}
}

// retriesOf sums the 503 retries of replies.
func retriesOf(replies []apiReply) int {
	n := 0
	for _, r := range replies {
		n += r.retries
	}
	return n
}

// TestAPIConcurrentUpsert: 50 upserts of one email, cased and spaced
// differently, at once, create exactly one customer; the others match it.
func TestAPIConcurrentUpsert(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		const n = 50
		spellings := []string{"race@example.ch", "RACE@example.ch", " Race@Example.CH ", "race@EXAMPLE.ch\t", "  rAcE@eXaMpLe.Ch"}
		replies := testenv.FanOut(t, n, func(i int) (apiReply, error) {
			return apiSend(c, "POST", "/v1/customers/upsert", map[string]any{"name": fmt.Sprintf("Racer %d", i%3), "email": spellings[i%len(spellings)]})
		})
		retries := retriesOf(replies)
		created, ids := 0, map[string]bool{}
		for i, r := range replies {
			if r.status != 200 && r.status != 201 {
				t.Fatalf("upsert %d: %d %s", i, r.status, r.body)
			}
			var res struct {
				ID        string  `json:"id"`
				Created   bool    `json:"created"`
				MatchedBy *string `json:"matched_by"`
			}
			if err := json.Unmarshal(r.body, &res); err != nil {
				t.Fatal(err)
			}
			ids[res.ID] = true
			if r.status == 201 {
				created++
				if !res.Created || res.MatchedBy != nil {
					t.Errorf("201 body %s", r.body)
				}
			} else if res.Created || res.MatchedBy == nil || *res.MatchedBy != "email" {
				t.Errorf("200 body %s, want matched_by email", r.body)
			}
		}
		if created != 1 || len(ids) != 1 {
			t.Errorf("%d created, %d distinct ids; want exactly one customer", created, len(ids))
		}
		if rows := apitest.CountRows(t, c); rows.Customers != 1 {
			t.Errorf("%d customers stored, want 1", rows.Customers)
		}
		l := apitest.GetList[billbridge.Customer](t, c, "/v1/customers?email=race%40example.ch")
		if len(l.Data) != 1 {
			t.Errorf("search finds %d customers", len(l.Data))
		}
		t.Logf("%d retries after 503", retries)
	})
}

// TestAPIConcurrentPayments: 50 payments at once that together exceed the
// amount due never overpay: the 201s sum to amount_paid ≤ total, and the
// rest are 422 (more than what was due then) or 409 (already paid).
func TestAPIConcurrentPayments(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		cust := c.Customer(t, "Payer AG")
		const n = 50
		for _, tc := range []struct {
			name   string
			amount func(i int) billbridge.Money
			// With equal amounts the outcome is exact: 14 × 7.00 = 98.00 fit, 2.00 stay due.
			want201 int
		}{
			{"mixed", func(i int) billbridge.Money { return billbridge.Money((i%5 + 1) * 500) }, -1}, // 5.00 … 25.00, 750.00 in all
			{"equal", func(int) billbridge.Money { return 700 }, 14},
		} {
			t.Run(tc.name, func(t *testing.T) {
				inv := c.OpenInvoice(t, cust.ID, "100.00")
				amount := tc.amount
				replies := testenv.FanOut(t, n, func(i int) (apiReply, error) {
					return apiSend(c, "POST", "/v1/invoices/"+inv.ID+"/payments", map[string]any{"amount": amount(i).String()})
				})
				retries := retriesOf(replies)
				var sum billbridge.Money
				var refused []billbridge.Money
				counts := map[int]int{}
				for i, r := range replies {
					counts[r.status]++
					switch r.status {
					case 201:
						sum += amount(i)
					case 409, 422:
						refused = append(refused, amount(i))
						if !strings.Contains(string(r.body), `"code":"conflict"`) && !strings.Contains(string(r.body), `"name":"amount"`) {
							t.Errorf("refusal %d: %s", r.status, r.body)
						}
					default:
						t.Fatalf("payment %d: %d %s", i, r.status, r.body)
					}
				}
				var got billbridge.Invoice
				c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID, nil, &got)
				if sum > got.Total || got.AmountPaid != sum || got.AmountDue != got.Total-sum {
					t.Fatalf("201s sum to %s; invoice total %s paid %s due %s", sum, got.Total, got.AmountPaid, got.AmountDue)
				}
				// What was refused did not fit: each refused amount exceeds what is due now.
				for _, a := range refused {
					if a <= got.AmountDue {
						t.Errorf("a payment of %s was refused though %s is still due", a, got.AmountDue)
					}
				}
				if counts[409] > 0 && got.Status != "paid" {
					t.Errorf("%d payments refused as conflicts on a %s invoice", counts[409], got.Status)
				}
				var stored billbridge.Money
				l := apitest.GetList[billbridge.Payment](t, c, "/v1/invoices/"+inv.ID+"/payments?limit=100")
				for _, p := range l.Data {
					stored += p.Amount
				}
				if stored != sum || len(l.Data) != counts[201] {
					t.Errorf("stored payments %d summing to %s; want %d summing to %s", len(l.Data), stored, counts[201], sum)
				}
				if tc.want201 >= 0 && (counts[201] != tc.want201 || counts[422] != n-tc.want201) {
					t.Errorf("statuses %v, want %d × 201 and the rest 422", counts, tc.want201)
				}
				t.Logf("statuses %v, paid %s of %s, %d retries after 503", counts, sum, got.Total, retries)
			})
		}
	})
}

// TestAPIConcurrentFinalize: 20 drafts finalized at once get the numbers
// INV-000001 … INV-000020, each once.
func TestAPIConcurrentFinalize(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		cust := c.Customer(t, "Numbers AG")
		const n = 20
		drafts := make([]string, n)
		for i := range drafts {
			drafts[i] = c.Invoice(t, cust.ID, "10").ID
		}
		replies := testenv.FanOut(t, n, func(i int) (apiReply, error) {
			return apiSend(c, "POST", "/v1/invoices/"+drafts[i]+"/finalize", nil)
		})
		retries := retriesOf(replies)
		var numbers []string
		for i, r := range replies {
			if r.status != 200 {
				t.Fatalf("finalize %d: %d %s", i, r.status, r.body)
			}
			var inv billbridge.Invoice
			if err := json.Unmarshal(r.body, &inv); err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, inv.Number)
		}
		slices.Sort(numbers)
		for i, got := range numbers {
			if want := billbridge.InvoiceNumber(int64(i + 1)); got != want {
				t.Fatalf("numbers %v, want INV-000001 … INV-%06d, each once", numbers, n)
			}
		}
		// What the store holds agrees with what was answered.
		var stored []string
		for _, inv := range apitest.GetList[billbridge.Invoice](t, c, "/v1/invoices?status=open&limit=100").Data {
			stored = append(stored, inv.Number)
		}
		slices.Sort(stored)
		if !slices.Equal(stored, numbers) {
			t.Errorf("stored numbers %v, answered %v", stored, numbers)
		}
		t.Logf("%d retries after 503", retries)
	})
}
