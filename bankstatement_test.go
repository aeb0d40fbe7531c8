package billbridge_test

import (
	"testing"

	"billbridge"
)

func TestStatementOutcome(t *testing.T) {
	credit := billbridge.StatementEntry{EntryReference: "B-1", Reference: "RF18539007547034", Amount: 5000, Currency: "CHF", Credit: true, Booked: true}
	open := &billbridge.Invoice{Status: billbridge.StatusOpen, Currency: "CHF", AmountDue: 5000}
	with := func(f func(e *billbridge.StatementEntry, inv *billbridge.Invoice)) (billbridge.StatementEntry, *billbridge.Invoice) {
		e, inv := credit, *open
		f(&e, &inv)
		return e, &inv
	}
	for name, tc := range map[string]struct {
		f    func(e *billbridge.StatementEntry, inv *billbridge.Invoice)
		want string
	}{
		"the exact amount due pays": {func(e *billbridge.StatementEntry, inv *billbridge.Invoice) {}, ""},
		"a part pays":               {func(e *billbridge.StatementEntry, inv *billbridge.Invoice) { e.Amount = 1 }, ""},
		"a partially paid invoice": {func(e *billbridge.StatementEntry, inv *billbridge.Invoice) {
			inv.Status = billbridge.StatusPartiallyPaid
		}, ""},
		"one cent more is overpaid": {func(e *billbridge.StatementEntry, inv *billbridge.Invoice) { e.Amount = 5001 }, billbridge.OutcomeOverpaid},
		"a paid invoice pays nothing": {func(e *billbridge.StatementEntry, inv *billbridge.Invoice) {
			inv.Status, inv.AmountDue = billbridge.StatusPaid, 0
		}, billbridge.UnmatchedPaid},
		"no reference":                    {func(e *billbridge.StatementEntry, inv *billbridge.Invoice) { e.Reference = "" }, billbridge.UnmatchedNoReference},
		"another currency":                {func(e *billbridge.StatementEntry, inv *billbridge.Invoice) { e.Currency = "EUR" }, billbridge.UnmatchedCurrency},
		"a cancelled invoice":             {func(e *billbridge.StatementEntry, inv *billbridge.Invoice) { inv.Status = billbridge.StatusCancelled }, billbridge.UnmatchedNotPayable},
		"a draft (never has a reference)": {func(e *billbridge.StatementEntry, inv *billbridge.Invoice) { inv.Status = billbridge.StatusDraft }, billbridge.UnmatchedNotPayable},
	} {
		t.Run(name, func(t *testing.T) {
			e, inv := with(tc.f)
			if got := billbridge.StatementOutcome(e, inv); got != tc.want {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}
	if got := billbridge.StatementOutcome(credit, nil); got != billbridge.UnmatchedNoInvoice {
		t.Errorf("no invoice: %q", got)
	}
	for name, e := range map[string]billbridge.StatementEntry{
		"debit":    {Amount: 1, Booked: true},
		"pending":  {Amount: 1, Credit: true},
		"reversal": {Amount: 1, Credit: true, Booked: true, Reversal: true},
		"zero":     {Credit: true, Booked: true},
	} {
		if e.Counts() {
			t.Errorf("%s counts", name)
		}
	}
	if !credit.Counts() {
		t.Error("a booked credit does not count")
	}
}

func TestStatementSurplus(t *testing.T) {
	e := billbridge.StatementEntry{Amount: 7000}
	for booked, want := range map[billbridge.Money]billbridge.Money{6000: 1000, 6999: 1, 7000: 0, 7001: 0, 0: 7000} {
		if got := billbridge.StatementSurplus(e, booked); got != want {
			t.Errorf("booked %s: surplus %s, want %s", booked, got, want)
		}
	}
}
