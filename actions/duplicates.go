package actions

import (
	"context"
	"net/http"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// DuplicateQuery is the query of the duplicate lists.
type DuplicateQuery struct {
	// The lowest score listed, 0–1 (default 0.85).
	MinScore *float64 `form:"min_score" json:"min_score" binding:"omitempty,min=0,max=1" example:"0.85"`
	// How many pairs to return, 1–100.
	Limit *int `form:"limit" json:"limit" binding:"omitempty,min=1,max=100" example:"25"`
	// The next_cursor of the previous page.
	StartingAfter string `form:"starting_after" json:"starting_after" binding:"max=64"`
}

func (q DuplicateQuery) filter(customerID string) billbridge.DuplicateFilter {
	f := billbridge.DuplicateFilter{CustomerID: customerID, MinScore: billbridge.DefaultMinScore,
		PageParams: PageQuery{Limit: q.Limit, StartingAfter: q.StartingAfter}.page()}
	if q.MinScore != nil {
		f.MinScore = *q.MinScore
	}
	return f
}

// ListDuplicates lists the account's possible duplicate customers.
//
//	@Summary		List possible duplicate customers
//	@Description	Pairs of customers that may be one, highest score first: {a, b, score, reasons}. Pairs are scored when a customer is written (see the README's Duplicates section for the rules): the same UID 1.0; the same name key (legal form, word order, umlauts, spacing ignored) with the same postal code or email domain 0.95; the same phone with a similar name 0.95; a similar name (Jaro-Winkler ≥ 0.92) with the same postal code or domain 0.90; the same name key alone 0.85 (0.75 when the postal codes differ); similar email local parts on one domain (numbered mailboxes are not similar) 0.85; a similar name or the same phone alone 0.80. Different legal forms (AG vs GmbH) cap a pair at 0.85; a person is never paired with a company, nor two different UIDs. Free-mail domains say nothing, nor a block (domain, phone, name word) shared by more than 1,000 customers of the account.
//	@Tags			Customers
//	@ID				listDuplicates
//	@Produce		json
//	@Param		query	query	actions.DuplicateQuery	false	"Threshold and paging."
//	@Success		200	{object}	web.List[billbridge.Duplicate]	"A page of pairs."
//	@Failure		400	{object}	routes.Problem	"starting_after names no listed pair (code cursor_invalid)."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/customers/duplicates [get]
func (h *Handler) ListDuplicates(c *gin.Context) error {
	return h.listDuplicates(c, "")
}

// ListCustomerDuplicates lists the possible duplicates of one customer.
//
//	@Summary		List a customer's possible duplicates
//	@Description	The pairs of GET /v1/customers/duplicates that include this customer (a merged customer's id answers its survivor's pairs).
//	@Tags			Customers
//	@ID				listCustomerDuplicates
//	@Produce		json
//	@Param		id	path	string	true	"The customer id."	example(cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE)
//	@Param		query	query	actions.DuplicateQuery	false	"Threshold and paging."
//	@Success		200	{object}	web.List[billbridge.Duplicate]	"A page of pairs."
//	@Failure		400	{object}	routes.Problem	"starting_after names no listed pair (code cursor_invalid)."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/customers/{id}/duplicates [get]
func (h *Handler) ListCustomerDuplicates(c *gin.Context) error {
	cust, err := h.Store.FindCustomer(c.Request.Context(), web.Account(c).ID, c.Param("id"))
	if err != nil {
		return err
	}
	return h.listDuplicates(c, cust.ID)
}

func (h *Handler) listDuplicates(c *gin.Context, customerID string) error {
	var q DuplicateQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	page, err := h.Store.FindDuplicates(c.Request.Context(), web.Account(c).ID, q.filter(customerID))
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, web.NewList(page, func(d billbridge.Duplicate) string { return billbridge.DuplicateCursor(d.A.ID, d.B.ID) }))
}

// PossibleDuplicate is another customer that may be the one just written.
type PossibleDuplicate struct {
	ID string `json:"id" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KF"`
	billbridge.Match
}

// maxPossibleDuplicates bounds possible_duplicates on a write's response.
const maxPossibleDuplicates = 10

// possibleDuplicates returns the customers that may be the same as id,
// scoring at least DefaultMinScore, best first; an empty slice when none.
func possibleDuplicates(ctx context.Context, tx billbridge.Tx, accountID, id string) ([]PossibleDuplicate, error) {
	pairs, err := tx.FindPairsOf(ctx, accountID, id, billbridge.DefaultMinScore, maxPossibleDuplicates)
	if err != nil {
		return nil, err
	}
	out := make([]PossibleDuplicate, 0, len(pairs))
	for _, p := range pairs {
		out = append(out, PossibleDuplicate{ID: p.ID, Match: p.Match})
	}
	return out, nil
}
