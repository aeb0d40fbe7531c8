package actions

import (
	"context"
	"net/http"
	"strings"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// DealWonInput is the body of deal won: the CRM's deal, its customer and
// what to bill.
type DealWonInput struct {
	// The CRM's deal id: becomes the invoice's external_id, so a repeat finds the same invoice.
	DealID   string        `json:"deal_id" binding:"required,max=255" example:"pipedrive-deal-815"`
	Customer CustomerInput `json:"customer" binding:"required"`
	LinesInput
	// Finalize the invoice at once (number, issue and due date).
	Finalize  bool `json:"finalize" example:"true"`
	DueInDays *int `json:"due_in_days" binding:"omitempty,min=0,max=365" example:"30"`
}

func (in *DealWonInput) normalize() {
	in.DealID = strings.TrimSpace(in.DealID)
	in.Customer.normalize()
	in.LinesInput.normalize()
}

// DealWonResult is the customer and invoice of a won deal.
type DealWonResult struct {
	Customer billbridge.Customer `json:"customer"`
	Invoice  billbridge.Invoice  `json:"invoice"`
	// True when this request created the invoice; false on a repeat.
	Created bool `json:"created"`
}

// DealWon upserts the customer and creates the invoice with external_id =
// deal_id in one transaction (201). A repeat, with or without an
// Idempotency-Key, returns the same customer and invoice (200).
func (h *Handler) DealWon(c *gin.Context) error {
	var in DealWonInput
	if err := bindBody(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		if inv, err := tx.FindInvoiceByExternalID(ctx, acct.ID, in.DealID); err == nil {
			cust, err := tx.FindCustomer(ctx, acct.ID, inv.CustomerID)
			if err != nil {
				return 0, nil, err
			}
			return http.StatusOK, DealWonResult{Customer: *cust, Invoice: h.view(inv, acct)}, nil
		} else if billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
			return 0, nil, err
		}
		up, err := h.upsert(ctx, tx, acct.ID, &in.Customer)
		if err != nil {
			return 0, nil, err
		}
		inv, _, err := h.createInvoice(ctx, tx, acct, &up.Customer, &InvoiceInput{
			CustomerID: up.ID, ExternalID: in.DealID, LinesInput: in.LinesInput, DueInDays: in.DueInDays,
			Reference: in.DealID, Finalize: in.Finalize,
		})
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, DealWonResult{Customer: up.Customer, Invoice: h.view(inv, acct), Created: true}, nil
	})
}

// Me answers who the API key belongs to: the credential test of every platform.
func (h *Handler) Me(c *gin.Context) error {
	return web.JSON(c, http.StatusOK, web.Account(c))
}
