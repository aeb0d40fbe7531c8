package actions

import (
	"context"
	"net/http"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// DunningSettingsInput is the body of PUT /v1/settings/dunning; a field left
// out keeps its current value.
type DunningSettingsInput struct {
	// false: no reminder is ever due (reminders may still be recorded).
	Enabled *bool `json:"enabled" example:"true"`
	// The whole ladder, level 1 first, numbered 1, 2, 3… (1–9 levels).
	Levels []billbridge.DunningLevel `json:"levels"`
	// Default interest in percent a year, 0–30 with two fraction digits (OR 104: 5); 0 charges none.
	InterestRate *billbridge.VATRate `json:"interest_rate" swaggertype:"number" example:"5"`
	// The payment period a reminder grants (its pay_by), 1–90 days.
	PayWithinDays *int `json:"pay_within_days" example:"10"`
}

// GetDunningSettings returns the account's dunning settings.
//
//	@Summary		Get the dunning settings
//	@Description	The account's reminder ladder, interest rate and payment period. Without settings of its own an account has the Swiss default: Zahlungserinnerung 10 days after the due date without a fee, then 1. Mahnung, 2. Mahnung and letzte Mahnung, each 15 days after the level before, no fees, 5 % interest a year (OR 104), pay within 10 days. Days are calendar days in the account's time zone.
//	@Tags			Reminders
//	@ID				getDunningSettings
//	@Produce		json
//	@Success		200	{object}	billbridge.DunningSettings	"The settings."
//	@Router			/v1/settings/dunning [get]
func (h *Handler) GetDunningSettings(c *gin.Context) error {
	tz := web.Account(c).Timezone
	return getSettings(c, func(ctx context.Context, accountID string) (*billbridge.DunningSettings, error) {
		s, err := h.Store.FindDunningSettings(ctx, accountID)
		if err == nil {
			s.Timezone = tz
		}
		return s, err
	})
}

// PutDunningSettings changes the account's dunning settings.
//
//	@Summary		Set the dunning settings
//	@Description	Changes the ladder, the interest rate, the payment period or whether reminders fall due; fields left out keep their value. Level 1 falls due after_days after the invoice's due date, every later level after_days after the level before was sent. A level's fee (before VAT, in the invoice's currency) is owed on top of the invoice with VAT at the invoice's rate; interest is simple (never on interest, OR 105), actual/365, without VAT. Reminders already sent keep their figures.
//	@Tags			Reminders
//	@ID				putDunningSettings
//	@Accept			json
//	@Produce		json
//	@Param			body	body	actions.DunningSettingsInput	true	"The settings to change."
//	@Success		200	{object}	billbridge.DunningSettings	"The settings as stored."
//	@Failure		422	{object}	routes.Problem	"A field failed validation, named in invalid_params, e.g. levels[1].after_days (code validation_failed)."
//	@Router			/v1/settings/dunning [put]
func (h *Handler) PutDunningSettings(c *gin.Context) error {
	var in DunningSettingsInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		s, err := tx.FindDunningSettings(ctx, acct.ID)
		if err != nil {
			return 0, nil, err
		}
		if err := in.Apply(s); err != nil {
			return 0, nil, err
		}
		now := h.Clock.Now()
		s.UpdatedAt, s.Timezone = &now, acct.Timezone
		if err := tx.SaveDunningSettings(ctx, s); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, s, nil
	})
}

// Apply changes s by the input, a field left out keeping its value, and
// validates the result (EINVALID naming the field, s then not to be
// saved). PUT /v1/settings/dunning and the console change the settings
// through it.
func (in *DunningSettingsInput) Apply(s *billbridge.DunningSettings) error {
	if in.Enabled != nil {
		s.Enabled = *in.Enabled
	}
	if in.Levels != nil {
		s.Levels = in.Levels
	}
	if in.InterestRate != nil {
		s.InterestRate = *in.InterestRate
	}
	if in.PayWithinDays != nil {
		s.PayWithinDays = *in.PayWithinDays
	}
	return s.Validate()
}

