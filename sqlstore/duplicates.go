package sqlstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"billbridge"
)

// refreshDuplicates stores c's blocks and its scored pairs anew. It first
// takes the account's "duplicates" counter row, so two customer writes of
// one account refresh one after the other and the second sees the first's
// rows (on PostgreSQL each statement of a READ COMMITTED transaction reads
// what committed before it): two customers written at once still pair.
//
// A new customer (created) has no blocks or pairs yet: nothing to forget.
func (tx *Tx) refreshDuplicates(ctx context.Context, c *billbridge.Customer, created bool) error {
	if _, err := tx.nextCounter(ctx, c.AccountID, "duplicates"); err != nil {
		return err
	}
	if !created {
		if err := tx.forgetDuplicates(ctx, c.AccountID, c.ID); err != nil {
			return err
		}
	}
	blocks := billbridge.DuplicateBlocks(billbridge.KeysOf(c))
	if len(blocks) == 0 {
		return nil
	}
	if err := tx.insertRows(ctx, "customer_blocks (account_id, block, customer_id)", len(blocks), func(i int) []any {
		return []any{c.AccountID, blocks[i], c.ID}
	}); err != nil {
		return err
	}
	candidates, err := tx.duplicateCandidates(ctx, c.AccountID, c.ID, blocks)
	if err != nil {
		return err
	}
	pairs := billbridge.Matches(c, candidates)
	return tx.insertRows(ctx, "customer_duplicates (account_id, a_id, b_id, score, reasons)", len(pairs), func(i int) []any {
		p := pairs[i]
		return []any{c.AccountID, p.A.ID, p.B.ID, int(math.Round(p.Score * 100)), strings.Join(p.Reasons, ",")}
	})
}

// forgetDuplicates removes the blocks and pairs of one customer.
func (tx *Tx) forgetDuplicates(ctx context.Context, accountID, id string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM customer_blocks WHERE account_id = $1 AND customer_id = $2`, accountID, id); err != nil {
		return err
	}
	// Two statements, each on its own index: SQLite reads "a_id = $2 OR
	// b_id = $2" as a scan of every pair of the account.
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM customer_duplicates WHERE account_id = $1 AND a_id = $2`, accountID, id); err != nil {
		return err
	}
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM customer_duplicates WHERE account_id = $1 AND b_id = $2`, accountID, id)
	return err
}

// duplicateCandidates returns the customers sharing a block with id, those
// sharing the most first, at most billbridge.MaxDuplicateCandidates. A
// block shared by more than billbridge.MaxBlockSize customers (id's own
// entry, written first, included) is left out (block purging; counting
// stops at MaxBlockSize+1 index entries); the
// others are read newest first and only so far (MaxDuplicateCandidates ids),
// so a common block costs a write no more than a rare one. A candidate that
// shares only name blocks must share two of them when the name has two: one
// common word ("Bäckerei") makes no candidate.
func (tx *Tx) duplicateCandidates(ctx context.Context, accountID, id string, blocks []string) ([]billbridge.Customer, error) {
	shared := map[string]int{}
	strong := map[string]bool{}
	nameBlocks := 0
	// One statement for all blocks: a UNION ALL of one index range per block.
	args := []any{accountID, id}
	parts := make([]string, len(blocks))
	for i, b := range blocks {
		if strings.HasPrefix(b, "n:") {
			nameBlocks++
		}
		args = append(args, b)
		parts[i] = fmt.Sprintf(`SELECT * FROM (SELECT block, customer_id FROM customer_blocks
			WHERE account_id = $1 AND block = $%[1]d AND customer_id <> $2
			ORDER BY customer_id DESC LIMIT %[2]d) b%[3]d
			WHERE (SELECT count(*) FROM (SELECT 1 FROM customer_blocks WHERE account_id = $1 AND block = $%[1]d
				LIMIT %[4]d) n%[3]d) <= %[5]d`, len(args), billbridge.MaxDuplicateCandidates, i, billbridge.MaxBlockSize+1, billbridge.MaxBlockSize)
	}
	rows, err := tx.tx.QueryContext(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var block, cid string
		if err := rows.Scan(&block, &cid); err != nil {
			rows.Close()
			return nil, err
		}
		shared[cid]++
		if !strings.HasPrefix(block, "n:") {
			strong[cid] = true
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	for cid, n := range shared {
		if !strong[cid] && n < min(2, nameBlocks) {
			delete(shared, cid)
		}
	}
	ids := slices.Collect(maps.Keys(shared))
	slices.SortFunc(ids, func(a, b string) int {
		if c := cmp.Compare(shared[b], shared[a]); c != 0 {
			return c
		}
		return cmp.Compare(b, a)
	})
	ids = ids[:min(len(ids), billbridge.MaxDuplicateCandidates)]
	if len(ids) == 0 {
		return nil, nil
	}
	args = []any{accountID}
	marks := make([]string, len(ids))
	for i, cid := range ids {
		args = append(args, cid)
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	rows, err = tx.tx.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers
		WHERE account_id = $1 AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []billbridge.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// insertRows inserts n rows into table (with its column list), 100 a statement.
func (tx *Tx) insertRows(ctx context.Context, table string, n int, row func(i int) []any) error {
	for start := 0; start < n; start += 100 {
		var args []any
		var tuples []string
		for i := start; i < min(n, start+100); i++ {
			vals := row(i)
			marks := make([]string, len(vals))
			for j, v := range vals {
				args = append(args, v)
				marks[j] = fmt.Sprintf("$%d", len(args))
			}
			tuples = append(tuples, "("+strings.Join(marks, ", ")+")")
		}
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO `+table+` VALUES `+strings.Join(tuples, ", "), args...); err != nil {
			return dbError(err)
		}
	}
	return nil
}

