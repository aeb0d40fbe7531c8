package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"billbridge"
)

// FindQRBillSettings returns the account's QR-bill settings; ENOTFOUND when
// it has none yet.
func (r reader) FindQRBillSettings(ctx context.Context, accountID string) (*billbridge.QRBillSettings, error) {
	var s billbridge.QRBillSettings
	var creditor string
	var billing int
	err := r.q.QueryRowContext(ctx, `SELECT account_id, iban, eur_iban, creditor, reference_type, qrr_prefix, language,
		billing_information, vat_number, updated_at FROM qr_bill_settings WHERE account_id = $1`, accountID).
		Scan(&s.AccountID, &s.IBAN, &s.EURIBAN, &creditor, &s.ReferenceType, &s.QRRPrefix, &s.Language, &billing,
			&s.VATNumber, timeCol{&s.UpdatedAt})
	if err != nil {
		return nil, notFound(err, "QR-bill settings")
	}
	if err := json.Unmarshal([]byte(creditor), &s.Creditor); err != nil {
		return nil, fmt.Errorf("decode QR-bill creditor: %w", err)
	}
	s.BillingInformation = billing != 0
	return &s, nil
}

// SaveQRBillSettings creates or replaces the account's QR-bill settings.
func (tx *Tx) SaveQRBillSettings(ctx context.Context, s *billbridge.QRBillSettings) error {
	creditor, err := json.Marshal(s.Creditor)
	if err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO qr_bill_settings (account_id, iban, eur_iban, creditor, reference_type,
		qrr_prefix, language, billing_information, vat_number, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (account_id) DO UPDATE SET iban = excluded.iban, eur_iban = excluded.eur_iban, creditor = excluded.creditor,
		reference_type = excluded.reference_type, qrr_prefix = excluded.qrr_prefix, language = excluded.language,
		billing_information = excluded.billing_information, vat_number = excluded.vat_number, updated_at = excluded.updated_at`,
		s.AccountID, s.IBAN, s.EURIBAN, string(creditor), s.ReferenceType, s.QRRPrefix, s.Language, flag(s.BillingInformation),
		s.VATNumber, ts(s.UpdatedAt))
	return dbError(err)
}
