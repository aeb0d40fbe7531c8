package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"billbridge"
)

// SeedInvoices inserts invs with multi-row INSERTs of 400 rows in one
// transaction (one commit, one fsync), for benchmarks that need large
// tables fast. It bypasses events and counters.
func (db *DB) SeedInvoices(ctx context.Context, invs []billbridge.Invoice) error {
	const batch = 400
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for start := 0; start < len(invs); start += batch {
		end := min(start+batch, len(invs))
		var rows []string
		var args []any
		for i := start; i < end; i++ {
			vals, err := invoiceValues(&invs[i])
			if err != nil {
				return err
			}
			marks := make([]string, len(vals))
			for j := range vals {
				// SQLite looks $n up among the names seen so far (quadratic in a
				// 10,000-parameter statement); plain ? is positional.
				marks[j] = "?"
				if db.d.name == pgDialect.name {
					marks[j] = fmt.Sprintf("$%d", len(args)+j+1)
				}
			}
			args = append(args, vals...)
			rows = append(rows, "("+strings.Join(marks, ", ")+")")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO invoices (`+invoiceInsertColumns+`) VALUES `+strings.Join(rows, ", "), args...); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.write.ExecContext(ctx, `ANALYZE`)
	return err
}

// ExplainList returns the plan of the list query FindInvoices, FindEvents
// or FindCustomers runs for filter (an InvoiceFilter, EventFilter or
// CustomerFilter). On PostgreSQL sorts and sequential scans are priced out
// first, so a Sort or Seq Scan in the plan means no index can serve the
// query in its order.
func (db *DB) ExplainList(ctx context.Context, accountID string, filter any) (string, error) {
	var query string
	var args []any
	switch f := filter.(type) {
	case billbridge.InvoiceFilter:
		query, args, _ = invoiceListQuery(accountID, f)
	case billbridge.EventFilter:
		query, args, _ = eventListQuery(accountID, f)
	case billbridge.CustomerFilter:
		query, args, _ = customerListQuery(accountID, f, keyAliases{})
	case billbridge.PaymentFilter:
		query, args, _ = paymentListQuery(accountID, f)
	default:
		return "", fmt.Errorf("no list for %T", filter)
	}
	return db.explain(ctx, query, args)
}

// ExplainDuplicates returns the plan of FindDuplicates' query for f, a page
// after the pair (score in hundredths, a, b) when a is set, priced like
// ExplainList's.
func (db *DB) ExplainDuplicates(ctx context.Context, accountID string, f billbridge.DuplicateFilter, score int, a, b string) (string, error) {
	var after *pairCursor
	if a != "" {
		after = &pairCursor{score: score, a: a, b: b}
	}
	query, args, _ := duplicatesQuery(accountID, f, after)
	return db.explain(ctx, query, args)
}

// ExplainDuplicateWrites returns the plans of the statements a write of
// customer id runs on the duplicate tables: the lookup of block (one arm of
// duplicateCandidates), then the read of its entries and the removal of its pairs as
// a and as b.
func (db *DB) ExplainDuplicateWrites(ctx context.Context, accountID, id, block string) ([]string, error) {
	var plans []string
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{candidateArm(0, 3), []any{accountID, id, block}},
		{selectBlocksOf, []any{accountID, id}},
		{deletePairsAsA, []any{accountID, id}},
		{deletePairsAsB, []any{accountID, id}},
	} {
		plan, err := db.explain(ctx, q.sql, q.args)
		if err != nil {
			return nil, err
		}
		plans = append(plans, plan)
	}
	return plans, nil
}

// PlantDuplicateRows stores n made-up blocks and pairs for account
// accountID straight into the duplicate tables, so that a plan test sees
// tables of a size where the choice of index matters.
func (db *DB) PlantDuplicateRows(ctx context.Context, accountID string, n int) error {
	return db.Atomic(ctx, func(btx billbridge.Tx) error {
		tx := btx.(*Tx)
		for i := range n {
			a, b := fmt.Sprintf("cus_planted%06da", i), fmt.Sprintf("cus_planted%06db", i)
			if _, err := tx.tx.ExecContext(ctx, `INSERT INTO customer_blocks (account_id, block, customer_id) VALUES ($1, $2, $3)`,
				accountID, fmt.Sprintf("n:planted%d", i%97), a); err != nil {
				return err
			}
			if _, err := tx.tx.ExecContext(ctx, `INSERT INTO customer_duplicates (account_id, a_id, b_id, score, reasons) VALUES ($1, $2, $3, 90, 'name')`,
				accountID, a, b); err != nil {
				return err
			}
		}
		return nil
	})
}

// Analyze gathers planner statistics on PostgreSQL, as autovacuum does a
// minute after a bulk load (the test server runs without it); SQLite keeps
// none unless asked, in tests as in production.
func (db *DB) Analyze(ctx context.Context) error {
	if db.d.name != pgDialect.name {
		return nil
	}
	_, err := db.write.ExecContext(ctx, `ANALYZE`)
	return err
}

// ExplainAging returns the plan of the receivables query (AgingRows) as of
// 2026-12-01, priced like ExplainList's.
func (db *DB) ExplainAging(ctx context.Context, accountID string) (string, error) {
	return db.explain(ctx, agingQuery(db.d), []any{accountID, "2026-12-01", "2026-11-30T23:00:00.000000000Z", "2026-12-01T23:00:00.000000000Z"})
}

// ExplainReports returns the plans of the summary's four queries
// (SummaryFacts, October to November 2026) and of the customers report
// (CustomerReceivables, first page and a later one), priced like ExplainList's.
func (db *DB) ExplainReports(ctx context.Context, accountID string) ([]string, error) {
	var plans []string
	invoiced, vat, received, cancelled := summaryQueries(db.d)
	days := []any{accountID, "2026-10-01", "2026-11-30"}
	custFirst, argsFirst := customerReportQuery(accountID, billbridge.CustomerReportFilter{Today: billbridge.MinDate, Sort: billbridge.SortOverdueDesc})
	custNext, argsNext := customerReportQuery(accountID, billbridge.CustomerReportFilter{Today: billbridge.MinDate, Sort: billbridge.SortOutstandingDesc,
		Currency: billbridge.CHF, After: &billbridge.CustomerReportCursor{Amount: 100, CustomerID: "cus_1", Currency: billbridge.CHF}})
	for _, q := range []struct {
		query string
		args  []any
	}{{invoiced, days}, {vat, days}, {received, days}, {cancelled, []any{accountID, "2026-09-30T22:00:00.000000000Z", "2026-11-30T23:00:00.000000000Z"}},
		{custFirst, argsFirst}, {custNext, argsNext}} {
		plan, err := db.explain(ctx, q.query, q.args)
		if err != nil {
			return plans, err
		}
		plans = append(plans, plan)
	}
	return plans, nil
}

// ExplainPaymentStats returns the plan of PaymentStats for one customer
// and for three, priced like ExplainList's.
func (db *DB) ExplainPaymentStats(ctx context.Context, accountID string) ([]string, error) {
	var plans []string
	for _, ids := range [][]string{{"cus_1"}, {"cus_1", "cus_2", "cus_3"}} {
		query, args := paymentStatsQuery(db.d, accountID, ids, billbridge.MinDate)
		plan, err := db.explain(ctx, query, args)
		if err != nil {
			return plans, err
		}
		plans = append(plans, plan)
	}
	return plans, nil
}

// PlannedList returns the plan PostgreSQL (or SQLite) chooses for the list
// query of filter (see ExplainList) as the store runs it: nothing is
// priced out, so the plan shows what the statistics make of the query.
func (db *DB) PlannedList(ctx context.Context, accountID string, f billbridge.InvoiceFilter) (string, error) {
	query, args, _ := invoiceListQuery(accountID, f)
	return db.explainAs(ctx, query, args, false)
}

// explain returns the plan of query, its last column a line, with sorts
// and sequential scans priced out on PostgreSQL.
func (db *DB) explain(ctx context.Context, query string, args []any) (string, error) {
	return db.explainAs(ctx, query, args, true)
}

// explainAs is explain, pricing out sorts and sequential scans only when
// priced is set.
func (db *DB) explainAs(ctx context.Context, query string, args []any, priced bool) (string, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	explain := "EXPLAIN QUERY PLAN "
	if db.d.name == pgDialect.name {
		explain = "EXPLAIN "
	}
	if db.d.name == pgDialect.name && priced {
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_sort = off"); err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			return "", err
		}
	}
	rows, err := tx.QueryContext(ctx, explain+query, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var plan []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		plan = append(plan, fmt.Sprint(vals[len(vals)-1]))
	}
	return strings.Join(plan, "\n"), rows.Err()
}

// IndexDefinition returns the statement that created the index name
// (SQLite's sqlite_master, PostgreSQL's pg_indexes).
func (db *DB) IndexDefinition(ctx context.Context, name string) (string, error) {
	query := `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1`
	if db.d.name == pgDialect.name {
		query = `SELECT indexdef FROM pg_indexes WHERE indexname = $1`
	}
	var def string
	err := db.write.QueryRowContext(ctx, query, name).Scan(&def)
	return def, err
}

// Pragmas returns the value of an SQLite pragma on the write and on the read pool.
func (db *DB) Pragmas(ctx context.Context, name string) (write, read string, err error) {
	if err = db.write.QueryRowContext(ctx, "PRAGMA "+name).Scan(&write); err != nil {
		return
	}
	err = db.read.QueryRowContext(ctx, "PRAGMA "+name).Scan(&read)
	return
}

// ForgetKeys marks the account's customers as keyed by no KeysVersion and
// drops their blocks and duplicate pairs, as a database migrated before
// duplicates existed would hold them.
func (db *DB) ForgetKeys(ctx context.Context, accountID string) error {
	for _, q := range []string{
		`UPDATE customers SET keys_version = 0 WHERE account_id = $1`,
		`DELETE FROM customer_blocks WHERE account_id = $1`,
		`DELETE FROM customer_duplicates WHERE account_id = $1`,
		`DELETE FROM purged_blocks WHERE account_id = $1`,
	} {
		if _, err := db.write.ExecContext(ctx, q, accountID); err != nil {
			return err
		}
	}
	return nil
}

// SeedBlock adds n entries of customers that do not exist to one block of
// the account, their ids sorting before every real one (the oldest of the
// block): a block grows past billbridge.MaxBlockSize without writing
// thousands of customers.
func (db *DB) SeedBlock(ctx context.Context, accountID, block string, n int) error {
	return db.Atomic(ctx, func(btx billbridge.Tx) error {
		tx := btx.(*Tx)
		return tx.insertRows(ctx, "customer_blocks (account_id, block, customer_id)", n, func(i int) []any {
			return []any{accountID, block, fmt.Sprintf("cus_0000%06d", i)}
		})
	})
}

// PurgedBlocks returns the account's blocks marked as over
// billbridge.MaxBlockSize, sorted.
func (db *DB) PurgedBlocks(ctx context.Context, accountID string) ([]string, error) {
	return queryStrings(ctx, db.read, `SELECT block FROM purged_blocks WHERE account_id = $1 ORDER BY block`, accountID)
}

// EntriesOf returns the blocks customer id has an entry in, sorted.
func (db *DB) EntriesOf(ctx context.Context, accountID, id string) ([]string, error) {
	return queryStrings(ctx, db.read, `SELECT block FROM customer_blocks WHERE account_id = $1 AND customer_id = $2 ORDER BY block`,
		accountID, id)
}

// MarkPurged marks one block of the account as over
// billbridge.MaxBlockSize, whatever its size.
func (db *DB) MarkPurged(ctx context.Context, accountID, block string) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO purged_blocks (account_id, block) VALUES ($1, $2)`, accountID, block)
	return err
}

// SetGroupMaxTime sets how long a group commit takes writers in (a test on
// a loaded machine keeps GroupOf's writers in one group).
func (db *DB) SetGroupMaxTime(d time.Duration) { db.group.maxTime = d }

// GroupIsolatedRuns is how many groups run with a savepoint per writer
// after a writer failed in a group without.
const GroupIsolatedRuns = groupIsolatedRuns

// GroupOf runs fns as writers that queued up together on SQLite: in one
// group commit (in order, in one transaction, see leadGroup), and returns
// each one's error. Nothing else may write to db meanwhile.
func (db *DB) GroupOf(ctx context.Context, fns ...func(tx billbridge.Tx) error) []error {
	g := &db.group
	jobs := make([]*groupJob, len(fns))
	g.mu.Lock()
	if g.leading {
		g.mu.Unlock()
		panic("GroupOf: another writer leads")
	}
	for i, fn := range fns {
		jobs[i] = &groupJob{ctx: ctx, fn: fn, wake: make(chan bool, 1)}
		g.queue = append(g.queue, jobs[i])
	}
	g.leading = true
	g.mu.Unlock()
	db.leadGroup()
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		if <-j.wake { // past groupMaxJobs or groupMaxTime: this one leads the next group
			db.leadGroup()
			<-j.wake
		}
		errs[i] = j.err
	}
	return errs
}

// WaitForLockWait returns once a session of this database waits for a lock
// (PostgreSQL), or when ctx ends.
func (db *DB) WaitForLockWait(ctx context.Context) error {
	for {
		var n int
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE NOT l.granted AND a.datname = current_database()`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// HookAfterSeq returns the Seq a hook was subscribed after: it gets the
// account's events above it.
func (db *DB) HookAfterSeq(ctx context.Context, hookID string) (int64, error) {
	var n int64
	err := db.write.QueryRowContext(ctx, `SELECT after_seq FROM hooks WHERE id = $1`, hookID).Scan(&n)
	return n, err
}
