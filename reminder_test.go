package billbridge_test

import (
	"testing"
	"time"

	"billbridge"
)

var zurich = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		panic(err)
	}
	return loc
}()

// overdueInvoice is an open CHF invoice of 1081.00 (1000.00 + 8.1 % VAT)
// due on 2026-10-31.
func overdueInvoice() *billbridge.Invoice {
	return &billbridge.Invoice{
		ID: "inv_1", CustomerID: "cus_1", Number: "INV-000001", Status: billbridge.StatusOpen, Currency: billbridge.CHF,
		VATBreakdown: []billbridge.VATLine{{Rate: 810, Net: 100000, VAT: 8100}},
		Subtotal:     100000, VATTotal: 8100, Total: 108100, AmountDue: 108100,
		IssueDate: date(2026, 10, 1), DueDate: date(2026, 10, 31),
	}
}

// feeLadder charges fees from the second level on.
func feeLadder() *billbridge.DunningSettings {
	s := billbridge.DefaultDunningSettings("acct_1")
	s.Levels[1].Fee, s.Levels[2].Fee, s.Levels[3].Fee = 2000, 3000, 5000
	return s
}

// zurichNoon is noon in Zurich on the day.
func zurichNoon(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, zurich) }

// TestComputeReminder checks fees, VAT on fees, interest and totals to the
// centime; every figure was worked out by hand (in the comments).
func TestComputeReminder(t *testing.T) {
	now := zurichNoon(2027, 1, 15)
	type want struct {
		level                                        int
		fee, feeVAT, interest, principal, due, total billbridge.Money
		days                                         int
		payBy                                        string
	}
	cases := []struct {
		name string
		inv  func(*billbridge.Invoice)
		set  func(*billbridge.DunningSettings)
		req  billbridge.ReminderRequest
		loc  *time.Location
		want want
		code string // error code when refused
		fld  string // refused field
	}{
		{name: "level 1 ten days late: 1081.00 × 5 % × 10/365 = 1.4808 → 1.48",
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 10)},
			want: want{level: 1, interest: 148, principal: 108100, due: 108100, total: 108248, days: 10, payBy: "2026-11-20"}},
		{name: "level 2 after level 1: fee 20.00 + 8.1 % = 1.62, interest 15 days on the principal only = 2.2212 → 2.22",
			inv: func(i *billbridge.Invoice) {
				i.Interest, i.AmountDue, i.DunningLevel, i.LastReminderOn = 148, 108248, 1, date(2026, 11, 10)
			},
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 25)},
			want: want{level: 2, fee: 2000, feeVAT: 162, interest: 222, principal: 108100, due: 108248, total: 110632, days: 15, payBy: "2026-12-05"}},
		{name: "partial payment: 581.00 open × 5 % × 30/365 = 2.3877 → 2.39",
			inv: func(i *billbridge.Invoice) {
				i.Status, i.AmountPaid, i.AmountDue = billbridge.StatusPartiallyPaid, 50000, 58100
			},
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 30)},
			want: want{level: 1, interest: 239, principal: 58100, due: 58100, total: 58339, days: 30, payBy: "2026-12-10"}},
		{name: "payments cover charges first: 23.10 of charges paid leaves the whole principal",
			inv: func(i *billbridge.Invoice) {
				i.Fees, i.FeesVAT, i.Interest, i.AmountPaid, i.AmountDue = 2000, 162, 148, 2310, 108100
				i.Status, i.DunningLevel, i.LastReminderOn = billbridge.StatusPartiallyPaid, 2, date(2026, 11, 25)
			},
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 12, 15)},
			want: want{level: 3, fee: 3000, feeVAT: 243, interest: 296, principal: 108100, due: 108100, total: 111639, days: 20, payBy: "2026-12-25"}},
		{name: "a payment beyond the charges reduces the principal: 1054.10 × 5 % × 20/365 = 2.888 → 2.89",
			inv: func(i *billbridge.Invoice) {
				i.Fees, i.FeesVAT, i.Interest, i.AmountPaid, i.AmountDue = 2000, 162, 148, 5000, 105410
				i.Status, i.DunningLevel, i.LastReminderOn = billbridge.StatusPartiallyPaid, 2, date(2026, 11, 25)
			},
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 12, 15)},
			want: want{level: 3, fee: 3000, feeVAT: 243, interest: 289, principal: 105410, due: 105410, total: 108942, days: 20, payBy: "2026-12-25"}},
		{name: "interest 0 charges none",
			set:  func(s *billbridge.DunningSettings) { s.InterestRate = 0 },
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 10)},
			want: want{level: 1, principal: 108100, due: 108100, total: 108100, days: 10, payBy: "2026-11-20"}},
		{name: "one day late: 1081.00 × 5 %/365 = 0.148 → 0.15",
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 1)},
			want: want{level: 1, interest: 15, principal: 108100, due: 108100, total: 108115, days: 1, payBy: "2026-11-11"}},
		{name: "on the due date the invoice is not overdue",
			req: billbridge.ReminderRequest{SentAt: zurichNoon(2026, 10, 31)}, code: billbridge.ECONFLICT},
		{name: "00:30 in Zurich is the next day there: 1 day late",
			req:  billbridge.ReminderRequest{SentAt: time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC)},
			want: want{level: 1, interest: 15, principal: 108100, due: 108100, total: 108115, days: 1, payBy: "2026-11-11"}},
		{name: "the same instant in UTC is still the due date",
			req: billbridge.ReminderRequest{SentAt: time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC)}, loc: time.UTC, code: billbridge.ECONFLICT},
		{name: "paid stops dunning", inv: func(i *billbridge.Invoice) { i.Status, i.AmountDue = billbridge.StatusPaid, 0 },
			req: billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 10)}, code: billbridge.ECONFLICT},
		{name: "cancelled stops dunning", inv: func(i *billbridge.Invoice) { i.Status = billbridge.StatusCancelled },
			req: billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 10)}, code: billbridge.ECONFLICT},
		{name: "a draft is not reminded", inv: func(i *billbridge.Invoice) { i.Status, i.DueDate = billbridge.StatusDraft, nil },
			req: billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 10)}, code: billbridge.ECONFLICT},
		{name: "Mahnsperre on the invoice", inv: func(i *billbridge.Invoice) { i.DunningPaused = true },
			req: billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 10)}, code: billbridge.ECONFLICT},
		{name: "Mahnsperre on the customer",
			req: billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 10), CustomerPaused: true}, code: billbridge.ECONFLICT},
		{name: "a level already sent", inv: func(i *billbridge.Invoice) { i.DunningLevel, i.LastReminderOn = 1, date(2026, 11, 10) },
			req: billbridge.ReminderRequest{Level: 1, SentAt: zurichNoon(2026, 11, 20)}, code: billbridge.ECONFLICT},
		{name: "the next level on the day of the last one needs its level named", inv: func(i *billbridge.Invoice) { i.DunningLevel, i.LastReminderOn = 1, date(2026, 11, 20) },
			req: billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 20)}, code: billbridge.ECONFLICT},
		{name: "named, it goes out the same day: 0 days of interest", inv: func(i *billbridge.Invoice) { i.DunningLevel, i.LastReminderOn = 1, date(2026, 11, 20) },
			req:  billbridge.ReminderRequest{Level: 2, SentAt: zurichNoon(2026, 11, 20)},
			want: want{level: 2, fee: 2000, feeVAT: 162, principal: 108100, due: 108100, total: 110262, payBy: "2026-11-30"}},
		{name: "past the last level", inv: func(i *billbridge.Invoice) { i.DunningLevel, i.LastReminderOn = 4, date(2026, 11, 10) },
			req: billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 20)}, code: billbridge.ECONFLICT},
		{name: "a level outside the ladder",
			req: billbridge.ReminderRequest{Level: 5, SentAt: zurichNoon(2026, 11, 20)}, code: billbridge.EINVALID, fld: "level"},
		{name: "skipping to level 3: fee 30.00 + 2.43 VAT, interest 40 days = 5.9233 → 5.92",
			req:  billbridge.ReminderRequest{Level: 3, SentAt: zurichNoon(2026, 12, 10)},
			want: want{level: 3, fee: 3000, feeVAT: 243, interest: 592, principal: 108100, due: 108100, total: 111935, days: 40, payBy: "2026-12-20"}},
		{name: "sent_at in the future",
			req: billbridge.ReminderRequest{SentAt: now.Add(time.Minute)}, code: billbridge.EINVALID, fld: "sent_at"},
		{name: "sent_at before the last reminder", inv: func(i *billbridge.Invoice) { i.DunningLevel, i.LastReminderOn = 1, date(2026, 11, 10) },
			req: billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 9)}, code: billbridge.EINVALID, fld: "sent_at"},
		{name: "fee VAT at the rate of the largest net: 20.00 × 2.6 % = 0.52",
			inv: func(i *billbridge.Invoice) {
				i.VATBreakdown = []billbridge.VATLine{{Rate: 260, Net: 60000, VAT: 1560}, {Rate: 810, Net: 40000, VAT: 3240}}
				i.DunningLevel, i.LastReminderOn = 1, date(2026, 11, 10)
			},
			set:  func(s *billbridge.DunningSettings) { s.InterestRate = 0 },
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 25)},
			want: want{level: 2, fee: 2000, feeVAT: 52, principal: 108100, due: 108100, total: 110152, days: 15, payBy: "2026-12-05"}},
		{name: "a tie of nets takes the higher rate: 20.00 × 8.1 % = 1.62",
			inv: func(i *billbridge.Invoice) {
				i.VATBreakdown = []billbridge.VATLine{{Rate: 260, Net: 50000, VAT: 1300}, {Rate: 810, Net: 50000, VAT: 4050}}
				i.DunningLevel, i.LastReminderOn = 1, date(2026, 11, 10)
			},
			set:  func(s *billbridge.DunningSettings) { s.InterestRate = 0 },
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 25)},
			want: want{level: 2, fee: 2000, feeVAT: 162, principal: 108100, due: 108100, total: 110262, days: 15, payBy: "2026-12-05"}},
		{name: "EUR without VAT, 8 % agreed: 500.00 × 8 % × 60/365 = 6.575 → 6.58",
			inv: func(i *billbridge.Invoice) {
				i.Currency, i.VATBreakdown, i.Subtotal, i.VATTotal, i.Total, i.AmountDue = billbridge.EUR, []billbridge.VATLine{{Net: 50000}}, 50000, 0, 50000, 50000
				i.DunningLevel, i.LastReminderOn = 1, date(2026, 10, 31)
			},
			set:  func(s *billbridge.DunningSettings) { s.InterestRate = 800 },
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 12, 30)},
			want: want{level: 2, fee: 2000, interest: 658, principal: 50000, due: 50000, total: 52658, days: 60, payBy: "2027-01-09"}},
		{name: "half a centime rounds up: 36.50 × 5 %/365 = 0.005 → 0.01",
			inv:  func(i *billbridge.Invoice) { i.Total, i.AmountDue = 3650, 3650 },
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 1)},
			want: want{level: 1, interest: 1, principal: 3650, due: 3650, total: 3651, days: 1, payBy: "2026-11-11"}},
		{name: "just under half a centime rounds down: 36.49 × 5 %/365 = 0.004999 → 0",
			inv:  func(i *billbridge.Invoice) { i.Total, i.AmountDue = 3649, 3649 },
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 1)},
			want: want{level: 1, principal: 3649, due: 3649, total: 3649, days: 1, payBy: "2026-11-11"}},
		{name: "a leap year counts 29 February: 1081.00 × 5 % × 29/365 = 4.2945 → 4.29",
			inv:  func(i *billbridge.Invoice) { i.DueDate = date(2028, 2, 1) },
			req:  billbridge.ReminderRequest{SentAt: zurichNoon(2028, 3, 1)},
			want: want{level: 1, interest: 429, principal: 108100, due: 108100, total: 108529, days: 29, payBy: "2028-03-11"}},
		{name: "the amount due may not pass the QR-bill maximum",
			inv: func(i *billbridge.Invoice) { i.Total, i.AmountDue = billbridge.MaxMoney, billbridge.MaxMoney },
			req: billbridge.ReminderRequest{SentAt: zurichNoon(2026, 11, 10)}, code: billbridge.EINVALID, fld: "level"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv, s, loc := overdueInvoice(), feeLadder(), zurich
			if tc.inv != nil {
				tc.inv(inv)
			}
			if tc.set != nil {
				tc.set(s)
			}
			if tc.loc != nil {
				loc = tc.loc
			}
			clock := now
			if tc.inv != nil && inv.DueDate != nil && inv.DueDate.Year() == 2028 {
				clock = zurichNoon(2028, 6, 1)
			}
			r, err := billbridge.ComputeReminder(inv, s, tc.req, clock, loc)
			if tc.code != "" {
				if billbridge.ErrorCode(err) != tc.code {
					t.Fatalf("err = %v, want %s", err, tc.code)
				}
				if tc.fld != "" && !namesField(err, tc.fld) {
					t.Fatalf("err = %v, want field %s", err, tc.fld)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := want{level: r.Level, fee: r.Fee, feeVAT: r.FeeVAT, interest: r.Interest, principal: r.Principal,
				due: r.AmountDue, total: r.TotalDue, days: r.InterestDays, payBy: r.PayBy.String()}
			if got != tc.want {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
			before := *inv
			inv.ApplyReminder(r)
			if inv.AmountDue != r.TotalDue || inv.Total != before.Total || inv.Subtotal != before.Subtotal || inv.DunningLevel != r.Level ||
				inv.Charges() != before.Charges()+r.Fee+r.FeeVAT+r.Interest || *inv.LastReminderOn != *r.SentOn {
				t.Fatalf("applied: %+v", inv)
			}
		})
	}
}

