package actions

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// PaymentInput is the body of record payment.
type PaymentInput struct {
	// Greater than 0 and at most the invoice's amount_due.
	Amount billbridge.Money `json:"amount" binding:"required,gt=0,max=99999999999" swaggertype:"number" example:"500.00"`
	// The day the money arrived; default today in the account's time zone.
	PaidAt *billbridge.Date `json:"paid_at" swaggertype:"string" format:"date" example:"2026-11-28"`
	Method string           `json:"method" binding:"omitempty,oneof=bank_transfer cash card direct_debit other" example:"bank_transfer" enums:"bank_transfer,cash,card,direct_debit,other"`
	// The bank's or payment provider's reference.
	Reference string `json:"reference" binding:"max=140" example:"RF18539007547034"`
	// The bank's or provider's id of the payment: recording it again returns the first payment with 200 and never counts twice.
	ExternalID string `json:"external_id" binding:"max=255" example:"camt-2026-11-28-0001"`
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (in *PaymentInput) Normalize() {
	in.Method = strings.TrimSpace(in.Method)
	in.Reference = strings.TrimSpace(in.Reference)
	in.ExternalID = strings.TrimSpace(in.ExternalID)
}

// RecordPayment counts a payment against an open invoice exactly once.
//
//	@Summary		Record a payment
//	@Description	Counts a payment against an open, partially paid or overdue invoice exactly once. The same external_id again returns the first payment with 200 and never counts twice. When the amount settles the invoice it becomes paid and invoice.paid is emitted.
//	@Tags			Payments
//	@ID				recordPayment
//	@Accept			json
//	@Produce		json
//	@Param		id	path	string	true	"The invoice id."	example(inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD)
//	@Param		body	body	actions.PaymentInput	true	"The payment."
//	@Success		200	{object}	billbridge.Payment	"A payment with this external_id was already recorded for this invoice; nothing was counted."
//	@Success		201	{object}	billbridge.Payment	"The payment was recorded."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		409	{object}	routes.Problem	"The invoice is a draft, cancelled or already paid, or the external_id belongs to a payment of another invoice (code conflict)."
//	@Failure		422	{object}	routes.Problem	"Fields failed validation, e.g. the amount exceeds amount_due (code validation_failed)."
//	@Router			/v1/invoices/{id}/payments [post]
func (h *Handler) RecordPayment(c *gin.Context) error {
	var in PaymentInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		// Locking the invoice first serializes every payment of it, so the
		// external_id look-up and the amount check see all earlier payments.
		inv, err := tx.LockInvoice(ctx, acct.ID, c.Param("id"))
		if err != nil {
			return 0, nil, err
		}
		existing, err := paymentByExternalID(ctx, tx, acct.ID, in.ExternalID)
		switch {
		case err != nil:
			return 0, nil, err
		case existing != nil && existing.InvoiceID != inv.ID:
			return 0, nil, billbridge.Taken("A payment with this external_id was recorded for another invoice.", "external_id", existing.ID)
		case existing != nil:
			return http.StatusOK, existing, nil
		}
		now := h.Clock.Now()
		p := &billbridge.Payment{
			ID: billbridge.NewID(billbridge.PrefixPayment), AccountID: acct.ID, InvoiceID: inv.ID, CustomerID: inv.CustomerID,
			ExternalID: in.ExternalID, Amount: in.Amount, Currency: inv.Currency, PaidAt: billbridge.Today(now, acct.Location()),
			Method: in.Method, Reference: in.Reference, CreatedAt: now,
		}
		if in.PaidAt != nil {
			p.PaidAt = *in.PaidAt
		}
		if p.Method == "" {
			p.Method = "bank_transfer"
		}
		if err := h.countPayment(ctx, tx, acct, inv, p, nil); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, p, nil
	})
}

// paymentByExternalID returns the account's payment with externalID, nil
// when there is none (or externalID is "").
func paymentByExternalID(ctx context.Context, tx billbridge.Tx, accountID, externalID string) (*billbridge.Payment, error) {
	if externalID == "" {
		return nil, nil
	}
	p, err := tx.FindPaymentByExternalID(ctx, accountID, externalID)
	if billbridge.ErrorCode(err) == billbridge.ENOTFOUND {
		return nil, nil
	}
	return p, err
}

// countPayment counts p against inv, which tx holds locked: it applies the
// amount (refusals as Invoice.ApplyPayment), stores the payment and the
// invoice, and appends payment.received, invoice.paid when p settles it, and
// customer.payment_rating_changed when it changes the customer's rating.
// Every way a payment is recorded goes through here. A bulk write passes
// later: the customer is noted there and rated once by later.refresh after
// all its payments, instead of once per payment (nil rates now).
func (h *Handler) countPayment(ctx context.Context, tx billbridge.Tx, acct *billbridge.Account, inv *billbridge.Invoice, p *billbridge.Payment, later ratings) error {
	paid, err := inv.ApplyPayment(p.Amount, p.CreatedAt)
	if err != nil {
		return err
	}
	if err := tx.InsertPayment(ctx, p); err != nil {
		return err
	}
	if err := tx.UpdateInvoice(ctx, inv); err != nil {
		return err
	}
	if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.PaymentReceived, p); err != nil {
		return err
	}
	if paid {
		if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.InvoicePaid, h.view(inv, acct)); err != nil {
			return err
		}
	}
	if later != nil {
		later[inv.CustomerID] = true
		return nil
	}
	return billbridge.RefreshPaymentRating(ctx, tx, acct, inv.CustomerID, p.CreatedAt)
}

// ratings are the customers whose payment rating a bulk write (an invoice
// import, a bank file) changed. Rating each once at the end gives the same
// final rating and at most one customer.payment_rating_changed per
// customer, and keeps the write's cost from growing with every payment
// times the customer's invoices (each rating reads them all).
type ratings map[string]bool

// refresh rates every noted customer, in the order of their ids.
func (r ratings) refresh(ctx context.Context, tx billbridge.Tx, acct *billbridge.Account, now time.Time) error {
	return billbridge.RefreshPaymentRatings(ctx, tx, acct, slices.Collect(maps.Keys(r)), now)
}

// ListPayments lists the payments of one invoice, newest first.
//
//	@Summary		List an invoice's payments
//	@Description	The payments of one invoice, newest first.
//	@Tags			Payments
//	@ID				listPayments
//	@Produce		json
//	@Param		id	path	string	true	"The invoice id."	example(inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD)
//	@Param		query	query	actions.PageQuery	false	"Paging."
//	@Success		200	{object}	web.List[billbridge.Payment]	"A page of payments."
//	@Failure		400	{object}	routes.Problem	"starting_after names no payment of this account, e.g. an id made up or of another account (code cursor_invalid)."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/invoices/{id}/payments [get]
func (h *Handler) ListPayments(c *gin.Context) error {
	var q PageQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	if _, err := h.Store.FindInvoice(ctx, acct.ID, c.Param("id")); err != nil {
		return err
	}
	page, err := h.Store.FindPayments(ctx, acct.ID, c.Param("id"), q.page())
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, web.NewList(page, func(p billbridge.Payment) string { return p.ID }))
}
