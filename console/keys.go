package console

import (
	"net/http"
	"strings"

	"billbridge"
	"billbridge/actions"

	"github.com/gin-gonic/gin"
)

// keysPage is the data of the API keys page.
type keysPage struct {
	Keys []billbridge.APIKey
	// SessionKey is the id of the key this session signed in with.
	SessionKey string
	// Created is a key just created or rotated, with its secret (shown once).
	Created *billbridge.APIKeyCreated
	// Rotated is the key a rotation replaced, with its expiry.
	Rotated *billbridge.APIKey
}

// Keys lists the account's working keys by label and last use (GET
// /console/keys), as GET /v1/api-keys does.
func (h *Handler) Keys(c *gin.Context) {
	h.keysPage(c, http.StatusOK, keysPage{}, nil)
}

// keysPage renders the keys page with p (its list read anew) or err.
func (h *Handler) keysPage(c *gin.Context, status int, p keysPage, err error) {
	s := sessionOf(c)
	p.SessionKey = s.KeyID
	page, lerr := h.Store.FindAPIKeys(c.Request.Context(), s.AccountID, billbridge.PageParams{Limit: billbridge.MaxAPIKeys})
	if lerr != nil {
		h.fail(c, "keys", lerr, p)
		return
	}
	p.Keys = page.Data
	if err != nil {
		h.fail(c, "keys", err, p)
		return
	}
	h.render(c, status, "keys", view{Data: p, Notice: notice(c)})
}

// CreateKey adds a key labelled from the form (POST /console/keys), as
// POST /v1/api-keys does, and shows its secret once.
func (h *Handler) CreateKey(c *gin.Context) {
	in := actions.APIKeyInput{Label: c.PostForm("label")}
	if err := validInput(&in); err != nil {
		h.keysPage(c, 0, keysPage{}, err)
		return
	}
	var k *billbridge.APIKeyCreated
	err := h.Store.Atomic(c.Request.Context(), func(tx billbridge.Tx) (err error) {
		k, err = billbridge.CreateAPIKey(c.Request.Context(), tx, sessionOf(c).AccountID, in.Label, h.Clock.Now())
		return err
	})
	h.keysPage(c, http.StatusCreated, keysPage{Created: k}, err)
}

// RotateKey replaces a key (POST /console/keys/{id}/rotate), as POST
// /v1/api-keys/{id}/rotate does: the old one works for the grace period.
func (h *Handler) RotateKey(c *gin.Context) {
	var r *billbridge.APIKeyRotated
	err := h.Store.Atomic(c.Request.Context(), func(tx billbridge.Tx) (err error) {
		r, err = billbridge.RotateAPIKey(c.Request.Context(), tx, sessionOf(c).AccountID, c.Param("id"), h.Clock.Now(), h.Actions.KeyRotationGrace)
		return err
	})
	if err != nil {
		h.keysPage(c, 0, keysPage{}, err)
		return
	}
	h.keysPage(c, http.StatusCreated, keysPage{Created: &r.APIKeyCreated, Rotated: &r.Rotated}, nil)
}

// RevokeKey deletes a key at once (POST /console/keys/{id}/revoke), as
// DELETE /v1/api-keys/{id} does; the sessions signed in with it end.
func (h *Handler) RevokeKey(c *gin.Context) {
	s := sessionOf(c)
	err := h.Store.Atomic(c.Request.Context(), func(tx billbridge.Tx) error {
		return tx.DeleteAPIKey(c.Request.Context(), s.AccountID, c.Param("id"))
	})
	if err != nil {
		h.keysPage(c, 0, keysPage{}, err)
		return
	}
	if strings.EqualFold(c.Param("id"), s.KeyID) {
		h.toLogin(c, "expired")
		return
	}
	seeOther(c, "/console/keys", "key_revoked")
}
