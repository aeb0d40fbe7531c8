package actions

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// DealWonInput is the body of deal won: the CRM's deal, its customer and
// what to bill.
type DealWonInput struct {
	// The CRM's deal id: becomes the invoice's external_id, so a repeat finds the same invoice,
	// and its reference, so at most 140 characters like every invoice reference.
	DealID   string        `json:"deal_id" binding:"required,max=140" example:"pipedrive-deal-815"`
	Customer CustomerInput `json:"customer" binding:"required"`
	LinesInput
	// Finalize the invoice at once (number, issue and due date).
	Finalize  bool `json:"finalize" example:"true"`
	DueInDays *int `json:"due_in_days" binding:"omitempty,min=0,max=365" example:"30"`
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (in *DealWonInput) Normalize() {
	in.DealID = strings.TrimSpace(in.DealID)
	in.Customer.Normalize()
	in.LinesInput.Normalize()
}

// DealWonResult is the customer and invoice of a won deal.
type DealWonResult struct {
	Customer billbridge.Customer `json:"customer"`
	Invoice  billbridge.Invoice  `json:"invoice"`
	// True when this request created the invoice; false on a repeat.
	Created bool `json:"created"`
	// The customer's payment health after the deal: only with include=payment_health.
	PaymentHealth *billbridge.PaymentHealth `json:"payment_health,omitempty"`
}

// DealWon upserts the customer and creates the invoice with external_id =
// deal_id in one transaction (201). A repeat, with or without an
// Idempotency-Key, returns the same customer and invoice (200).
//
//	@Summary		Bill a won deal
//	@Description	Upserts the customer (as the customer upsert does) and creates its invoice with external_id = deal_id, in one transaction (201). A repeat with the same deal_id, with or without an Idempotency-Key, returns the same customer and invoice (200).
//	@Tags			Deals
//	@ID				dealWon
//	@Accept			json
//	@Produce		json
//	@Param		body	body	actions.DealWonInput	true	"The deal, its customer and what to bill."
//	@Param		query	query	actions.IncludeQuery	false	"include=payment_health adds the customer's payment health, so a rep sees at once whether the customer pays late."
//	@Success		200	{object}	actions.DealWonResult	"The deal was billed before: the same customer and invoice."
//	@Success		201	{object}	actions.DealWonResult	"The customer was upserted and the invoice created."
//	@Failure		409	{object}	routes.Problem	"A conflict with the resource's state or another resource (code conflict), or the customer matched by customer_number or email holds another external_id (code external_id_conflict)."
//	@Failure		422	{object}	routes.Problem	"Fields failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/deals/won [post]
func (h *Handler) DealWon(c *gin.Context) error {
	var q IncludeQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	var in DealWonInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		if inv, err := tx.FindInvoiceByExternalID(ctx, acct.ID, in.DealID); err == nil {
			cust, err := tx.FindCustomer(ctx, acct.ID, inv.CustomerID)
			if err != nil {
				return 0, nil, err
			}
			res := DealWonResult{Customer: *cust, Invoice: h.view(inv, acct)}
			err = h.addHealth(ctx, tx, acct, q, &res)
			return http.StatusOK, res, err
		} else if billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
			return 0, nil, err
		}
		up, err := h.upsert(ctx, tx, acct.ID, &in.Customer)
		if err != nil {
			return 0, nil, err
		}
		// Locked as on invoice create: a merge racing this deal moves the
		// invoice or has already made up.ID answer its survivor.
		cust, err := tx.LockCustomer(ctx, acct.ID, up.ID)
		if err != nil {
			return 0, nil, err
		}
		inv, created, err := h.createInvoice(ctx, tx, acct, cust, &InvoiceInput{
			CustomerID: cust.ID, ExternalID: in.DealID, LinesInput: in.LinesInput, DueInDays: in.DueInDays,
			Reference: in.DealID, Finalize: in.Finalize,
		})
		if err != nil {
			return 0, nil, err
		}
		if !created {
			// Under READ COMMITTED a racing repeat can miss the invoice at the
			// top and see it here, after the first request committed. Run the
			// whole transaction again so the repeat answers from the top and
			// leaves nothing behind (not even a customer upserted meanwhile).
			return 0, nil, fmt.Errorf("deal %s committed concurrently: %w", in.DealID, billbridge.ErrRetry)
		}
		res := DealWonResult{Customer: up.Customer, Invoice: h.view(inv, acct), Created: true}
		err = h.addHealth(ctx, tx, acct, q, &res)
		return http.StatusCreated, res, err
	})
}

// addHealth sets res's payment health when q asks for it, read in tx.
func (h *Handler) addHealth(ctx context.Context, tx billbridge.Tx, acct *billbridge.Account, q IncludeQuery, res *DealWonResult) error {
	views, err := h.withHealth(ctx, tx, acct, q.health(), res.Customer)
	if err == nil {
		res.PaymentHealth = views[0].PaymentHealth
	}
	return err
}

// Me answers who the API key belongs to: the credential test of every platform.
//
//	@Summary		Who the API key belongs to
//	@Description	The account of the API key: the credential test of Zapier, Make and n8n.
//	@Tags			Account
//	@ID				getMe
//	@Produce		json
//	@Success		200	{object}	billbridge.Account	"The account."
//	@Router			/v1/me [get]
func (h *Handler) Me(c *gin.Context) error {
	return web.JSON(c, http.StatusOK, web.Account(c))
}
