package console

import (
	"net/http"
	"time"

	"billbridge"

	"github.com/gin-gonic/gin"
)

// healthWindow is the span the console's health figures cover.
const healthWindow = 7 * 24 * time.Hour

// recentIncidents is how many of the latest incidents the overview lists.
const recentIncidents = 5

// overview is the data of the overview page.
type overview struct {
	Health      *billbridge.SyncHealth
	Failing     []billbridge.HookHealth
	Receivables billbridge.Receivables
	// Incidents are the account's latest reported incidents, newest first.
	Incidents []billbridge.Incident
}

// Overview shows how the sync is doing and what is overdue (GET /console):
// the sync health of the last 7 days (GET /v1/sync/health), the account's
// 5 latest incidents and today's receivables (GET /v1/reports/receivables).
func (h *Handler) Overview(c *gin.Context) {
	ctx, acct := c.Request.Context(), sessionOf(c).Account
	var o overview
	var err error
	if o.Health, err = h.Actions.SyncHealth(ctx, acct, "7d", healthWindow); err != nil {
		h.fail(c, "overview", err, o)
		return
	}
	for _, hk := range o.Health.Hooks {
		if hk.Status == billbridge.HookFailing {
			o.Failing = append(o.Failing, hk)
		}
	}
	if o.Incidents, err = h.Store.RecentIncidents(ctx, acct.ID, recentIncidents); err != nil {
		h.fail(c, "overview", err, o)
		return
	}
	if o.Receivables, err = h.Actions.Receivables(ctx, acct, billbridge.Today(h.Clock.Now(), acct.Location())); err != nil {
		h.fail(c, "overview", err, o)
		return
	}
	h.render(c, http.StatusOK, "overview", view{Data: o, Notice: notice(c)})
}
