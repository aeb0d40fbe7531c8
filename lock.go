package billbridge

import (
	"context"
	"slices"
)

// LockInvoices locks the account's invoices ids (Tx.LockInvoice) in the
// order of their ids and returns them in the order of ids. Every writer
// that locks several invoices in one transaction takes them in this one
// order, so two such writers wait for each other instead of deadlocking.
// An invoice that does not exist is ENOTFOUND.
func LockInvoices(ctx context.Context, tx Tx, accountID string, ids []string) ([]*Invoice, error) {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	locked := make(map[string]*Invoice, len(ids))
	for _, id := range slices.Compact(sorted) {
		inv, err := tx.LockInvoice(ctx, accountID, id)
		if err != nil {
			return nil, err
		}
		locked[id] = inv
	}
	out := make([]*Invoice, len(ids))
	for i, id := range ids {
		out[i] = locked[id]
	}
	return out, nil
}