func namesField(err error, field string) bool {
	e, ok := err.(*billbridge.Error)
	return ok && len(e.Fields) > 0 && e.Fields[0].Name == field
}

// TestPaymentsCoverChargesFirst: a payment after a reminder pays the fee and
// interest before the invoice, and the invoice is paid only with them.
func TestPaymentsCoverChargesFirst(t *testing.T) {
	inv := overdueInvoice()
	r, err := billbridge.ComputeReminder(inv, feeLadder(), billbridge.ReminderRequest{Level: 2, SentAt: zurichNoon(2026, 11, 10)}, zurichNoon(2026, 12, 1), zurich)
	if err != nil {
		t.Fatal(err)
	}
	inv.ApplyReminder(r) // 1081.00 + 20.00 + 1.62 + 1.48 = 1104.10
	if inv.AmountDue != 110410 || inv.OpenPrincipal() != 108100 {
		t.Fatalf("due %s principal %s", inv.AmountDue, inv.OpenPrincipal())
	}
	if _, err := inv.ApplyPayment(2310, time.Now()); err != nil { // the charges
		t.Fatal(err)
	}
	if inv.OpenPrincipal() != 108100 || inv.Status != billbridge.StatusPartiallyPaid {
		t.Fatalf("after the charges: principal %s status %s", inv.OpenPrincipal(), inv.Status)
	}
	if _, err := inv.ApplyPayment(108101, time.Now()); billbridge.ErrorCode(err) != billbridge.EINVALID {
		t.Fatalf("overpaying: %v", err)
	}
	paid, err := inv.ApplyPayment(108100, time.Now())
	if err != nil || !paid || inv.AmountDue != 0 {
		t.Fatalf("paid %v err %v due %s", paid, err, inv.AmountDue)
	}
}

