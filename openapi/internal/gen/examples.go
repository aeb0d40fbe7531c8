package main

import (
	"encoding/json"
	"fmt"
	"time"

	"billbridge"
)

// exampleValues are the schema examples, built with the domain's own code
// (totals, VAT, finalizing, paying) so they are what the API really returns.
func exampleValues() (map[string]any, error) {
	zurich, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		return nil, err
	}
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	created := at("2026-11-02T09:15:00.000Z")
	cust := billbridge.Customer{
		ID: "cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE", ExternalID: "hubspot-company-4711", CustomerNumber: "K-1001",
		Kind: billbridge.KindCompany, Name: "Dupont GmbH", ContactPerson: "Marie Dupont", Email: "billing@dupont.ch",
		Phone: "+41 44 123 45 67", Address: &billbridge.Address{Street: "Bahnhofstrasse", BuildingNumber: "12a", PostalCode: "8001", City: "Zürich", Country: "CH"},
		VATNumber: "CHE-123.456.789 MWST", Language: "de", PaymentTermsDays: 30, CreatedAt: created, UpdatedAt: created,
	}
	inv := billbridge.Invoice{
		ID: "inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD", CustomerID: cust.ID, ExternalID: "deal-2026-0042", Status: billbridge.StatusDraft,
		Currency: "CHF", DueInDays: 30, Reference: "Order 4711", CreatedAt: created, UpdatedAt: created,
		Items: []billbridge.LineItem{{Description: "Consulting, November", Quantity: 1500, UnitPrice: 12000, VATRate: 810}},
	}
	if err := inv.ComputeTotals(); err != nil {
		return nil, err
	}
	draft := inv
	if err := inv.Finalize(billbridge.InvoiceNumber(1), at("2026-11-02T09:20:00.000Z"), zurich); err != nil {
		return nil, err
	}
	open := inv
	paidAt := at("2026-11-28T10:00:00.000Z")
	if _, err := inv.ApplyPayment(inv.AmountDue, paidAt); err != nil {
		return nil, err
	}
	pay := billbridge.Payment{
		ID: "pay_01JDZ8S8D1F4G7H0J3K6L9Z2XC", InvoiceID: inv.ID, CustomerID: cust.ID, ExternalID: "camt-2026-11-28-0001",
		Amount: open.AmountDue, Currency: "CHF", PaidAt: billbridge.Today(paidAt, zurich), Method: "bank_transfer",
		Reference: "RF18539007547034", CreatedAt: paidAt,
	}
	hook := billbridge.Hook{
		ID: "hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS", TargetURL: "https://hooks.zapier.com/hooks/standard/123/abc",
		Events: []string{billbridge.InvoicePaid}, Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", CreatedAt: created,
	}
	acct := billbridge.Account{ID: "acct_01JDZ8K2V5T8X1Y4Q7R0V3N6KE", Name: "Acme GmbH", Timezone: "Europe/Zurich", CreatedAt: created}

	reminded := open
	reminded.AccountID = acct.ID
	remindAt := at("2026-12-14T09:00:00.000Z")
	sent, err := billbridge.ComputeReminder(&reminded, billbridge.DefaultDunningSettings(acct.ID),
		billbridge.ReminderRequest{Channel: billbridge.ChannelEmail, SentAt: remindAt}, remindAt, zurich)
	if err != nil {
		return nil, err
	}
	sent.ID, sent.CustomerExternalID = "rem_01JDZ9A1B2C3D4E5F6G7H8J9K0", cust.ExternalID
	reminded.ApplyReminder(sent)
	due, ok := billbridge.DueReminder(&reminded, billbridge.DefaultDunningSettings(acct.ID), false, at("2026-12-29T09:00:00.000Z"), zurich)
	if !ok {
		return nil, fmt.Errorf("example: no reminder due")
	}
	due.CustomerExternalID = cust.ExternalID

	data := map[string]any{
		billbridge.ReminderSentEvent: sent, billbridge.InvoiceReminderDue: due,
		billbridge.CustomerCreated: cust, billbridge.CustomerUpdated: cust, billbridge.InvoiceCreated: draft,
		billbridge.CustomerMerged:   billbridge.Merge{PrimaryID: cust.ID, MergedID: "cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KF", Moved: billbridge.Moved{Invoices: 3, Payments: 2}, MergedAt: paidAt},
		billbridge.InvoiceFinalized: open, billbridge.InvoicePaid: inv, billbridge.InvoiceOverdue: overdue(open),
		billbridge.InvoiceCancelled: cancelled(draft), billbridge.PaymentReceived: pay,
		billbridge.CustomerPaymentRatingChanged: billbridge.PaymentRatingChange{CustomerID: cust.ID, ExternalID: cust.ExternalID,
			From: billbridge.RatingGood, To: billbridge.RatingWatch, Warnings: []string{"1 unpaid invoice, CHF 1 940.76 overdue, oldest 12 days"}},
	}
	pausedCust, pausedInv := cust, overdue(open)
	pausedCust.DunningPaused, pausedInv.DunningPaused = true, true
	data[billbridge.CustomerDunningPaused], data[billbridge.CustomerDunningResumed] = pausedCust, cust
	data[billbridge.InvoiceDunningPaused], data[billbridge.InvoiceDunningResumed] = pausedInv, overdue(open)
	alert := billbridge.Alert{Kind: billbridge.AlertHookFailing, Subject: hook.ID, Detail: "Deliveries to " + hook.TargetURL + " failed 5 times in a row.",
		Firing: true, FiredAt: paidAt, Occurrences: 1}
	resolved := alert
	resolvedAt := paidAt.Add(time.Hour)
	resolved.Firing, resolved.ResolvedAt = false, &resolvedAt
	data[billbridge.AlertFired], data[billbridge.AlertResolved] = alert, resolved
	out := map[string]any{
		"Customer": toJSON(cust), "Invoice": toJSON(open), "Payment": toJSON(pay), "Hook": toJSON(hook), "Account": toJSON(acct),
	}
	for i, typ := range billbridge.EventTypes {
		b, err := json.Marshal(data[typ])
		if err != nil {
			return nil, err
		}
		ev := billbridge.Event{ID: fmt.Sprintf("evt_01JDZ8W2E5R8T1Y4U7I0O3P6A%d", i), Type: typ, Seq: int64(i + 1), OccurredAt: paidAt, Data: b}
		out[eventSchemaName(typ)] = toJSON(ev)
	}
	return out, nil
}

func overdue(inv billbridge.Invoice) billbridge.Invoice {
	inv.Status = billbridge.StatusOverdue
	return inv
}

func cancelled(inv billbridge.Invoice) billbridge.Invoice {
	_ = inv.Cancel(inv.CreatedAt)
	return inv
}

// examples sets the example of the schemas above.
func examples(doc map[string]any) error {
	ex, err := exampleValues()
	if err != nil {
		return err
	}
	all := schemas(doc)
	for name, v := range ex {
		s, ok := all[name].(map[string]any)
		if !ok {
			return fmt.Errorf("example for unknown schema %s", name)
		}
		s["example"] = v
	}
	return nil
}