// ReminderInput is the body of send reminder.
type ReminderInput struct {
	// The level to send; default the invoice's next. A level already sent is 409.
	Level int `json:"level" binding:"omitempty,min=1,max=9" example:"2"`
	// How the reminder went out.
	Channel string `json:"channel" binding:"required,oneof=email post manual" enums:"email,post,manual" example:"email"`
	// When it went out; default now. Never in the future nor before the last reminder.
	SentAt *time.Time `json:"sent_at" format:"date-time" example:"2026-12-02T09:00:00Z"`
	// A note for the CRM, up to 500 characters.
	Note string `json:"note" binding:"max=500" example:"Sent by Anna"`
}

// SendReminder records a reminder of an overdue invoice.
//
//	@Summary		Send a reminder
//	@Description	Records a reminder (Zahlungserinnerung, Mahnung) of an overdue invoice at the next level of the ladder, or at level. Its fee (with VAT at the invoice's rate) and the default interest since the due date or the last reminder grow the invoice's amount_due; the invoice's lines and totals never change. Payments cover fees and interest first, then the invoice. Paid and cancelled invoices, invoices not overdue and those with dunning_paused (on the invoice or its customer) are 409. The invoice is re-read under its lock, so a payment racing the reminder is counted first. Emits reminder.sent. With an Idempotency-Key a retry answers the first reminder; without one a second request for the same level is 409, never a second reminder.
//	@Tags			Reminders
//	@ID				sendReminder
//	@Accept			json
//	@Produce		json
//	@Param		id	path	string	true	"The invoice id."	example(inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD)
//	@Param		body	body	actions.ReminderInput	true	"The reminder."
//	@Success		201	{object}	billbridge.Reminder	"The reminder was recorded."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		409	{object}	routes.Problem	"The invoice is paid, cancelled, a draft, not overdue or paused, or the level was already sent (code conflict)."
//	@Failure		422	{object}	routes.Problem	"A field failed validation, named in invalid_params: level outside the ladder, channel, sent_at in the future (code validation_failed)."
//	@Router			/v1/invoices/{id}/reminders [post]
func (h *Handler) SendReminder(c *gin.Context) error {
	var in ReminderInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		inv, err := tx.LockInvoice(ctx, acct.ID, c.Param("id"))
		if err != nil {
			return 0, nil, err
		}
		s, err := tx.FindDunningSettings(ctx, acct.ID)
		if err != nil {
			return 0, nil, err
		}
		cust, err := tx.FindCustomer(ctx, acct.ID, inv.CustomerID)
		if err != nil {
			return 0, nil, err
		}
		paused, err := tx.CustomerDunningPaused(ctx, acct.ID, cust.ID)
		if err != nil {
			return 0, nil, err
		}
		req := billbridge.ReminderRequest{Level: in.Level, Channel: in.Channel, Note: in.Note, CustomerPaused: paused}
		if in.SentAt != nil {
			req.SentAt = *in.SentAt
		}
		now := h.Clock.Now()
		r, err := billbridge.ComputeReminder(inv, s, req, now, acct.Location())
		if err != nil {
			return 0, nil, err
		}
		r.AccountID, r.CustomerExternalID = acct.ID, cust.ExternalID
		inv.ApplyReminder(r)
		if err := tx.InsertReminder(ctx, r); err != nil {
			return 0, nil, err
		}
		if err := tx.UpdateInvoice(ctx, inv); err != nil {
			return 0, nil, err
		}
		if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.ReminderSentEvent, r); err != nil {
			return 0, nil, err
		}
		if err := billbridge.RefreshPaymentRating(ctx, tx, acct, inv.CustomerID, now); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, r, nil
	})
}

// ListInvoiceReminders lists the reminders sent for one invoice.
//
//	@Summary		List an invoice's reminders
//	@Description	The reminders sent for one invoice, newest first.
//	@Tags			Reminders
//	@ID				listInvoiceReminders
//	@Produce		json
//	@Param		id	path	string	true	"The invoice id."	example(inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD)
//	@Param		query	query	actions.PageQuery	false	"Paging."
//	@Success		200	{object}	web.List[billbridge.Reminder]	"A page of reminders."
//	@Failure		400	{object}	routes.Problem	"starting_after names no reminder of this account (code cursor_invalid)."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/invoices/{id}/reminders [get]
func (h *Handler) ListInvoiceReminders(c *gin.Context) error {
	var q PageQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	if _, err := h.Store.FindInvoice(ctx, acct.ID, c.Param("id")); err != nil {
		return err
	}
	page, err := h.Store.FindReminders(ctx, acct.ID, billbridge.ReminderFilter{InvoiceID: c.Param("id"), PageParams: q.page()})
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, web.NewList(page, func(r billbridge.Reminder) string { return r.ID }))
}

