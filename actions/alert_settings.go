package actions

import (
	"context"
	"strings"
	"time"

	"billbridge"

	"github.com/gin-gonic/gin"
)

// AlertSettingsInput is the body of PUT /v1/settings/alerts: the whole
// settings object.
type AlertSettingsInput struct {
	// Who gets the account's alert mails, at most 10; empty for none.
	Emails []string `json:"emails" binding:"required,max=10,dive,max=254,email" example:"owner@dupont.ch"`
	// Hours an alert stays quiet after its mail while it keeps firing, 1–168 (default 24).
	SilenceHours *int `json:"silence_hours" binding:"omitempty,min=1,max=168" example:"24"`
	// Alert when no API call arrived for this many hours, 1–720; omit or null for no such alert.
	NoAPICallHours *int `json:"no_api_call_hours" binding:"omitempty,min=1,max=720" example:"48"`
}

// Normalize trims the addresses before validation (web.BindJSON calls it).
func (in *AlertSettingsInput) Normalize() {
	for i := range in.Emails {
		in.Emails[i] = strings.TrimSpace(in.Emails[i])
	}
}

// GetAlertSettings returns the account's alert settings.
//
//	@Summary		Get the alert settings
//	@Description	Who gets the account's alert mails (emails), how long an alert stays quiet after its mail while it keeps firing (silence_hours, default 24) and after how many hours without an API call to alert (no_api_call_hours, null: never). The defaults until set with PUT. The gateway does not send alert mails yet: the settings are kept for them.
//	@Tags			Settings
//	@ID				getAlertSettings
//	@Produce		json
//	@Success		200	{object}	billbridge.AlertSettings	"The settings."
//	@Router			/v1/settings/alerts [get]
func (h *Handler) GetAlertSettings(c *gin.Context) error {
	return getSettings(c, h.Store.FindAlertSettings)
}

// PutAlertSettings replaces the account's alert settings.
//
//	@Summary		Set the alert settings
//	@Description	Replaces the account's alert settings with the whole object and returns it: emails (at most 10 addresses, each checked like a customer's email; the same address twice is kept once), silence_hours (1–168, default 24) and no_api_call_hours (1–720, or null for no such alert). Refused with 422 naming the field.
//	@Tags			Settings
//	@ID				putAlertSettings
//	@Accept			json
//	@Produce		json
//	@Param			body	body	actions.AlertSettingsInput	true	"The settings."
//	@Success		200	{object}	billbridge.AlertSettings	"The settings as stored."
//	@Failure		422	{object}	routes.Problem	"A field failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/settings/alerts [put]
func (h *Handler) PutAlertSettings(c *gin.Context) error {
	var in AlertSettingsInput
	return putSettings(c, h, &in, in.Settings, func(ctx context.Context, tx billbridge.Tx, s *billbridge.AlertSettings, now time.Time) error {
		s.UpdatedAt = &now
		return tx.SaveAlertSettings(ctx, s)
	})
}

// Settings are the account's alert settings the validated input replaces
// them with: the defaults where it leaves a field out, each address kept
// once regardless of case. PUT /v1/settings/alerts and the console store
// them.
func (in *AlertSettingsInput) Settings(accountID string) (*billbridge.AlertSettings, error) {
	s := billbridge.DefaultAlertSettings(accountID)
	s.Emails = dedupeFold(in.Emails)
	if in.SilenceHours != nil {
		s.SilenceHours = *in.SilenceHours
	}
	s.NoAPICallHours = in.NoAPICallHours
	return s, nil
}

// dedupeFold keeps the first of addresses equal but for case, in order.
func dedupeFold(in []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, e := range in {
		if k := strings.ToLower(e); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}
