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
	// Where events are POSTed. Private, loopback and link-local addresses are refused.
	TargetURL string `json:"target_url" binding:"required,url,max=2048" example:"https://hooks.zapier.com/hooks/standard/123/abc"`
	// Event types to deliver; "*" for all.
	Events []string `json:"events" binding:"required,min=1,max=20,dive,oneof=* customer.created customer.updated invoice.created invoice.finalized invoice.paid invoice.overdue invoice.cancelled payment.received" example:"invoice.paid"`
}

// HookCreated is a new subscription with its signing secret, shown once.
type HookCreated struct {
	billbridge.Hook
}

// CreateHook subscribes target_url to events (201 with the signing secret).
func (h *Handler) CreateHook(c *gin.Context) error {
	var in HookInput
	b, err := web.Body(c)
	if err != nil {
		return err
	}
	if err := web.DecodeJSON(b, &in); err != nil {
		return err
	}
	in.TargetURL = strings.TrimSpace(in.TargetURL)
	if err := web.Validate(&in); err != nil {
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

// HookQuery filters the hook list.
type HookQuery struct {
	// Only hooks delivering to this exact URL.
	TargetURL string `form:"target_url" json:"target_url" binding:"max=2048"`
}

// ListHooks lists the account's hooks, without their secrets.
func (h *Handler) ListHooks(c *gin.Context) error {
	var q HookQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	hooks, err := h.Store.FindHooks(c.Request.Context(), web.Account(c).ID, q.TargetURL)
	if err != nil {
		return err
	}
	for i := range hooks {
		hooks[i].Secret = ""
	}
	return web.JSON(c, http.StatusOK, web.NewList(billbridge.Page[billbridge.Hook]{Data: hooks}, func(h billbridge.Hook) string { return h.ID }))
}

// DeleteHook unsubscribes; deleting a hook that is gone is 204 too.
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
