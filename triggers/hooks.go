package triggers

import (
	"context"
	"net/http"
	"strings"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// HookInput is the body of subscribe.
type HookInput struct {
	// Where events are POSTed. Only globally routable addresses are accepted: private, loopback, link-local, documentation and other special-purpose ranges are refused.
	TargetURL string `json:"target_url" binding:"required,url,max=2048" example:"https://hooks.zapier.com/hooks/standard/123/abc"`
	// Event types to deliver; "*" for all.
	Events []string `json:"events" binding:"required,min=1,max=20,dive,oneof=* customer.created customer.updated invoice.created invoice.finalized invoice.paid invoice.overdue invoice.cancelled payment.received customer.payment_rating_changed customer.merged invoice.reminder_due reminder.sent invoice.dunning_paused invoice.dunning_resumed customer.dunning_paused customer.dunning_resumed alert.fired alert.resolved" example:"invoice.paid"`
}

// Normalize trims the target URL before validation (web.BindJSON calls it).
func (in *HookInput) Normalize() { in.TargetURL = strings.TrimSpace(in.TargetURL) }

// HookCreated is a new subscription with its signing secret, shown once.
type HookCreated struct {
	billbridge.Hook
}

// CreateHook subscribes target_url to events (201 with the signing secret).
//
//	@Summary		Subscribe a hook
//	@Description	Subscribes target_url to events of the given types (\"*\" for all). Each event is POSTed to it signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) with the secret, shown only in this response. Only 2xx counts as delivered; other answers are retried with backoff for about three days, and 410 removes the subscription.
//	@Tags			Hooks
//	@ID				createHook
//	@Accept			json
//	@Produce		json
//	@Param		body	body	triggers.HookInput	true	"The subscription."
//	@Success		201	{object}	billbridge.Hook	"The subscription with its signing secret."
//	@Failure		422	{object}	routes.Problem	"Fields failed validation, e.g. a target_url that is not a globally routable address, or the account already has 100 hooks, the most it may have (code validation_failed)."
//	@Router			/v1/hooks [post]
func (h *Handler) CreateHook(c *gin.Context) error {
	var in HookInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request.Context()
	if err := h.Guard.CheckURL(ctx, in.TargetURL); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		hook := &billbridge.Hook{
			ID: billbridge.NewID(billbridge.PrefixHook), AccountID: acct.ID, TargetURL: in.TargetURL,
			Events: dedupe(in.Events), Secret: billbridge.NewHookSecret(), CreatedAt: h.Clock.Now(),
		}
		if err := tx.InsertHook(ctx, hook); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, hook, nil
	})
}

// HookQuery filters and pages the hook list.
type HookQuery struct {
	// Only hooks delivering to this exact URL.
	TargetURL string `form:"target_url" json:"target_url" binding:"max=2048"`
	// How many hooks to return, 1–100.
	Limit *int `form:"limit" json:"limit" binding:"omitempty,min=1,max=100" example:"25"`
	// The id of the last hook of the previous page (its next_cursor).
	StartingAfter string `form:"starting_after" json:"starting_after" binding:"max=64"`
}

// hookPageSize is the page size when the query gives none.
const hookPageSize = 25

// ListHooks lists the account's hooks, without their secrets.
//
//	@Summary		List hooks
//	@Description	The account's hook subscriptions, newest first, without their secrets, a page at a time (limit, starting_after = the previous page's next_cursor).
//	@Tags			Hooks
//	@ID				listHooks
//	@Produce		json
//	@Param		query	query	triggers.HookQuery	false	"Filter."
//	@Success		200	{object}	web.List[billbridge.Hook]	"A page of subscriptions."
//	@Failure		400	{object}	routes.Problem	"starting_after names no hook of this account, e.g. an id made up or of a hook deleted since (code cursor_invalid): start again from the first page."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation (code validation_failed)."
//	@Router			/v1/hooks [get]
func (h *Handler) ListHooks(c *gin.Context) error {
	var q HookQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	f := billbridge.HookFilter{TargetURL: q.TargetURL, PageParams: billbridge.PageParams{Limit: hookPageSize, StartingAfter: q.StartingAfter}}
	if q.Limit != nil {
		f.Limit = *q.Limit
	}
	page, err := h.Store.FindHooks(c.Request.Context(), web.Account(c).ID, f)
	if err != nil {
		return err
	}
	for i := range page.Data {
		page.Data[i].Secret = ""
	}
	return web.JSON(c, http.StatusOK, web.NewList(page, func(h billbridge.Hook) string { return h.ID }))
}

// DeleteHook unsubscribes; deleting a hook that is gone is 204 too.
//
//	@Summary		Unsubscribe a hook
//	@Description	Deletes the subscription; deleting one that is gone is 204 too.
//	@Tags			Hooks
//	@ID				deleteHook
//	@Produce		json
//	@Param		id	path	string	true	"The hook id."	example(hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS)
//	@Success		204	"The subscription is gone."
//	@Router			/v1/hooks/{id} [delete]
func (h *Handler) DeleteHook(c *gin.Context) error {
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		return http.StatusNoContent, nil, tx.DeleteHook(ctx, acct.ID, c.Param("id"))
	})
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
