package actions_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// feeLadder is a ladder with fees from the second level on.
var feeLadder = map[string]any{"interest_rate": 5, "levels": []map[string]any{
	{"level": 1, "after_days": 10, "fee": 0, "title": "Zahlungserinnerung"},
	{"level": 2, "after_days": 15, "fee": "20.00", "title": "1. Mahnung"},
	{"level": 3, "after_days": 15, "fee": 30, "title": "2. Mahnung"},
	{"level": 4, "after_days": 15, "fee": 50, "title": "letzte Mahnung"},
}}

// overdueInvoice creates a customer (external_id crm-9) and an invoice
// (external_id deal-9) of 1000.00 + 8.1 % = 1081.00 issued on 1 September
// 2026, due on 1 October.
func overdueInvoice(t *testing.T, c *apitest.Client) billbridge.Invoice {
	t.Helper()
	cust := c.Customer(t, "Spät AG", "external_id", "crm-9")
	return c.Invoice(t, cust.ID, "1000.00", "finalize", true, "issue_date", "2026-09-01", "due_in_days", 30, "external_id", "deal-9")
}

// TestAPIReminders follows an invoice up the ladder with a controllable
// clock in Zurich: level 1 due ten days after the due date (already at
// 01:30 in Zurich while UTC is a day behind), sent with interest; level 2
// due 15 days later, a payment in between lowering the interest's
// principal; the fee and interest paid with the invoice; then dunning
// stops. Figures worked out by hand in the comments.
func TestAPIReminders(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			clk := testenv.NewClock(time.Date(2026, 10, 10, 23, 30, 0, 0, time.UTC)) // 11 October 01:30 in Zurich
			testReminders(t, apitest.Start(t, apitest.Options{Store: store, Clock: clk.Now}), clk)
		})
	}
}

