package actions

import (
	"context"
	"net/http"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// IncludeQuery asks a customer read for more than the customer.
type IncludeQuery struct {
	// payment_health adds the customer's payment health (as GET /v1/customers/{id}/payment-health answers it).
	Include string `form:"include" json:"include" binding:"omitempty,oneof=payment_health" enums:"payment_health" example:"payment_health"`
}

func (q IncludeQuery) health() bool { return q.Include == billbridge.IncludePaymentHealth }

// CustomerView is a customer, with its payment health when asked for by
// include=payment_health.
type CustomerView struct {
	billbridge.Customer
	// Only with include=payment_health.
	PaymentHealth *billbridge.PaymentHealth `json:"payment_health,omitempty"`
}

// GetPaymentHealth answers how a customer pays.
//
//	@Summary		Get a customer's payment health
//	@Description	How the customer pays, per currency (CHF and EUR are never added): invoiced, paid, open and overdue amounts and counts, days the oldest overdue invoice is past due, average days to pay and days late (weighted by invoice total), the on-time ratio, the last payment, a rating and readable warnings for the CRM. Finalized invoices only (drafts and cancelled left out); days are counted in the account's time zone. Ratings, first rule that holds: poor (≥ 3 invoices overdue, or the oldest more than 60 days past due, or an unpaid invoice reminded at level 2 or higher), watch (anything overdue, or paid on average more than 10 days late), insufficient_data (fewer than 3 paid invoices), good. The customer's rating is the worst of its currencies'. max_reminder_level is the highest reminder level sent on an invoice still unpaid (0 for none); sending a reminder that changes the rating emits customer.payment_rating_changed.
//	@Tags			Customers
//	@ID				getPaymentHealth
//	@Produce		json
//	@Param		id	path	string	true	"The customer id."	example(cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE)
//	@Success		200	{object}	billbridge.PaymentHealth	"The customer's payment health."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Router			/v1/customers/{id}/payment-health [get]
func (h *Handler) GetPaymentHealth(c *gin.Context) error {
	ctx, acct := c.Request.Context(), web.Account(c)
	cust, err := h.Store.FindCustomer(ctx, acct.ID, c.Param("id"))
	if err != nil {
		return err
	}
	ph, err := billbridge.CustomerHealth(ctx, h.Store, acct.ID, cust.ID, h.Clock.Now(), acct.Location())
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, ph)
}

// withHealth returns customers as views, with their payment health when
// include asks for it: one query for all of them.
func (h *Handler) withHealth(ctx context.Context, r billbridge.Reader, acct *billbridge.Account, include bool, customers ...billbridge.Customer) ([]CustomerView, error) {
	out := make([]CustomerView, len(customers))
	ids := make([]string, len(customers))
	for i, c := range customers {
		out[i].Customer, ids[i] = c, c.ID
	}
	if !include || len(customers) == 0 {
		return out, nil
	}
	today := billbridge.Today(h.Clock.Now(), acct.Location())
	stats, err := r.PaymentStats(ctx, acct.ID, ids, today)
	if err != nil {
		return nil, err
	}
	for i := range out {
		ph := billbridge.HealthOf(out[i].ID, stats, today)
		out[i].PaymentHealth = &ph
	}
	return out, nil
}