// prefixed qualifies every column of a column list with alias.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// FindDuplicates lists the account's possible duplicates, highest score
// first, then by the pair's ids; each pair with both customers.
func (r reader) FindDuplicates(ctx context.Context, accountID string, f billbridge.DuplicateFilter) (billbridge.Page[billbridge.Duplicate], error) {
	w := newWhere(accountID)
	w.conds[0] = "d.account_id = $1"
	// One customer's pairs: its two index ranges (a_id, b_id), sorted after;
	// "a_id = ? OR b_id = ?" would read every pair of the account above
	// min_score on the score index.
	pairs := "customer_duplicates d"
	if f.CustomerID != "" {
		w.args = append(w.args, f.CustomerID)
		n := len(w.args)
		pairs = fmt.Sprintf(`(SELECT * FROM customer_duplicates WHERE account_id = $1 AND a_id = $%[1]d
			UNION ALL SELECT * FROM customer_duplicates WHERE account_id = $1 AND b_id = $%[1]d) d`, n)
	}
	w.add("d.score >= ?", int(math.Ceil(f.MinScore*100-1e-9)))
	if f.StartingAfter != "" {
		a, b, _ := strings.Cut(f.StartingAfter, "~")
		var score int
		err := r.q.QueryRowContext(ctx, `SELECT score FROM customer_duplicates WHERE account_id = $1 AND a_id = $2 AND b_id = $3`,
			accountID, a, b).Scan(&score)
		if err != nil {
			if billbridge.ErrorCode(notFound(err, "")) == billbridge.ENOTFOUND {
				return billbridge.Page[billbridge.Duplicate]{}, &billbridge.Error{Code: billbridge.ECURSORINVALID,
					Message: "starting_after is not the cursor of a listed pair of possible duplicates.",
					Fields:  []billbridge.FieldError{{Name: "starting_after", Reason: "names no listed pair of possible duplicates"}}}
			}
			return billbridge.Page[billbridge.Duplicate]{}, err
		}
		w.add("(d.score < ? OR d.score = ? AND (d.a_id > ? OR d.a_id = ? AND d.b_id > ?))", score, score, a, a, b)
	}
	limit := pageLimit(f.Limit)
	rows, err := r.q.QueryContext(ctx, `SELECT d.score, d.reasons, `+prefixed("a", customerColumns)+`, `+prefixed("b", customerColumns)+`
		FROM `+pairs+`
		JOIN customers a ON a.account_id = d.account_id AND a.id = d.a_id
		JOIN customers b ON b.account_id = d.account_id AND b.id = d.b_id
		WHERE `+w.sql()+` ORDER BY d.score DESC, d.a_id, d.b_id LIMIT `+fmt.Sprint(limit+1), w.args...)
	if err != nil {
		return billbridge.Page[billbridge.Duplicate]{}, err
	}
	return collect(rows, limit, r.pageBytes, scanDuplicate)
}

func scanDuplicate(r rowScanner) (*billbridge.Duplicate, error) {
	var score int
	var reasons string
	var a, b customerRow
	if err := r.Scan(append(append([]any{&score, &reasons}, a.dest()...), b.dest()...)...); err != nil {
		return nil, err
	}
	ca, err := a.customer()
	if err != nil {
		return nil, err
	}
	cb, err := b.customer()
	if err != nil {
		return nil, err
	}
	d := &billbridge.Duplicate{A: *ca, B: *cb, Match: billbridge.Match{Score: float64(score) / 100, Reasons: strings.Split(reasons, ",")}}
	if reasons == "" {
		d.Reasons = []string{}
	}
	return d, nil
}