func testReminders(t *testing.T, s *apitest.Server, clk *testenv.Clock) {
	c := apitest.NewClient(t, s)
	var inv billbridge.Invoice
	var r1, r2 billbridge.Reminder
	apitest.Step(t, "an account without settings has the Swiss ladder in its time zone", func(t *testing.T) {
		var set billbridge.DunningSettings
		c.Must(t, 200, "GET", "/v1/settings/dunning", nil, &set)
		if !set.Enabled || len(set.Levels) != 4 || set.Levels[0].Title != "Zahlungserinnerung" || set.Levels[0].AfterDays != 10 ||
			set.Levels[0].Fee != 0 || set.InterestRate != 500 || set.PayWithinDays != 10 || set.UpdatedAt != nil || set.Timezone != "Europe/Zurich" {
			t.Fatalf("default settings %+v", set)
		}
	})
	apitest.Step(t, "bad dunning settings are refused naming the field, good ones are saved", func(t *testing.T) {
		bad := map[string]any{"levels": []map[string]any{{"level": 1, "after_days": 10, "title": "x"}, {"level": 2, "after_days": 0, "title": "y"}}}
		apitest.Invalid(t, c.Do(t, "PUT", "/v1/settings/dunning", bad), "levels[1].after_days")
		apitest.Invalid(t, c.Do(t, "PUT", "/v1/settings/dunning", map[string]any{"interest_rate": 31}), "interest_rate")
		apitest.Invalid(t, c.Do(t, "PUT", "/v1/settings/dunning", map[string]any{"levels": []map[string]any{{"level": 1, "after_days": 10, "fee": "1.001", "title": "x"}}}), "levels[0].fee")
		var set billbridge.DunningSettings
		c.Must(t, 200, "PUT", "/v1/settings/dunning", feeLadder, &set)
		if set.Levels[1].Fee != 2000 || set.UpdatedAt == nil || !set.Enabled {
			t.Fatalf("saved settings %+v", set)
		}
	})
	apitest.Step(t, "level 1 falls due ten days after the due date, by the account's calendar", func(t *testing.T) {
		inv = overdueInvoice(t, c)
		due := apitest.GetList[billbridge.Reminder](t, c, "/v1/reminders?status=due")
		if len(due.Data) != 1 {
			t.Fatalf("due on 11 October in Zurich: %+v", due.Data)
		}
		// 1081.00 × 5 % × 10/365 = 1.4808 → 1.48.
		if d := due.Data[0]; d.Status != "due" || d.ID != inv.ID+".1" || d.Level != 1 || d.Interest != 148 || d.TotalDue != 108248 ||
			d.SentAt != nil || d.DueOn.String() != "2026-10-11" || d.CustomerExternalID != "crm-9" || d.InvoiceExternalID != "deal-9" {
			t.Fatalf("due reminder %+v", d)
		}
		if l := apitest.GetList[billbridge.Reminder](t, c, "/v1/reminders?status=due&customer_id="+inv.CustomerID); len(l.Data) != 1 {
			t.Fatalf("due of the customer: %d", len(l.Data))
		}
		if l := apitest.GetList[billbridge.Reminder](t, c, "/v1/reminders?status=due&customer_id=cus_other"); len(l.Data) != 0 {
			t.Fatalf("due of another customer: %d", len(l.Data))
		}
	})
	apitest.Step(t, "a bad reminder is refused naming the field", func(t *testing.T) {
		apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "fax"}), "channel")
		apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{}), "channel")
		apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "email", "level": 5}), "level")
		apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "email", "sent_at": "2026-10-12T09:00:00Z"}), "sent_at")
		apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "email", "sent_at": "yesterday"}), "sent_at")
		apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/inv_nope/reminders", map[string]any{"channel": "email"}), 404, billbridge.ENOTFOUND)
	})
	apitest.Step(t, "level 1 is sent with its interest, which the invoice then owes; the same level twice is 409", func(t *testing.T) {
		c.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "email", "note": "Anna"}, &r1)
		if r1.Status != "sent" || r1.Level != 1 || r1.Title != "Zahlungserinnerung" || r1.Fee != 0 || r1.Interest != 148 || r1.InterestDays != 10 ||
			r1.AmountDue != 108100 || r1.TotalDue != 108248 || r1.PayBy.String() != "2026-10-21" || r1.SentOn.String() != "2026-10-11" ||
			r1.Channel != "email" || r1.Note != "Anna" || r1.CustomerExternalID != "crm-9" || r1.InvoiceExternalID != "deal-9" {
			t.Fatalf("level 1 %+v", r1)
		}
		var got billbridge.Invoice
		c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID, nil, &got)
		if got.AmountDue != 108248 || got.Total != 108100 || got.Interest != 148 || got.DunningLevel != 1 || got.LastReminderOn.String() != "2026-10-11" {
			t.Fatalf("invoice after level 1: %+v", got)
		}
		apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "post", "level": 1}), 409, billbridge.ECONFLICT)
		if l := apitest.GetList[billbridge.Reminder](t, c, "/v1/reminders?status=due"); len(l.Data) != 0 {
			t.Fatalf("due right after level 1: %+v", l.Data)
		}
	})
	apitest.Step(t, "level 2 falls due 15 days later and charges interest on what a payment left", func(t *testing.T) {
		// 26 October: level 2 falls due. A payment of 500.00 comes first:
		// it covers the 1.48 interest, leaving 582.48 of principal.
		clk.Set(time.Date(2026, 10, 26, 10, 0, 0, 0, time.UTC))
		if l := apitest.GetList[billbridge.Reminder](t, c, "/v1/reminders?status=due"); len(l.Data) != 1 || l.Data[0].Level != 2 || l.Data[0].DueOn.String() != "2026-10-26" {
			t.Fatalf("due on 26 October: %+v", l.Data)
		}
		c.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/payments", map[string]any{"amount": 500}, nil)
		// 582.48 × 5 % × 15/365 = 1.1969 → 1.20; fee 20.00 + 8.1 % = 1.62.
		c.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "post"}, &r2)
		if r2.Level != 2 || r2.Fee != 2000 || r2.FeeVAT != 162 || r2.Principal != 58248 || r2.Interest != 120 || r2.AmountDue != 58248 || r2.TotalDue != 60530 {
			t.Fatalf("level 2 %+v", r2)
		}
	})
	apitest.Step(t, "a 1. Mahnung on an unpaid invoice rates the customer poor, told by the event", func(t *testing.T) {
		var ph billbridge.PaymentHealth
		c.Must(t, 200, "GET", "/v1/customers/"+inv.CustomerID+"/payment-health", nil, &ph)
		if ph.Rating != "poor" || ph.Currencies[0].MaxReminderLevel != 2 || !slices.Contains(ph.Warnings, "CHF reminder level 2 sent on an unpaid invoice") {
			t.Fatalf("payment health after level 2: %+v", ph)
		}
		if ev := ratingEvents(t, c); len(ev) == 0 || ev[len(ev)-1].To != "poor" || ev[len(ev)-1].ExternalID != "crm-9" {
			t.Fatalf("rating events %+v", ev)
		}
	})
	apitest.Step(t, "sent reminders are listed newest first and paged; a made-up cursor is 400", func(t *testing.T) {
		sent := apitest.GetList[billbridge.Reminder](t, c, "/v1/invoices/"+inv.ID+"/reminders")
		if len(sent.Data) != 2 || sent.Data[0].ID != r2.ID || sent.Data[1].ID != r1.ID {
			t.Fatalf("invoice reminders %+v", sent.Data)
		}
		if l := apitest.GetList[billbridge.Reminder](t, c, "/v1/reminders?customer_id="+inv.CustomerID+"&limit=1"); len(l.Data) != 1 || !l.HasMore || l.Data[0].ID != r2.ID {
			t.Fatalf("sent reminders page 1: %+v", l)
		}
		apitest.Problem(t, c.Do(t, "GET", "/v1/reminders?starting_after=rem_made_up", nil), 400, billbridge.ECURSORINVALID)
	})
	apitest.Step(t, "fees and interest are paid with the invoice, and then dunning stops", func(t *testing.T) {
		// 605.30 settles it; a cent more is refused.
		apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/payments", map[string]any{"amount": "605.31"}), "amount")
		c.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/payments", map[string]any{"amount": "605.30"}, nil)
		var got billbridge.Invoice
		c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID, nil, &got)
		if got.Status != "paid" || got.AmountDue != 0 || got.AmountPaid != 110530 || got.Fees != 2000 || got.FeesVAT != 162 || got.Interest != 268 {
			t.Fatalf("paid invoice %+v", got)
		}
		var ph billbridge.PaymentHealth
		c.Must(t, 200, "GET", "/v1/customers/"+inv.CustomerID+"/payment-health", nil, &ph)
		if ph.Currencies[0].MaxReminderLevel != 0 || ph.Rating == "poor" {
			t.Fatalf("payment health once paid: %+v", ph)
		}
		clk.Set(time.Date(2026, 12, 26, 10, 0, 0, 0, time.UTC))
		apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "email"}), 409, billbridge.ECONFLICT)
		if l := apitest.GetList[billbridge.Reminder](t, c, "/v1/reminders?status=due"); len(l.Data) != 0 {
			t.Fatalf("due after payment: %+v", l.Data)
		}
	})
	apitest.Step(t, "each reminder sent is a reminder.sent event with the CRM's ids", func(t *testing.T) {
		var feed apitest.List[billbridge.Event]
		c.Must(t, 200, "GET", "/v1/events?type=reminder.sent&order=asc", nil, &feed)
		if len(feed.Data) != 2 {
			t.Fatalf("reminder.sent events: %d", len(feed.Data))
		}
		var ev billbridge.Reminder
		if err := json.Unmarshal(feed.Data[1].Data, &ev); err != nil || ev.ID != r2.ID || ev.CustomerExternalID != "crm-9" || ev.InvoiceExternalID != "deal-9" {
			t.Fatalf("reminder.sent data %s (%v)", feed.Data[1].Data, err)
		}
	})
}

