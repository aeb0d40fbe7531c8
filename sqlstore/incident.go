package sqlstore

import (
	"context"
	"fmt"
	"time"

	"billbridge"
)

// InsertIncident stores a sync failure an automation reported.
func (tx *Tx) InsertIncident(ctx context.Context, in *billbridge.Incident) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO incidents (account_id, id, source, workflow, execution_url, message, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		in.AccountID, in.ID, in.Source, in.Workflow, in.ExecutionURL, in.Message, ts(in.CreatedAt))
	return dbError(err)
}

// CountIncidents counts the account's incidents in each range
// [bounds[i], bounds[i+1]) over incidents_created.
func (r reader) CountIncidents(ctx context.Context, accountID string, bounds []time.Time) ([]int, error) {
	if len(bounds) < 2 {
		return nil, nil
	}
	out := make([]int, len(bounds)-1)
	for i := range out {
		err := r.q.QueryRowContext(ctx, `SELECT count(*) FROM incidents WHERE account_id = $1 AND created_at >= $2 AND created_at < $3`,
			accountID, ts(bounds[i]), ts(bounds[i+1])).Scan(&out[i])
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RecentIncidents returns at most limit of the account's incidents, newest
// first, over incidents_created.
func (r reader) RecentIncidents(ctx context.Context, accountID string, limit int) ([]billbridge.Incident, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT account_id, id, source, workflow, execution_url, message, created_at FROM incidents
		WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, accountID, limit)
	if err != nil {
		return nil, fmt.Errorf("recent incidents: %w", err)
	}
	defer rows.Close()
	var out []billbridge.Incident
	for rows.Next() {
		var in billbridge.Incident
		if err := rows.Scan(&in.AccountID, &in.ID, &in.Source, &in.Workflow, &in.ExecutionURL, &in.Message, timeCol{&in.CreatedAt}); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}