// ReminderQuery filters the reminder list.
type ReminderQuery struct {
	// sent (default): reminders sent, newest first. due: the reminders the ladder says should go out now, one per invoice (newest invoice first), with the figures they would have if sent now; paged by invoice id.
	Status     string `form:"status" json:"status" binding:"omitempty,oneof=sent due" enums:"sent,due" example:"due"`
	CustomerID string `form:"customer_id" json:"customer_id" binding:"max=64" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"`
	PageQuery
}

// ListReminders lists sent or due reminders.
//
//	@Summary		List reminders
//	@Description	status=sent (default): the reminders sent, newest first. status=due: for every unpaid invoice whose next level the ladder says should go out today (level 1 after_days after the due date, later levels after_days after the level before; not paused on the invoice or customer; dunning enabled), that reminder with the figures it would have if sent now; its id is <invoice id>.<level> and next_cursor an invoice id. Filter by customer_id.
//	@Tags			Reminders
//	@ID				listReminders
//	@Produce		json
//	@Param		query	query	actions.ReminderQuery	false	"Filters and paging."
//	@Success		200	{object}	web.List[billbridge.Reminder]	"A page of reminders."
//	@Failure		400	{object}	routes.Problem	"starting_after names no reminder (sent) or invoice (due) of this account (code cursor_invalid)."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/reminders [get]
func (h *Handler) ListReminders(c *gin.Context) error {
	var q ReminderQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	if q.Status != billbridge.ReminderDue {
		page, err := h.Store.FindReminders(ctx, acct.ID, billbridge.ReminderFilter{CustomerID: q.CustomerID, PageParams: q.page()})
		if err != nil {
			return err
		}
		return web.JSON(c, http.StatusOK, web.NewList(page, func(r billbridge.Reminder) string { return r.ID }))
	}
	s, err := h.Store.FindDunningSettings(ctx, acct.ID)
	if err != nil {
		return err
	}
	now := h.Clock.Now()
	invs, err := h.Store.FindDueInvoices(ctx, acct.ID, billbridge.DueFilter{
		CustomerID: q.CustomerID, Today: billbridge.Today(now, acct.Location()), Settings: s, PageParams: q.page()})
	if err != nil {
		return err
	}
	page := billbridge.Page[billbridge.Reminder]{Data: make([]billbridge.Reminder, 0, len(invs.Data)), HasMore: invs.HasMore}
	externalIDs := map[string]string{}
	for i := range invs.Data {
		inv := &invs.Data[i]
		r, ok := billbridge.DueReminder(inv, s, false, now, acct.Location())
		if !ok {
			continue
		}
		ext, seen := externalIDs[inv.CustomerID]
		if !seen {
			cust, err := h.Store.FindCustomer(ctx, acct.ID, inv.CustomerID)
			if err != nil {
				return err
			}
			ext, externalIDs[inv.CustomerID] = cust.ExternalID, cust.ExternalID
		}
		r.AccountID, r.CustomerExternalID = acct.ID, ext
		page.Data = append(page.Data, *r)
	}
	return web.JSON(c, http.StatusOK, web.NewList(page, func(r billbridge.Reminder) string { return r.InvoiceID }))
}

// DunningPauseInput is the body of the Mahnsperre endpoints.
type DunningPauseInput struct {
	// true stops the ladder (no reminder is due or may be sent) until set back to false, e.g. during a dispute.
	Paused *bool `json:"paused" binding:"required" example:"true"`
}

// DunningPause is a customer's Mahnsperre.
type DunningPause struct {
	CustomerID    string `json:"customer_id" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"`
	DunningPaused bool   `json:"dunning_paused" example:"true"`
}

