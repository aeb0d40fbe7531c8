package console

import (
	"net/http"

	"billbridge"
	"billbridge/actions"

	"github.com/gin-gonic/gin"
)

// Duplicates lists the account's possible duplicate customers, highest
// score first (GET /console/duplicates), as GET /v1/customers/duplicates
// does at its default threshold.
func (h *Handler) Duplicates(c *gin.Context) {
	h.duplicatesPage(c, http.StatusOK, nil)
}

func (h *Handler) duplicatesPage(c *gin.Context, status int, err error) {
	page, lerr := h.Store.FindDuplicates(c.Request.Context(), sessionOf(c).AccountID,
		billbridge.DuplicateFilter{MinScore: billbridge.DefaultMinScore, PageParams: billbridge.PageParams{Limit: 50}})
	if lerr != nil {
		h.fail(c, "duplicates", lerr, nil)
		return
	}
	if err != nil {
		h.fail(c, "duplicates", err, page.Data)
		return
	}
	h.render(c, status, "duplicates", view{Data: page.Data, Notice: notice(c)})
}

// MergeDuplicate merges the form's duplicate_id into its primary_id (POST
// /console/duplicates/merge) with the rules of POST /v1/customers/merge.
func (h *Handler) MergeDuplicate(c *gin.Context) {
	ctx, acct := c.Request.Context(), sessionOf(c).AccountID
	in := actions.MergeInput{PrimaryID: c.PostForm("primary_id"), DuplicateID: c.PostForm("duplicate_id")}
	err := validInput(&in)
	if err == nil {
		err = h.Store.Atomic(ctx, func(tx billbridge.Tx) error {
			_, err := h.Actions.Merge(ctx, tx, acct, in.PrimaryID, in.DuplicateID)
			return err
		})
	}
	if err != nil {
		h.duplicatesPage(c, 0, err)
		return
	}
	seeOther(c, "/console/duplicates", "merged")
}
