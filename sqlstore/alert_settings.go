package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"billbridge"
)

// FindAlertSettings returns the account's alert settings, the defaults
// when it has none.
func (r reader) FindAlertSettings(ctx context.Context, accountID string) (*billbridge.AlertSettings, error) {
	s := billbridge.DefaultAlertSettings(accountID)
	var emails string
	var noCall sql.NullInt64
	err := r.q.QueryRowContext(ctx, `SELECT emails, silence_hours, no_api_call_hours, updated_at FROM alert_settings WHERE account_id = $1`, accountID).
		Scan(&emails, &s.SilenceHours, &noCall, nullTimeCol{&s.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(emails), &s.Emails); err != nil {
		return nil, fmt.Errorf("alert settings emails: %w", err)
	}
	if noCall.Valid {
		n := int(noCall.Int64)
		s.NoAPICallHours = &n
	}
	return s, nil
}

// SaveAlertSettings creates or replaces the account's alert settings.
func (tx *Tx) SaveAlertSettings(ctx context.Context, s *billbridge.AlertSettings) error {
	emails, err := json.Marshal(s.Emails)
	if err != nil {
		return err
	}
	var noCall any
	if s.NoAPICallHours != nil {
		noCall = *s.NoAPICallHours
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO alert_settings (account_id, emails, silence_hours, no_api_call_hours, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (account_id) DO UPDATE SET emails = excluded.emails, silence_hours = excluded.silence_hours,
			no_api_call_hours = excluded.no_api_call_hours, updated_at = excluded.updated_at`,
		s.AccountID, string(emails), s.SilenceHours, noCall, tsOrNil(s.UpdatedAt))
	return dbError(err)
}