// PutInvoiceDunning pauses or resumes the dunning of one invoice.
//
//	@Summary		Pause or resume an invoice's dunning
//	@Description	Sets dunning_paused (Mahnsperre) on the invoice: while paused no reminder of it is due (GET /v1/reminders?status=due, invoice.reminder_due) and sending one is 409. Resuming continues the ladder where it stood. A change emits invoice.dunning_paused or invoice.dunning_resumed with the invoice; setting the value it already has changes nothing and emits nothing.
//	@Tags			Reminders
//	@ID				putInvoiceDunning
//	@Accept			json
//	@Produce		json
//	@Param		id	path	string	true	"The invoice id."	example(inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD)
//	@Param		body	body	actions.DunningPauseInput	true	"Paused or not."
//	@Success		200	{object}	billbridge.Invoice	"The invoice."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		422	{object}	routes.Problem	"paused is missing or not a boolean (code validation_failed)."
//	@Router			/v1/invoices/{id}/dunning [put]
func (h *Handler) PutInvoiceDunning(c *gin.Context) error {
	var in DunningPauseInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		inv, err := tx.LockInvoice(ctx, acct.ID, c.Param("id"))
		if err != nil {
			return 0, nil, err
		}
		if inv.DunningPaused != *in.Paused {
			inv.DunningPaused, inv.UpdatedAt = *in.Paused, h.Clock.Now()
			if err := tx.UpdateInvoice(ctx, inv); err != nil {
				return 0, nil, err
			}
			if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.DunningPauseEvent(false, inv.DunningPaused), h.view(inv, acct)); err != nil {
				return 0, nil, err
			}
		}
		return http.StatusOK, h.view(inv, acct), nil
	})
}

// PutCustomerDunning pauses or resumes the dunning of all of a customer's invoices.
//
//	@Summary		Pause or resume a customer's dunning
//	@Description	Sets dunning_paused (Mahnsperre) on the customer (shown on the customer as dunning_paused): while paused no reminder of any of its invoices is due and sending one is 409. A change updates the customer's updated_at and emits customer.dunning_paused or customer.dunning_resumed with the customer; setting the value it already has changes nothing and emits nothing. GET answers the current setting.
//	@Tags			Reminders
//	@ID				putCustomerDunning
//	@Accept			json
//	@Produce		json
//	@Param		id	path	string	true	"The customer id."	example(cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE)
//	@Param		body	body	actions.DunningPauseInput	true	"Paused or not."
//	@Success		200	{object}	actions.DunningPause	"The customer's Mahnsperre."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		422	{object}	routes.Problem	"paused is missing or not a boolean (code validation_failed)."
//	@Router			/v1/customers/{id}/dunning [put]
func (h *Handler) PutCustomerDunning(c *gin.Context) error {
	var in DunningPauseInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		cust, err := tx.LockCustomer(ctx, acct.ID, c.Param("id"))
		if err != nil {
			return 0, nil, err
		}
		if cust.DunningPaused != *in.Paused {
			cust.DunningPaused, cust.UpdatedAt = *in.Paused, h.Clock.Now()
			if err := tx.SetCustomerDunningPaused(ctx, cust); err != nil {
				return 0, nil, err
			}
			if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.DunningPauseEvent(true, cust.DunningPaused), cust); err != nil {
				return 0, nil, err
			}
		}
		return http.StatusOK, DunningPause{CustomerID: cust.ID, DunningPaused: cust.DunningPaused}, nil
	})
}

// GetCustomerDunning answers a customer's Mahnsperre.
//
//	@Summary		Get a customer's dunning pause
//	@Description	Whether the customer's dunning is paused (Mahnsperre).
//	@Tags			Reminders
//	@ID				getCustomerDunning
//	@Produce		json
//	@Param		id	path	string	true	"The customer id."	example(cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE)
//	@Success		200	{object}	actions.DunningPause	"The customer's Mahnsperre."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Router			/v1/customers/{id}/dunning [get]
func (h *Handler) GetCustomerDunning(c *gin.Context) error {
	ctx, acct := c.Request.Context(), web.Account(c)
	cust, err := h.Store.FindCustomer(ctx, acct.ID, c.Param("id"))
	if err != nil {
		return err
	}
	paused, err := h.Store.CustomerDunningPaused(ctx, acct.ID, cust.ID)
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, DunningPause{CustomerID: cust.ID, DunningPaused: paused})
}