// TestAPIRemindersDisabled: with dunning disabled nothing is due, while a
// reminder may still be recorded by hand; a paused invoice or customer
// has nothing due and refuses reminders.
func TestAPIRemindersDisabled(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			clk := testenv.NewClock(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
			testRemindersPaused(t, apitest.Start(t, apitest.Options{Store: store, Clock: clk.Now}), clk)
		})
	}
}

// testRemindersPaused: disabled settings, then a Mahnsperre on the invoice
// and on the customer.
func testRemindersPaused(t *testing.T, s *apitest.Server, clk *testenv.Clock) {
	c := apitest.NewClient(t, s)
	inv := overdueInvoice(t, c)
	apitest.Step(t, "with dunning disabled nothing is due, and a reminder may still be recorded", func(t *testing.T) {
		c.Must(t, 200, "PUT", "/v1/settings/dunning", map[string]any{"enabled": false}, nil)
		if l := apitest.GetList[billbridge.Reminder](t, c, "/v1/reminders?status=due"); len(l.Data) != 0 {
			t.Fatalf("due while disabled: %+v", l.Data)
		}
		c.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "manual"}, nil)
	})
	apitest.Step(t, "enabled again, the next level falls due", func(t *testing.T) {
		c.Must(t, 200, "PUT", "/v1/settings/dunning", map[string]any{"enabled": true}, nil)
		clk.Set(time.Date(2026, 12, 20, 10, 0, 0, 0, time.UTC))
		if l := apitest.GetList[billbridge.Reminder](t, c, "/v1/reminders?status=due"); len(l.Data) != 1 || l.Data[0].Level != 2 {
			t.Fatalf("due once enabled: %+v", l.Data)
		}
	})
	apitest.Step(t, "a paused invoice has nothing due and refuses reminders", func(t *testing.T) {
		var paused billbridge.Invoice
		c.Must(t, 200, "PUT", "/v1/invoices/"+inv.ID+"/dunning", map[string]any{"paused": true}, &paused)
		if !paused.DunningPaused {
			t.Fatalf("invoice not paused: %+v", paused)
		}
		if l := apitest.GetList[billbridge.Reminder](t, c, "/v1/reminders?status=due"); len(l.Data) != 0 {
			t.Fatalf("due while the invoice is paused: %+v", l.Data)
		}
		apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "manual"}), 409, billbridge.ECONFLICT)
		c.Must(t, 200, "PUT", "/v1/invoices/"+inv.ID+"/dunning", map[string]any{"paused": false}, nil)
	})
	apitest.Step(t, "a paused customer's invoices have nothing due and refuse reminders until resumed", func(t *testing.T) {
		var cp struct {
			CustomerID    string `json:"customer_id"`
			DunningPaused bool   `json:"dunning_paused"`
		}
		c.Must(t, 200, "PUT", "/v1/customers/"+inv.CustomerID+"/dunning", map[string]any{"paused": true}, &cp)
		if !cp.DunningPaused || cp.CustomerID != inv.CustomerID {
			t.Fatalf("customer pause %+v", cp)
		}
		c.Must(t, 200, "GET", "/v1/customers/"+inv.CustomerID+"/dunning", nil, &cp)
		if l := apitest.GetList[billbridge.Reminder](t, c, "/v1/reminders?status=due"); len(l.Data) != 0 || !cp.DunningPaused {
			t.Fatalf("due while the customer is paused: %+v", l.Data)
		}
		apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "manual"}), 409, billbridge.ECONFLICT)
		apitest.Invalid(t, c.Do(t, "PUT", "/v1/customers/"+inv.CustomerID+"/dunning", map[string]any{}), "paused")
		c.Must(t, 200, "PUT", "/v1/customers/"+inv.CustomerID+"/dunning", map[string]any{"paused": false}, nil)
		c.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "manual"}, nil)
	})
	apitest.Step(t, "another account can neither see nor remind nor pause the invoice", func(t *testing.T) {
		other := apitest.NewClient(t, s)
		apitest.Problem(t, other.Do(t, "POST", "/v1/invoices/"+inv.ID+"/reminders", map[string]any{"channel": "manual"}), 404, billbridge.ENOTFOUND)
		apitest.Problem(t, other.Do(t, "GET", "/v1/invoices/"+inv.ID+"/reminders", nil), 404, billbridge.ENOTFOUND)
		apitest.Problem(t, other.Do(t, "PUT", "/v1/invoices/"+inv.ID+"/dunning", map[string]any{"paused": true}), 404, billbridge.ENOTFOUND)
		apitest.Problem(t, other.Do(t, "PUT", "/v1/customers/"+inv.CustomerID+"/dunning", map[string]any{"paused": true}), 404, billbridge.ENOTFOUND)
		if l := apitest.GetList[billbridge.Reminder](t, other, "/v1/reminders"); len(l.Data) != 0 {
			t.Fatalf("another account sees %d reminders", len(l.Data))
		}
	})
}

