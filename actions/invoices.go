package actions

import (
	"context"
	"net/http"
	"strconv"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// CreateInvoice creates a draft invoice (or an open one with finalize). An
// external_id that exists returns that invoice with 200 and creates nothing.
//
//	@Summary		Create an invoice
//	@Description	Creates a draft invoice for a customer, or an open one with finalize. VAT is computed per rate and rounded half-up to the cent. issue_date dates the invoice back (migrations): the due date follows from it, so a back-dated invoice may be overdue at once; a future issue_date is 422. An external_id that already exists returns that invoice with 200 and creates nothing.
//	@Tags			Invoices
//	@ID				createInvoice
//	@Accept			json
//	@Produce		json
//	@Param		body	body	actions.InvoiceInput	true	"The invoice."
//	@Success		200	{object}	billbridge.Invoice	"An invoice with this external_id already existed; nothing was created."
//	@Success		201	{object}	billbridge.Invoice	"The new invoice."
//	@Failure		422	{object}	routes.Problem	"Fields failed validation, e.g. customer_id names no customer or an amount is out of range (code validation_failed)."
//	@Router			/v1/invoices [post]
func (h *Handler) CreateInvoice(c *gin.Context) error {
	var in InvoiceInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		// Locked: a concurrent merge of the customer either waits for this
		// invoice (and moves it) or commits first (and this finds the survivor).
		cust, err := tx.LockCustomer(ctx, acct.ID, in.CustomerID)
		if billbridge.ErrorCode(err) == billbridge.ENOTFOUND {
			return 0, nil, billbridge.Invalid("customer_id", "no such customer")
		} else if err != nil {
			return 0, nil, err
		}
		inv, created, err := h.createInvoice(ctx, tx, acct, cust, &in)
		if err != nil {
			return 0, nil, err
		}
		return createdStatus(created), h.view(inv, acct), nil
	})
}

// createInvoice creates the invoice of in for cust inside tx, or returns the
// invoice that already has in.ExternalID (created false).
func (h *Handler) createInvoice(ctx context.Context, tx billbridge.Tx, acct *billbridge.Account, cust *billbridge.Customer, in *InvoiceInput) (*billbridge.Invoice, bool, error) {
	if in.ExternalID != "" {
		inv, err := tx.FindInvoiceByExternalID(ctx, acct.ID, in.ExternalID)
		if err == nil {
			return inv, false, nil
		}
		if billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
			return nil, false, err
		}
	}
	now := h.Clock.Now()
	inv := &billbridge.Invoice{
		ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: acct.ID, CustomerID: cust.ID,
		ExternalID: in.ExternalID, Status: billbridge.StatusDraft, Currency: in.Currency, Items: in.items(),
		DueInDays: cust.PaymentTermsDays, Reference: in.Reference, Notes: in.Notes, CreatedAt: now, UpdatedAt: now,
	}
	if in.DueInDays != nil {
		inv.DueInDays = *in.DueInDays
	}
	if in.IssueDate != nil {
		if err := billbridge.CheckIssueDate(*in.IssueDate, now, acct.Location()); err != nil {
			return nil, false, err
		}
		inv.IssueDate = in.IssueDate
	}
	if err := inv.ComputeTotals(); err != nil {
		return nil, false, err
	}
	if err := tx.InsertInvoice(ctx, inv); err != nil {
		return nil, false, err
	}
	if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.InvoiceCreated, h.view(inv, acct)); err != nil {
		return nil, false, err
	}
	if in.Finalize {
		if err := h.finalize(ctx, tx, acct, inv); err != nil {
			return nil, false, err
		}
	}
	return inv, true, nil
}

// GetInvoice returns one invoice with its derived status.
//
//	@Summary		Get an invoice
//	@Description	One invoice of the account, with its status derived at read time (overdue when open or partially paid past its due date in the account's time zone).
//	@Tags			Invoices
//	@ID				getInvoice
//	@Produce		json
//	@Param		id	path	string	true	"The invoice id."	example(inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD)
//	@Success		200	{object}	billbridge.Invoice	"The invoice."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Router			/v1/invoices/{id} [get]
func (h *Handler) GetInvoice(c *gin.Context) error {
	acct := web.Account(c)
	inv, err := h.Store.FindInvoice(c.Request.Context(), acct.ID, c.Param("id"))
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, h.view(inv, acct))
}

