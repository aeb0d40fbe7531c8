package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"billbridge"
	"billbridge/actions"

	"github.com/gin-gonic/gin"
)

// alertsForm is the alert settings form as shown: what is stored, or what
// was sent when it failed validation.
type alertsForm struct {
	Emails       string
	SilenceHours string
	NoCallHours  string
}

func formOf(s *billbridge.AlertSettings) alertsForm {
	f := alertsForm{Emails: strings.Join(s.Emails, "\n"), SilenceHours: strconv.Itoa(s.SilenceHours)}
	if s.NoAPICallHours != nil {
		f.NoCallHours = strconv.Itoa(*s.NoAPICallHours)
	}
	return f
}

// Alerts shows who gets the account's alert mails (GET /console/alerts),
// as GET /v1/settings/alerts does.
func (h *Handler) Alerts(c *gin.Context) {
	s, err := h.Store.FindAlertSettings(c.Request.Context(), sessionOf(c).AccountID)
	if err != nil {
		h.fail(c, "alerts", err, alertsForm{})
		return
	}
	h.render(c, http.StatusOK, "alerts", view{Data: formOf(s), Notice: notice(c)})
}

// SaveAlerts replaces the alert settings from the form (POST
// /console/alerts) with the rules of PUT /v1/settings/alerts.
func (h *Handler) SaveAlerts(c *gin.Context) {
	f := alertsForm{Emails: c.PostForm("emails"), SilenceHours: formValue(c, "silence_hours"), NoCallHours: formValue(c, "no_api_call_hours")}
	in := actions.AlertSettingsInput{Emails: []string{}}
	for _, line := range strings.FieldsFunc(f.Emails, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }) {
		if line = strings.TrimSpace(line); line != "" {
			in.Emails = append(in.Emails, line)
		}
	}
	var err error
	if in.SilenceHours, err = optionalInt("silence_hours", f.SilenceHours); err == nil {
		in.NoAPICallHours, err = optionalInt("no_api_call_hours", f.NoCallHours)
	}
	if err == nil {
		err = validInput(&in)
	}
	h.saveSettings(c, "alerts", "/console/alerts", f, err, func(ctx context.Context, tx billbridge.Tx, accountID string, now time.Time) error {
		s, err := in.Settings(accountID)
		if err != nil {
			return err
		}
		s.UpdatedAt = &now
		return tx.SaveAlertSettings(ctx, s)
	})
}

// optionalInt parses a form's whole number; "" is nil.
func optionalInt(field, v string) (*int, error) {
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return nil, billbridge.Invalid(field, "must be a whole number")
	}
	return &n, nil
}