func TestReminderDue(t *testing.T) {
	s := billbridge.DefaultDunningSettings("acct_1")
	cases := []struct {
		name   string
		inv    func(*billbridge.Invoice)
		set    func(*billbridge.DunningSettings)
		paused bool
		on     string // the day the next level falls due, "" for none
		today  string
		due    bool
	}{
		{name: "level 1 on the tenth day after the due date", on: "2026-11-10", today: "2026-11-10", due: true},
		{name: "not on the ninth", on: "2026-11-10", today: "2026-11-09"},
		{name: "still due later", on: "2026-11-10", today: "2026-12-31", due: true},
		{name: "level 2 counts from level 1's day", inv: func(i *billbridge.Invoice) { i.DunningLevel, i.LastReminderOn = 1, date(2026, 11, 20) },
			on: "2026-12-05", today: "2026-12-05", due: true},
		{name: "past the last level", inv: func(i *billbridge.Invoice) { i.DunningLevel, i.LastReminderOn = 4, date(2026, 11, 20) }, today: "2027-06-01"},
		{name: "paid", inv: func(i *billbridge.Invoice) { i.Status = billbridge.StatusPaid }, today: "2027-06-01"},
		{name: "cancelled", inv: func(i *billbridge.Invoice) { i.Status = billbridge.StatusCancelled }, today: "2027-06-01"},
		{name: "invoice paused", inv: func(i *billbridge.Invoice) { i.DunningPaused = true }, today: "2027-06-01"},
		{name: "customer paused", paused: true, today: "2027-06-01"},
		{name: "disabled: the day is known but nothing is due", set: func(s *billbridge.DunningSettings) { s.Enabled = false },
			on: "2026-11-10", today: "2027-06-01"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv, s := overdueInvoice(), *s
			if tc.inv != nil {
				tc.inv(inv)
			}
			if tc.set != nil {
				tc.set(&s)
			}
			on, ok := s.NextReminderOn(inv, tc.paused)
			if got := map[bool]string{true: on.String(), false: ""}[ok]; got != tc.on {
				t.Errorf("next on %q, want %q", got, tc.on)
			}
			today, _ := billbridge.ParseDate(tc.today)
			if got := s.ReminderDue(inv, tc.paused, today); got != tc.due {
				t.Errorf("due %v, want %v", got, tc.due)
			}
		})
	}
}

func TestDunningSettingsValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*billbridge.DunningSettings)
		field string
	}{
		{name: "defaults", edit: func(*billbridge.DunningSettings) {}},
		{name: "no levels", edit: func(s *billbridge.DunningSettings) { s.Levels = nil }, field: "levels"},
		{name: "ten levels", edit: func(s *billbridge.DunningSettings) {
			for i := 5; i <= 10; i++ {
				s.Levels = append(s.Levels, billbridge.DunningLevel{Level: i, AfterDays: 10, Title: "x"})
			}
		}, field: "levels"},
		{name: "numbered out of order", edit: func(s *billbridge.DunningSettings) { s.Levels[1].Level = 3 }, field: "levels[1].level"},
		{name: "after_days 0", edit: func(s *billbridge.DunningSettings) { s.Levels[2].AfterDays = 0 }, field: "levels[2].after_days"},
		{name: "after_days 366", edit: func(s *billbridge.DunningSettings) { s.Levels[0].AfterDays = 366 }, field: "levels[0].after_days"},
		{name: "negative fee", edit: func(s *billbridge.DunningSettings) { s.Levels[3].Fee = -1 }, field: "levels[3].fee"},
		{name: "fee above 1000.00", edit: func(s *billbridge.DunningSettings) { s.Levels[3].Fee = 100001 }, field: "levels[3].fee"},
		{name: "blank title", edit: func(s *billbridge.DunningSettings) { s.Levels[0].Title = "  " }, field: "levels[0].title"},
		{name: "interest above 30 %", edit: func(s *billbridge.DunningSettings) { s.InterestRate = 3001 }, field: "interest_rate"},
		{name: "negative interest", edit: func(s *billbridge.DunningSettings) { s.InterestRate = -1 }, field: "interest_rate"},
		{name: "pay_within_days 0", edit: func(s *billbridge.DunningSettings) { s.PayWithinDays = 0 }, field: "pay_within_days"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := billbridge.DefaultDunningSettings("acct_1")
			tc.edit(s)
			err := s.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if billbridge.ErrorCode(err) != billbridge.EINVALID || !namesField(err, tc.field) {
				t.Fatalf("err = %v, want %s", err, tc.field)
			}
		})
	}
}

func TestSimpleInterestNeverOverflows(t *testing.T) {
	// 999,999,999.99 × 30 % × 365/365 = 299,999,999.997 → 300,000,000.00
	if got := billbridge.SimpleInterest(billbridge.MaxMoney, 3000, 365); got != 30_000_000_000 {
		t.Fatalf("got %s", got)
	}
	if got := billbridge.SimpleInterest(108100, 500, -3); got != 0 {
		t.Fatalf("negative days: %s", got)
	}
}