// postReminder sends a reminder from any goroutine, with an Idempotency-Key
// when key is not empty.
func postReminder(c *apitest.Client, invoiceID, key string, body map[string]any) (int, billbridge.Reminder, error) {
	raw, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", c.S.URL+"/v1/invoices/"+invoiceID+"/reminders", bytes.NewReader(raw))
	if err != nil {
		return 0, billbridge.Reminder{}, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Key)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, billbridge.Reminder{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	var r billbridge.Reminder
	if resp.StatusCode == 201 {
		err = json.Unmarshal(b, &r)
	}
	return resp.StatusCode, r, err
}

// TestAPIRemindersConcurrent: parallel reminder posts, with one shared
// Idempotency-Key, with a key each, or without any, never create two
// reminders of one level, on both stores.
func TestAPIRemindersConcurrent(t *testing.T) {
	clk := testenv.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	apitest.EachStore(t, apitest.Options{Clock: clk.Now}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		inv := overdueInvoice(t, c)
		const n = 8
		type answer struct {
			status int
			id     string
		}
		run := func(t *testing.T, key func(i int) string, body map[string]any) map[int]int {
			answers := testenv.FanOut(t, n, func(i int) (answer, error) {
				st, r, err := postReminder(c, inv.ID, key(i), body)
				return answer{st, r.ID}, err
			})
			statuses := map[int]int{}
			ids := map[string]bool{}
			for _, a := range answers {
				statuses[a.status]++
				if a.status == 201 {
					ids[a.id] = true
				}
			}
			if len(ids) > 1 {
				t.Fatalf("%d different reminders created: %v", len(ids), ids)
			}
			return statuses
		}
		apitest.Step(t, "without keys: the next level once, the others 409", func(t *testing.T) {
			if st := run(t, func(int) string { return "" }, map[string]any{"channel": "email"}); st[201] != 1 || st[409] != n-1 {
				t.Fatalf("without keys: %v", st)
			}
		})
		// The first creates level 2 (named: the next level on the same day
		// is never taken by default).
		apitest.Step(t, "one key: one reminder, the rest replay it or are told the key is in use", func(t *testing.T) {
			if st := run(t, func(int) string { return "same-key" }, map[string]any{"channel": "email", "level": 2}); st[201] < 1 || st[201]+st[409] != n {
				t.Fatalf("one key: %v", st)
			}
		})
		apitest.Step(t, "a key each, for one level: once, the others 409", func(t *testing.T) {
			if st := run(t, func(i int) string { return "key-" + string(rune('a'+i)) }, map[string]any{"channel": "email", "level": 3}); st[201] != 1 || st[409] != n-1 {
				t.Fatalf("a key each: %v", st)
			}
		})
		apitest.Step(t, "each level was sent once and the invoice owes their charges once", func(t *testing.T) {
			sent := apitest.GetList[billbridge.Reminder](t, c, "/v1/invoices/"+inv.ID+"/reminders")
			levels := map[int]int{}
			for _, r := range sent.Data {
				levels[r.Level]++
			}
			if len(sent.Data) != 3 || levels[1] != 1 || levels[2] != 1 || levels[3] != 1 {
				t.Fatalf("reminders %v", levels)
			}
			var got billbridge.Invoice
			c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID, nil, &got)
			var charges billbridge.Money
			for _, r := range sent.Data {
				charges += r.Fee + r.FeeVAT + r.Interest
			}
			if got.DunningLevel != 3 || got.AmountDue != got.Total+charges {
				t.Fatalf("invoice %+v, charges %s", got, charges)
			}
		})
	})
}
