package console

import (
	"net/http"
	"strconv"

	"billbridge"

	"github.com/gin-gonic/gin"
)

// Hooks shows every hook's health over the last 7 days with a Redeliver
// button (GET /console/hooks), the hooks part of GET /v1/sync/health.
func (h *Handler) Hooks(c *gin.Context) {
	h.hooksPage(c, http.StatusOK, nil)
}

func (h *Handler) hooksPage(c *gin.Context, status int, err error) {
	health, herr := h.Actions.SyncHealth(c.Request.Context(), sessionOf(c).Account, "7d", healthWindow)
	if herr != nil {
		h.fail(c, "hooks", herr, nil)
		return
	}
	if err != nil {
		h.fail(c, "hooks", err, health.Hooks)
		return
	}
	h.render(c, status, "hooks", view{Data: health.Hooks, Notice: notice(c)})
}

// Redeliver replays the events after the form's after_seq to a hook (POST
// /console/hooks/{id}/redeliver), as POST /v1/hooks/{id}/redeliver does.
func (h *Handler) Redeliver(c *gin.Context) {
	ctx, s := c.Request.Context(), sessionOf(c)
	after, perr := strconv.ParseInt(c.DefaultPostForm("after_seq", "0"), 10, 64)
	if perr != nil || after < 0 {
		h.hooksPage(c, 0, billbridge.Invalid("after_seq", "must be a whole number, 0 or more"))
		return
	}
	hook, err := h.Triggers.RedeliveryTarget(ctx, s.AccountID, c.Param("id"))
	if err == nil {
		err = h.Store.Atomic(ctx, func(tx billbridge.Tx) error {
			return tx.Redeliver(ctx, &billbridge.Redelivery{AccountID: s.AccountID, HookID: hook.ID, AfterSeq: after}, h.Clock.Now())
		})
	}
	if err != nil {
		h.hooksPage(c, 0, err)
		return
	}
	seeOther(c, "/console/hooks", "redelivered")
}
