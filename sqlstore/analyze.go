package sqlstore

import (
	"context"
	"maps"
	"slices"
)

// analyzeAfter is how many rows a PostgreSQL transaction inserts into one
// table (an import, a seed batch) before its commit has that table
// analyzed at once.
const analyzeAfter = 1000

// grew counts one row this transaction inserted into table (PostgreSQL
// only: SQLite plans without statistics, and its writers need no map).
func (tx *Tx) grew(table string) {
	if tx.d.name != pgDialect.name {
		return
	}
	if tx.inserted == nil {
		tx.inserted = map[string]int{}
	}
	tx.inserted[table]++
}

// analyzeGrown runs ANALYZE on each table a committed transaction inserted
// analyzeAfter rows or more into (PostgreSQL only). Its statistics were
// taken before those rows existed: an account that received 10,000
// invoices in one import was estimated at a handful, and its unpaid list
// read invoices_dunning and sorted them all (106 ms a page) instead of
// reading invoices_unpaid backwards (2 ms) until autovacuum analyzed the
// table, up to a minute later. The commit stands whatever ANALYZE does: a
// failure is logged.
func (db *DB) analyzeGrown(ctx context.Context, inserted map[string]int) {
	if db.d.name != pgDialect.name {
		return
	}
	for _, table := range slices.Sorted(maps.Keys(inserted)) {
		if inserted[table] < analyzeAfter {
			continue
		}
		if _, err := db.write.ExecContext(ctx, `ANALYZE `+table); err != nil {
			db.logger.WarnContext(ctx, "analyze after a large write", "table", table, "err", err)
		}
	}
}
