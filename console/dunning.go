package console

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"billbridge"
	"billbridge/actions"

	"github.com/gin-gonic/gin"
)

// dunningForm is the dunning settings form as shown: what is stored, or
// what was sent when it failed validation. It holds every field of the
// settings, so a save keeps nothing the owner did not see.
type dunningForm struct {
	Enabled       bool
	InterestRate  string
	PayWithinDays string
	// Levels are the ladder's rows, then empty rows to add levels up to
	// billbridge.MaxDunningLevels; an empty row is left out on save.
	Levels   []levelRow
	Timezone string
}

// levelRow is one level of the ladder in the form.
type levelRow struct {
	AfterDays, Fee, Title string
}

func dunningFormOf(s *billbridge.DunningSettings, timezone string) dunningForm {
	f := dunningForm{Enabled: s.Enabled, InterestRate: s.InterestRate.String(), PayWithinDays: strconv.Itoa(s.PayWithinDays), Timezone: timezone}
	for _, l := range s.Levels {
		f.Levels = append(f.Levels, levelRow{AfterDays: strconv.Itoa(l.AfterDays), Fee: l.Fee.String(), Title: l.Title})
	}
	return f.padded()
}

// padded adds empty rows up to the longest ladder.
func (f dunningForm) padded() dunningForm {
	for len(f.Levels) < billbridge.MaxDunningLevels {
		f.Levels = append(f.Levels, levelRow{})
	}
	return f
}

// Dunning shows the account's reminder ladder, interest rate and payment
// period (GET /console/dunning), as GET /v1/settings/dunning does.
func (h *Handler) Dunning(c *gin.Context) {
	tz := sessionOf(c).Account.Timezone
	s, err := h.Store.FindDunningSettings(c.Request.Context(), sessionOf(c).AccountID)
	if err != nil {
		h.fail(c, "dunning", err, dunningForm{Timezone: tz}.padded())
		return
	}
	h.render(c, http.StatusOK, "dunning", view{Data: dunningFormOf(s, tz), Notice: notice(c)})
}

// SaveDunning changes the dunning settings from the form (POST
// /console/dunning) with the rules of PUT /v1/settings/dunning: the
// settings are read, changed by the form and validated whole in one
// transaction. Levels are numbered by their row, empty rows left out.
func (h *Handler) SaveDunning(c *gin.Context) {
	f := dunningForm{Enabled: c.PostForm("enabled") != "", InterestRate: formValue(c, "interest_rate"),
		PayWithinDays: formValue(c, "pay_within_days"), Timezone: sessionOf(c).Account.Timezone}
	in := actions.DunningSettingsInput{Enabled: &f.Enabled, Levels: []billbridge.DunningLevel{}}
	var err error
	for i := 0; i < billbridge.MaxDunningLevels; i++ {
		p := "levels[" + strconv.Itoa(i) + "]."
		row := levelRow{AfterDays: formValue(c, p+"after_days"), Fee: formValue(c, p+"fee"), Title: formValue(c, p+"title")}
		if row == (levelRow{}) {
			continue
		}
		f.Levels = append(f.Levels, row)
		n := len(in.Levels)
		name := "levels[" + strconv.Itoa(n) + "]."
		l := billbridge.DunningLevel{Level: n + 1, Title: row.Title}
		var days *int
		if days, err = optionalInt(name+"after_days", row.AfterDays); err == nil && days != nil {
			l.AfterDays = *days
		}
		if err == nil && row.Fee != "" {
			err = decimalField(name+"fee", row.Fee, &l.Fee)
		}
		if err != nil {
			break
		}
		in.Levels = append(in.Levels, l)
	}
	f = f.padded()
	if err == nil {
		var rate billbridge.VATRate
		if err = decimalField("interest_rate", f.InterestRate, &rate); err == nil {
			in.InterestRate = &rate
		}
	}
	if err == nil {
		if in.PayWithinDays, err = optionalInt("pay_within_days", f.PayWithinDays); err == nil && in.PayWithinDays == nil {
			err = billbridge.Invalid("pay_within_days", "is required")
		}
	}
	h.saveSettings(c, "dunning", "/console/dunning", f, err, func(ctx context.Context, tx billbridge.Tx, accountID string, now time.Time) error {
		s, err := tx.FindDunningSettings(ctx, accountID)
		if err != nil {
			return err
		}
		if err := in.Apply(s); err != nil {
			return err
		}
		s.UpdatedAt, s.Timezone = &now, f.Timezone
		return tx.SaveDunningSettings(ctx, s)
	})
}

// decimalField parses a form's amount or rate as the API reads it from
// JSON; "" and what it refuses are an error naming field.
func decimalField(field, v string, into interface{ UnmarshalJSON([]byte) error }) error {
	if v == "" {
		return billbridge.Invalid(field, "is required")
	}
	if err := into.UnmarshalJSON([]byte(strconv.Quote(v))); err != nil {
		return billbridge.Invalid(field, "must be a number with at most two fraction digits")
	}
	return nil
}