// InvoiceQuery is the query of the invoice list.
type InvoiceQuery struct {
	// "unpaid" is open, partially paid and overdue together; "overdue" is derived from the due date in the account's time zone.
	Status     string `form:"status" json:"status" binding:"omitempty,oneof=draft open partially_paid paid overdue cancelled unpaid" enums:"draft,open,partially_paid,paid,overdue,cancelled,unpaid"`
	CustomerID string `form:"customer_id" json:"customer_id" binding:"max=64"`
	ExternalID string `form:"external_id" json:"external_id" binding:"max=255"`
	// The invoice number, e.g. INV-000042.
	Number string `form:"number" json:"number" binding:"max=32" example:"INV-000042"`
	// The payment reference printed on the QR-bill (QR reference or RF…), spaces and case ignored.
	PaymentReference string `form:"payment_reference" json:"payment_reference" binding:"max=40" example:"RF29INV000042"`
	PageQuery
}

// ListInvoices lists invoices, newest first.
//
//	@Summary		List invoices
//	@Description	Invoices of the account, newest first, filtered by status (unpaid = open, partially paid and overdue), customer (a merged customer's id lists its survivor's invoices) or external_id. No match is 200 with empty data. Every page carries an ETag: a poll sending it as If-None-Match gets 304 while nothing in the account changed, and the new page as soon as a write has committed.
//	@Tags			Invoices
//	@ID				listInvoices
//	@Produce		json
//	@Param		query	query	actions.InvoiceQuery	false	"Filters and paging."
//	@Param			If-None-Match	header	string	false	"The ETag of a page read before: while the account has not changed, the answer is 304 with no body."
//	@Success		200	{object}	web.List[billbridge.Invoice]	"A page of invoices."
//	@Success		304	"Nothing changed since the page whose ETag was sent in If-None-Match."
//	@Header			200,304	{string}	ETag	"Validator of this page, the same on every instance: send it as If-None-Match on the next poll."
//	@Header			200,304	{string}	Cache-Control	"private, no-cache: a cache must revalidate with If-None-Match before reusing the page."
//	@Failure		400	{object}	routes.Problem	"starting_after names no invoice of this account, e.g. an id made up or of another account (code cursor_invalid)."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/invoices [get]
func (h *Handler) ListInvoices(c *gin.Context) error {
	ctx, acct, now := c.Request.Context(), web.Account(c), h.Clock.Now()
	today := billbridge.Today(now, acct.Location())
	// The version first, then the page: the page is never older than the
	// version it is stored under. Every change of an invoice appends an
	// event; the derived status (overdue) changes with the date.
	seq, err := h.Store.LatestEventSeq(ctx, acct.ID)
	if err != nil {
		return err
	}
	version := strconv.FormatInt(seq, 10) + " " + today.String() + " " + acct.Timezone
	// Most polls find the page of this very query already rendered at this
	// version: it is the answer, without binding the query again.
	if done, err := h.Polls.Cached(c, acct.ID, version); done {
		return err
	}
	var q InvoiceQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	return h.Polls.Serve(c, acct.ID, version, func() (any, error) {
		customerID, err := survivorID(ctx, h.Store, acct.ID, q.CustomerID)
		if err != nil {
			return nil, err
		}
		page, err := h.Store.FindInvoices(ctx, acct.ID, billbridge.InvoiceFilter{
			Status: q.Status, CustomerID: customerID, ExternalID: q.ExternalID, Number: q.Number, PaymentReference: q.PaymentReference,
			Today: today, PageParams: q.page(),
		})
		if err != nil {
			return nil, err
		}
		for i := range page.Data {
			page.Data[i] = page.Data[i].WithDerivedStatus(now, acct.Location())
		}
		return web.NewList(page, func(inv billbridge.Invoice) string { return inv.ID }), nil
	})
}

