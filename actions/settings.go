package actions

import (
	"context"
	"net/http"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// getSettings answers a GET /v1/settings/… with the account's settings as
// find reads them (its error, such as not_found, is the answer instead).
func getSettings[S any](c *gin.Context, find func(ctx context.Context, accountID string) (S, error)) error {
	s, err := find(c.Request.Context(), web.Account(c).ID)
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, s)
}

// putSettings answers a PUT /v1/settings/… that replaces the account's
// settings whole: it binds the body into in, build turns it into the
// settings (its error refuses the request before anything is written), and
// save stores them in one transaction, given the time of the write to stamp
// them with. The answer is 200 with the settings as stored.
func putSettings[In, S any](c *gin.Context, h *Handler, in *In, build func(accountID string) (S, error),
	save func(ctx context.Context, tx billbridge.Tx, s S, now time.Time) error) error {
	if err := web.BindJSON(c, in); err != nil {
		return err
	}
	s, err := build(web.Account(c).ID)
	if err != nil {
		return err
	}
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		if err := save(ctx, tx, s, h.Clock.Now()); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, s, nil
	})
}
