package triggers

import (
	"context"
	"net/http"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// RedeliverQuery is the query of POST /v1/hooks/{id}/redeliver.
type RedeliverQuery struct {
	// Replay the events after this seq (the last one the receiver has, e.g. from its last webhook payload's seq); 0 for all.
	AfterSeq *int64 `form:"after_seq" json:"after_seq" binding:"required,min=0" example:"1041"`
}

// RedeliverHook replays what a receiver missed.
//
//	@Summary		Redeliver a hook's events
//	@Description	The manual fallback when a receiver missed events (it was down longer than the three days of retries, its deliveries were dropped, or it lost what it got): queues a delivery to the hook of every event after after_seq that the hook subscribes to, through the same delivery queue (signed, retried, fair between accounts, private addresses still refused). At most 1000 events are read per request: while has_more is true, call again with after_seq = last_seq. An event the hook still has a delivery of pending is not queued twice. Receivers tell repeats apart by webhook-id, the event's id.
//	@Tags			Hooks
//	@ID				redeliverHook
//	@Produce		json
//	@Param			id		path	string					true	"The hook id."	example(hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS)
//	@Param			query	query	triggers.RedeliverQuery	true	"Where to start."
//	@Success		200	{object}	billbridge.Redelivery	"What was queued."
//	@Failure		404	{object}	routes.Problem	"No such hook in this account (code not_found)."
//	@Failure		422	{object}	routes.Problem	"after_seq is missing or negative, or the hook's target_url resolves to an address hooks may not reach (code validation_failed)."
//	@Router			/v1/hooks/{id}/redeliver [post]
func (h *Handler) RedeliverHook(c *gin.Context) error {
	var q RedeliverQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	acct := web.Account(c)
	hook, err := h.RedeliveryTarget(c.Request.Context(), acct.ID, c.Param("id"))
	if err != nil {
		return err
	}
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		r := &billbridge.Redelivery{AccountID: acct.ID, HookID: hook.ID, AfterSeq: *q.AfterSeq}
		if err := tx.Redeliver(ctx, r, h.Clock.Now()); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, r, nil
	})
}

// RedeliveryTarget returns the account's hook to redeliver to, once its
// target passes the SSRF guard (again: DNS may have changed since the hook
// was created). POST /v1/hooks/{id}/redeliver and the console use it
// before Tx.Redeliver.
func (h *Handler) RedeliveryTarget(ctx context.Context, accountID, hookID string) (*billbridge.Hook, error) {
	hook, err := h.Store.FindHook(ctx, accountID, hookID)
	if err != nil {
		return nil, err
	}
	if err := h.Guard.CheckURL(ctx, hook.TargetURL); err != nil {
		return nil, err
	}
	return hook, nil
}