// FinalizeInvoice turns a draft into an open invoice with the account's
// next number (gapless), issued today or on the date the body or the draft
// carries, and due after its terms.
//
//	@Summary		Finalize an invoice
//	@Description	Turns a draft into an open invoice: the account's next number (gapless, INV-000001), issue date today (or issue_date from the body, else from the draft: a past date dates the invoice back, a future one is 422) and due date after due_in_days. Only a draft with a total above zero can be finalized (409 otherwise). The body is optional.
//	@Tags			Invoices
//	@ID				finalizeInvoice
//	@Accept			json
//	@Produce		json
//	@Param		id	path	string	true	"The invoice id."	example(inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD)
//	@Param		body	body	actions.FinalizeInput	false	"Optional: the issue date."
//	@Success		200	{object}	billbridge.Invoice	"The open invoice."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		409	{object}	routes.Problem	"The invoice is not a draft, or its total is zero (code conflict)."
//	@Failure		422	{object}	routes.Problem	"issue_date is in the future, before 2000-01-01 or not a date (code validation_failed)."
//	@Router			/v1/invoices/{id}/finalize [post]
func (h *Handler) FinalizeInvoice(c *gin.Context) error {
	var in FinalizeInput
	if err := web.BindOptionalJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		inv, err := tx.LockInvoice(ctx, acct.ID, c.Param("id"))
		if err != nil {
			return 0, nil, err
		}
		if in.IssueDate != nil && inv.Status == billbridge.StatusDraft {
			inv.IssueDate = in.IssueDate
		}
		if err := h.finalize(ctx, tx, acct, inv); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, h.view(inv, acct), nil
	})
}

func (h *Handler) finalize(ctx context.Context, tx billbridge.Tx, acct *billbridge.Account, inv *billbridge.Invoice) error {
	return h.finalizeAs(ctx, tx, acct, inv, "")
}

// finalizeAs finalizes inv under number, or when number is "" under the
// account's next one. An invoice imported with its original number takes
// a sequence number only when its QR reference is built from one.
func (h *Handler) finalizeAs(ctx context.Context, tx billbridge.Tx, acct *billbridge.Account, inv *billbridge.Invoice, number string) error {
	if inv.Status != billbridge.StatusDraft {
		return inv.Finalize("", h.Clock.Now(), acct.Location()) // the domain's conflict error
	}
	qr, err := qrBillSettings(ctx, tx, acct.ID)
	if err != nil {
		return err
	}
	var n int64
	if number == "" || qr.UsesSequence(inv.Currency) {
		if n, err = tx.NextInvoiceNumber(ctx, acct.ID); err != nil {
			return err
		}
	}
	if number == "" {
		number = billbridge.InvoiceNumber(n)
	}
	if err := inv.Finalize(number, h.Clock.Now(), acct.Location()); err != nil {
		return err
	}
	if err := inv.AssignPaymentReference(qr, n); err != nil {
		return err
	}
	if err := tx.UpdateInvoice(ctx, inv); err != nil {
		return err
	}
	_, err = tx.AppendEvent(ctx, acct.ID, billbridge.InvoiceFinalized, h.view(inv, acct))
	return err
}

// CancelInvoice cancels an invoice without payments; 409 otherwise.
//
//	@Summary		Cancel an invoice
//	@Description	Cancels a draft or unpaid invoice. An invoice with payments, or one already paid or cancelled, is 409.
//	@Tags			Invoices
//	@ID				cancelInvoice
//	@Produce		json
//	@Param		id	path	string	true	"The invoice id."	example(inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD)
//	@Success		200	{object}	billbridge.Invoice	"The cancelled invoice."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		409	{object}	routes.Problem	"The invoice has payments or is already paid or cancelled (code conflict)."
//	@Router			/v1/invoices/{id}/cancel [post]
func (h *Handler) CancelInvoice(c *gin.Context) error {
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		inv, err := tx.LockInvoice(ctx, acct.ID, c.Param("id"))
		if err != nil {
			return 0, nil, err
		}
		if err := inv.Cancel(h.Clock.Now()); err != nil {
			return 0, nil, err
		}
		if err := tx.UpdateInvoice(ctx, inv); err != nil {
			return 0, nil, err
		}
		if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.InvoiceCancelled, h.view(inv, acct)); err != nil {
			return 0, nil, err
		}
		if inv.Number != "" { // a cancelled overdue invoice may lift the customer's rating
			if err := billbridge.RefreshPaymentRating(ctx, tx, acct, inv.CustomerID, h.Clock.Now()); err != nil {
				return 0, nil, err
			}
		}
		return http.StatusOK, h.view(inv, acct), nil
	})
}

// view is the invoice as clients see it: with its derived status.
func (h *Handler) view(inv *billbridge.Invoice, acct *billbridge.Account) billbridge.Invoice {
	return inv.WithDerivedStatus(h.Clock.Now(), acct.Location())
}

func createdStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}
