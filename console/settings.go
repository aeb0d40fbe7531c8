package console

import (
	"context"
	"strings"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// validInput tidies and checks a settings form turned into its API input,
// with the binding rules of the API's PUT (EINVALID naming the field).
func validInput(in interface{ Normalize() }) error {
	in.Normalize()
	return web.Validate(in)
}

// saveSettings stores settings from a form (POST /console/<page>), as the
// API's PUT /v1/settings/… does: err is what reading the form refused;
// without one, write stores the settings in one transaction, given the
// account and the time of the write. A refusal shows page again with form
// as sent and the error naming the field, nothing written; a save sends the
// browser back to path with the notice <page>_saved.
func (h *Handler) saveSettings(c *gin.Context, page, path string, form any, err error,
	write func(ctx context.Context, tx billbridge.Tx, accountID string, now time.Time) error) {
	if err == nil {
		ctx, id, now := c.Request.Context(), sessionOf(c).AccountID, h.Clock.Now()
		err = h.Store.Atomic(ctx, func(tx billbridge.Tx) error { return write(ctx, tx, id, now) })
	}
	if err != nil {
		h.fail(c, page, err, form)
		return
	}
	seeOther(c, path, page+"_saved")
}

// formValue is a form field's value without surrounding space.
func formValue(c *gin.Context, name string) string {
	return strings.TrimSpace(c.PostForm(name))
}
