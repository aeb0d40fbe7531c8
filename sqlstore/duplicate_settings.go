package sqlstore

import (
	"context"

	"billbridge"
)

// FindDuplicateSettings returns the account's duplicate settings, auto_merge
// off when it has none.
func (r reader) FindDuplicateSettings(ctx context.Context, accountID string) (*billbridge.DuplicateSettings, error) {
	s := billbridge.DuplicateSettings{AccountID: accountID}
	err := r.q.QueryRowContext(ctx, `SELECT auto_merge, updated_at FROM duplicate_settings WHERE account_id = $1`, accountID).
		Scan(&s.AutoMerge, timeCol{&s.UpdatedAt})
	if billbridge.ErrorCode(notFound(err, "")) == billbridge.ENOTFOUND {
		return &billbridge.DuplicateSettings{AccountID: accountID, AutoMerge: billbridge.AutoMergeOff}, nil
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// FindDuplicateSettings is reader.FindDuplicateSettings; on SQLite a group
// transaction reads them once for all its writers (groupReads): every
// customer write of the account reads them.
func (tx *Tx) FindDuplicateSettings(ctx context.Context, accountID string) (*billbridge.DuplicateSettings, error) {
	if tx.shared == nil {
		return tx.reader.FindDuplicateSettings(ctx, accountID)
	}
	if s, ok := tx.shared.duplicateSettings[accountID]; ok {
		return &s, nil
	}
	s, err := tx.reader.FindDuplicateSettings(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if tx.shared.duplicateSettings == nil {
		tx.shared.duplicateSettings = map[string]billbridge.DuplicateSettings{}
	}
	tx.shared.duplicateSettings[accountID] = *s
	return s, nil
}

// SaveDuplicateSettings creates or replaces the account's duplicate settings.
func (tx *Tx) SaveDuplicateSettings(ctx context.Context, s *billbridge.DuplicateSettings) error {
	if tx.shared != nil {
		delete(tx.shared.duplicateSettings, s.AccountID)
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO duplicate_settings (account_id, auto_merge, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (account_id) DO UPDATE SET auto_merge = excluded.auto_merge, updated_at = excluded.updated_at`,
		s.AccountID, s.AutoMerge, ts(s.UpdatedAt))
	return dbError(err)
}
