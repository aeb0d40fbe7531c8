package actions

import (
	"context"
	"net/http"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// SyncHealthQuery is the query of GET /v1/sync/health.
type SyncHealthQuery struct {
	// How far back to look: whole hours or days, 1h to 90d (default 7d).
	Window string `form:"window" json:"window" binding:"max=5" example:"7d"`
}

// GetSyncHealth reports how the sync is doing.
//
//	@Summary		Get the sync health
//	@Description	How the sync between the platforms and this account is doing over the window (default 7d, counted per hour): the API requests the platforms made and how many were refused (4xx other than 429), failed (5xx) or rate limited (429); each hook with its status (failing after 5 failed attempts in a row or no success for 24 hours with deliveries pending; removed after its receiver answered 410), its last success and failure, pending and dropped deliveries and success rate; the incidents the automations reported per calendar week; and the overall success rate. Counts of other gateway instances reach it within 10 seconds.
//	@Tags			Sync
//	@ID				getSyncHealth
//	@Produce		json
//	@Param			query	query	actions.SyncHealthQuery	false	"The window."
//	@Success		200	{object}	billbridge.SyncHealth	"The sync health."
//	@Failure		422	{object}	routes.Problem	"window is not a whole number of hours or days from 1h to 90d, e.g. 24h or 7d (code validation_failed)."
//	@Router			/v1/sync/health [get]
func (h *Handler) GetSyncHealth(c *gin.Context) error {
	var q SyncHealthQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	if q.Window == "" {
		q.Window = "7d"
	}
	window, ok := billbridge.ParseWindow(q.Window)
	if !ok {
		return billbridge.Invalid("window", "must be a whole number of hours or days from 1h to 90d, e.g. 24h or 7d")
	}
	out, err := h.SyncHealth(c.Request.Context(), web.Account(c), q.Window, window)
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, out)
}

// SyncHealth computes the account's sync health over the window (named
// name, e.g. "7d"): the API requests, each hook's deliveries and the
// incidents by week. GET /v1/sync/health and the console show it.
func (h *Handler) SyncHealth(ctx context.Context, acct *billbridge.Account, name string, window time.Duration) (*billbridge.SyncHealth, error) {
	if h.FlushUsage != nil {
		if err := h.FlushUsage(ctx); err != nil {
			return nil, err
		}
	}
	now := h.Clock.Now()
	since := now.Add(-window).Truncate(time.Hour)
	out := billbridge.SyncHealth{Window: name, Since: since, Hooks: []billbridge.HookHealth{}, IncidentsByWeek: []billbridge.WeekIncidents{}}
	var err error
	if out.API, err = h.Store.APIHealthSince(ctx, acct.ID, since); err != nil {
		return nil, err
	}
	states, err := h.Store.HookStates(ctx, acct.ID, since)
	if err != nil {
		return nil, err
	}
	ok64, all := out.API.Requests-out.API.Errors4xx-out.API.Errors5xx-out.API.RateLimited, out.API.Requests
	for _, s := range states {
		hh := s.HookHealth
		hh.Status = s.StatusAt(now)
		hh.SuccessRate = billbridge.Rate(hh.Delivered, hh.Delivered+hh.Failed)
		out.Hooks = append(out.Hooks, hh)
		ok64 += hh.Delivered
		all += hh.Delivered + hh.Failed
	}
	mondays, bounds := billbridge.WeekStarts(since, now, acct.Location())
	counts, err := h.Store.CountIncidents(ctx, acct.ID, bounds)
	if err != nil {
		return nil, err
	}
	for i, n := range counts {
		out.IncidentsByWeek = append(out.IncidentsByWeek, billbridge.WeekIncidents{WeekStart: mondays[i], Incidents: n})
		all += int64(n)
	}
	out.SuccessRate = billbridge.Rate(ok64, all)
	return &out, nil
}
