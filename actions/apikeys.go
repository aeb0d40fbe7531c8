package actions

import (
	"context"
	"net/http"
	"strings"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// APIKeyInput is the body of POST /v1/api-keys.
type APIKeyInput struct {
	// A name for the key, e.g. the platform that will use it.
	Label string `json:"label" binding:"required,max=100" example:"Zapier"`
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (in *APIKeyInput) Normalize() { in.Label = strings.TrimSpace(in.Label) }

// ListAPIKeys lists the account's keys without their secrets.
//
//	@Summary		List API keys
//	@Description	The account's API keys, newest first: id, label, the first characters of the key (prefix), created_at, last_used_at (to about a minute) and, for a rotated key, expires_at. Never the key itself: billbridge keeps only its hash.
//	@Tags			API keys
//	@ID				listAPIKeys
//	@Produce		json
//	@Param		query	query	actions.PageQuery	false	"Paging."
//	@Success		200	{object}	web.List[billbridge.APIKey]	"A page of keys."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/api-keys [get]
func (h *Handler) ListAPIKeys(c *gin.Context) error {
	var q PageQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	page, err := h.Store.FindAPIKeys(c.Request.Context(), web.Account(c).ID, q.page())
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, web.NewList(page, func(k billbridge.APIKey) string { return k.ID }))
}

// CreateAPIKey adds a key to the account (201 with the secret, shown once).
//
//	@Summary		Create an API key
//	@Description	Adds a key to the account, e.g. one per platform so each can be revoked alone. The key itself (secret) is in this answer only: billbridge keeps its hash, so a replay of the request (same Idempotency-Key) answers the key without its secret. An account holds at most 20 keys.
//	@Tags			API keys
//	@ID				createAPIKey
//	@Accept			json
//	@Produce		json
//	@Param		body	body	actions.APIKeyInput	true	"The key's label."
//	@Success		201	{object}	billbridge.APIKeyCreated	"The new key with its secret."
//	@Failure		422	{object}	routes.Problem	"Fields failed validation, or the account already holds 20 keys (code validation_failed)."
//	@Router			/v1/api-keys [post]
func (h *Handler) CreateAPIKey(c *gin.Context) error {
	var in APIKeyInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		k, err := billbridge.CreateAPIKey(ctx, tx, acct.ID, in.Label, h.Clock.Now())
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, k, nil
	})
}

// RotateAPIKey replaces a key by a new one; the old one works for the grace
// period.
//
//	@Summary		Rotate an API key
//	@Description	Creates a successor with the same label and answers it with its secret (shown only here; a replay answers it without). The rotated key keeps working until its expires_at (24 hours by default, BILLBRIDGE_KEY_ROTATION_GRACE), time to update every Zap, scenario and workflow; revoke it to end it sooner. A key already rotated answers 409: rotate its successor.
//	@Tags			API keys
//	@ID				rotateAPIKey
//	@Produce		json
//	@Param		id	path	string	true	"The key id."	example(key_01JDZ8T9F2G5H8J1K4L7P0Q3RS)
//	@Success		201	{object}	billbridge.APIKeyRotated	"The successor with its secret, and the rotated key with its expires_at."
//	@Failure		404	{object}	routes.Problem	"No such key in this account, or it expired (code not_found)."
//	@Failure		409	{object}	routes.Problem	"The key was already rotated (code conflict)."
//	@Failure		422	{object}	routes.Problem	"The account already holds 20 keys (code validation_failed)."
//	@Router			/v1/api-keys/{id}/rotate [post]
func (h *Handler) RotateAPIKey(c *gin.Context) error {
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		r, err := billbridge.RotateAPIKey(ctx, tx, acct.ID, c.Param("id"), h.Clock.Now(), h.KeyRotationGrace)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, r, nil
	})
}

// RevokeAPIKey deletes a key at once; the account's last key that does not
// expire cannot be revoked.
//
//	@Summary		Revoke an API key
//	@Description	The key stops working at once (also a rotated key still in its grace period); revoking one that is gone is 204 too. An account always keeps a key that does not expire: revoking the last one is 409 (create or rotate to a new key first).
//	@Tags			API keys
//	@ID				revokeAPIKey
//	@Produce		json
//	@Param		id	path	string	true	"The key id."	example(key_01JDZ8T9F2G5H8J1K4L7P0Q3RS)
//	@Success		204	"The key is gone."
//	@Failure		409	{object}	routes.Problem	"It is the account's last key that does not expire (code conflict)."
//	@Router			/v1/api-keys/{id} [delete]
func (h *Handler) RevokeAPIKey(c *gin.Context) error {
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		return http.StatusNoContent, nil, tx.DeleteAPIKey(ctx, acct.ID, c.Param("id"))
	})
}
