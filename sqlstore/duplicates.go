package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"billbridge"
)

// refreshDuplicates stores c's blocks and its scored pairs anew. On
// PostgreSQL it first takes the account's "duplicates" counter row, so two
// customer writes of one account refresh one after the other and the second
// sees the first's rows (each statement of a READ COMMITTED transaction
// reads what committed before it): two customers written at once still
// pair. The same row orders the writes of purged_blocks
// (duplicateCandidates). SQLite's writers already run one after the other
// (its dialect has no forUpdate), so there the row would be one more
// statement that orders nothing.
//
// c enters only the blocks purged_blocks does not mark: a marked block is
// never read, so its entries would be writes that no candidate comes from
// (three of a typical new customer's four blocks in a large account: its
// mail domain, its common name words). The entries c already has stay as
// they are; a block c leaves loses its entry (forgetDuplicates). A new
// customer (created) has no entries or pairs yet: nothing to forget.
func (tx *Tx) refreshDuplicates(ctx context.Context, c *billbridge.Customer, created bool) error {
	tx.written = writtenPairs{}
	if tx.d.forUpdate != "" {
		if _, err := tx.nextCounter(ctx, c.AccountID, "duplicates"); err != nil {
			return err
		}
	}
	blocks := billbridge.DuplicateBlocks(billbridge.KeysOf(c))
	var entered []string // the blocks c has an entry in already
	if !created {
		var err error
		if entered, err = tx.forgetDuplicates(ctx, c.AccountID, c.ID, blocks); err != nil {
			return err
		}
	}
	var pairs []billbridge.Duplicate
	if len(blocks) > 0 {
		asked, err := tx.unmarked(ctx, c.AccountID, blocks)
		if err != nil {
			return err
		}
		enter := slices.DeleteFunc(slices.Clone(asked), func(b string) bool { return slices.Contains(entered, b) })
		if err := tx.insertRows(ctx, "customer_blocks (account_id, block, customer_id)", len(enter), func(i int) []any {
			return []any{c.AccountID, enter[i], c.ID}
		}); err != nil {
			return err
		}
		candidates, err := tx.duplicateCandidates(ctx, c.AccountID, c.ID, blocks, asked)
		if err != nil {
			return err
		}
		if len(candidates) > 0 {
			pairs = billbridge.Matches(c, candidates)
		}
		if err := tx.insertRows(ctx, "customer_duplicates (account_id, a_id, b_id, score, reasons)", len(pairs), func(i int) []any {
			p := pairs[i]
			return []any{c.AccountID, p.A.ID, p.B.ID, storedScore(p.Score), strings.Join(p.Reasons, ",")}
		}); err != nil {
			return err
		}
	}
	tx.written = writtenPairs{accountID: c.AccountID, id: c.ID, pairs: pairs}
	return nil
}

// storedScore is a score as customer_duplicates stores it: in hundredths.
func storedScore(score float64) int { return int(math.Round(score * 100)) }

// writtenPairs are all the pairs of customer id, as the last
// refreshDuplicates of a transaction stored them (nothing else writes
// customer_duplicates but refreshDuplicates and forgetDuplicates, and each
// forgets them first); id is "" when there are none to tell.
type writtenPairs struct {
	accountID, id string
	pairs         []billbridge.Duplicate
}

// FindPairsOf returns the other customers of id's pairs scoring at least
// minScore, best first (then by the pair's ids), at most limit, as
// FindDuplicates lists them. Right after this transaction wrote id
// (InsertCustomer, UpdateCustomer) it answers from the pairs that write
// stored, without reading them back; otherwise it asks FindDuplicates.
func (tx *Tx) FindPairsOf(ctx context.Context, accountID, id string, minScore float64, limit int) ([]billbridge.PairOf, error) {
	if w := tx.written; w.id == id && w.accountID == accountID && w.id != "" {
		floor := minStoredScore(minScore)
		var kept []billbridge.Duplicate
		for _, p := range w.pairs {
			if storedScore(p.Score) >= floor {
				kept = append(kept, p)
			}
		}
		slices.SortFunc(kept, func(a, b billbridge.Duplicate) int {
			return cmp.Or(cmp.Compare(storedScore(b.Score), storedScore(a.Score)), cmp.Compare(a.A.ID, b.A.ID), cmp.Compare(a.B.ID, b.B.ID))
		})
		kept = kept[:min(len(kept), pageLimit(limit))]
		out := make([]billbridge.PairOf, 0, len(kept))
		for _, p := range kept {
			reasons := p.Reasons
			if len(reasons) == 0 {
				reasons = []string{}
			}
			out = append(out, pairOf(id, p.A.ID, p.B.ID, billbridge.Match{Score: float64(storedScore(p.Score)) / 100, Reasons: reasons}))
		}
		return out, nil
	}
	page, err := tx.FindDuplicates(ctx, accountID, billbridge.DuplicateFilter{CustomerID: id, MinScore: minScore,
		PageParams: billbridge.PageParams{Limit: limit}})
	if err != nil {
		return nil, err
	}
	out := make([]billbridge.PairOf, 0, len(page.Data))
	for _, d := range page.Data {
		out = append(out, pairOf(id, d.A.ID, d.B.ID, d.Match))
	}
	return out, nil
}

// pairOf is the pair (a, b) seen from its customer id.
func pairOf(id, a, b string, m billbridge.Match) billbridge.PairOf {
	if a == id {
		return billbridge.PairOf{ID: b, Match: m}
	}
	return billbridge.PairOf{ID: a, Match: m}
}

// minStoredScore is the lowest stored score (hundredths) at or above score.
func minStoredScore(score float64) int { return int(math.Ceil(score*100 - 1e-9)) }

// The statements that read and remove one customer's entries and pairs ($1
// the account, $2 the customer). Migration 00017 keeps PostgreSQL from
// planning them (and candidateArm) on statistics older than the account.
const (
	selectBlocksOf = `SELECT block FROM customer_blocks WHERE account_id = $1 AND customer_id = $2`
	deletePairsAsA = `DELETE FROM customer_duplicates WHERE account_id = $1 AND a_id = $2`
	deletePairsAsB = `DELETE FROM customer_duplicates WHERE account_id = $1 AND b_id = $2`
)

// forgetDuplicates removes the pairs of one customer and its entries of
// the blocks not among kept (the blocks it is written with again, nil when
// it goes), and returns the blocks of kept it keeps its entry in. A block
// it leaves has shrunk: its purged mark goes, so the next write counts it
// again.
func (tx *Tx) forgetDuplicates(ctx context.Context, accountID, id string, kept []string) ([]string, error) {
	tx.written = writtenPairs{}
	blocks, err := queryStrings(ctx, tx.tx, selectBlocksOf, accountID, id)
	if err != nil {
		return nil, err
	}
	var stays, leaves []string
	for _, b := range blocks {
		if slices.Contains(kept, b) {
			stays = append(stays, b)
		} else {
			leaves = append(leaves, b)
		}
	}
	if len(leaves) > 0 {
		args := []any{accountID}
		for _, b := range leaves {
			args = append(args, b)
		}
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM purged_blocks WHERE account_id = $1 AND block IN (`+marks(2, len(leaves))+`)`,
			args...); err != nil {
			return nil, err
		}
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM customer_blocks WHERE account_id = $1 AND block IN (`+marks(2, len(leaves))+`)
			AND customer_id = $`+fmt.Sprint(len(args)+1), append(args, id)...); err != nil {
			return nil, err
		}
	}
	// Two statements, each on its own index: SQLite reads "a_id = $2 OR
	// b_id = $2" as a scan of every pair of the account.
	if _, err := tx.tx.ExecContext(ctx, deletePairsAsA, accountID, id); err != nil {
		return nil, err
	}
	_, err = tx.tx.ExecContext(ctx, deletePairsAsB, accountID, id)
	return stays, err
}

// candidateArm is one arm of duplicateCandidates' statement, numbered arm:
// the size of the block in parameter $param (counted to MaxBlockSize+1) and,
// when within MaxBlockSize, its newest customers other than $2, both one
// range of the primary key (account_id, block, customer_id).
func candidateArm(arm, param int) string {
	return fmt.Sprintf(`SELECT %[3]d AS arm, n%[3]d.n, b%[3]d.customer_id
			FROM (SELECT count(*) AS n FROM (SELECT 1 FROM customer_blocks WHERE account_id = $1 AND block = $%[1]d
				LIMIT %[4]d) c%[3]d) n%[3]d
			LEFT JOIN (SELECT customer_id FROM customer_blocks WHERE account_id = $1 AND block = $%[1]d AND customer_id <> $2
				ORDER BY customer_id DESC LIMIT %[2]d) b%[3]d ON n%[3]d.n <= %[5]d`,
		param, billbridge.MaxDuplicateCandidates, arm, billbridge.MaxBlockSize+1, billbridge.MaxBlockSize)
}

// unmarked returns the blocks of the account that purged_blocks does not
// mark, in their order.
func (tx *Tx) unmarked(ctx context.Context, accountID string, blocks []string) ([]string, error) {
	args := []any{accountID}
	for _, b := range blocks {
		args = append(args, b)
	}
	purged, err := queryStrings(ctx, tx.tx, `SELECT block FROM purged_blocks WHERE account_id = $1 AND block IN (`+marks(2, len(blocks))+`)`, args...)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(slices.Clone(blocks), func(b string) bool { return slices.Contains(purged, b) }), nil
}

// duplicateCandidates returns the customers sharing one of the blocks
// asked (the unmarked of id's blocks, id's entry written in each) with id
// (their id, account and the fields billbridge.KeysOf reads), those
// sharing the most first, at most billbridge.MaxDuplicateCandidates. A
// block shared by more than billbridge.MaxBlockSize customers (id's own
// entry included) is left out (block purging): counting stops at
// MaxBlockSize+1 index entries, and the block is then marked in
// purged_blocks, so later writes skip it without counting or entering it
// (until an entry leaves it, forgetDuplicates). The others are read newest
// first and only so far (MaxDuplicateCandidates ids), so a common block
// costs a write no more than a rare one. A candidate that shares only name blocks must share
// two of them when the name has two: one common word ("Bäckerei") makes no
// candidate.
func (tx *Tx) duplicateCandidates(ctx context.Context, accountID, id string, blocks, asked []string) ([]billbridge.Customer, error) {
	shared := map[string]int{}
	strong := map[string]bool{}
	nameBlocks := 0
	for _, b := range blocks {
		if strings.HasPrefix(b, "n:") {
			nameBlocks++
		}
	}
	if len(asked) == 0 {
		return nil, nil
	}
	// One statement for the blocks not marked: a UNION ALL of one arm per
	// block.
	args := []any{accountID, id}
	parts := make([]string, len(asked))
	for i, b := range asked {
		args = append(args, b)
		parts[i] = candidateArm(i, len(args))
	}
	rows, err := tx.tx.QueryContext(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return nil, err
	}
	var purged []string
	for rows.Next() {
		var arm, n int
		var cid sql.NullString
		if err := rows.Scan(&arm, &n, &cid); err != nil {
			rows.Close()
			return nil, err
		}
		block := asked[arm]
		if n > billbridge.MaxBlockSize {
			purged = append(purged, block)
			continue
		}
		if !cid.Valid {
			continue
		}
		shared[cid.String]++
		if !strings.HasPrefix(block, "n:") {
			strong[cid.String] = true
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	if err := tx.insertRows(ctx, "purged_blocks (account_id, block)", len(purged), func(i int) []any {
		return []any{accountID, purged[i]}
	}); err != nil {
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
	rows, err = tx.tx.QueryContext(ctx, `SELECT `+candidateColumns+` FROM customers
		WHERE account_id = $1 AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []billbridge.Customer
	for rows.Next() {
		c := billbridge.Customer{AccountID: accountID}
		var addr string
		if err := rows.Scan(&c.ID, &c.Kind, &c.Name, &c.Email, &c.Phone, &c.VATNumber, strCol{&addr}); err != nil {
			return nil, err
		}
		if c.Address, err = decodeAddress(addr); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// candidateColumns are the columns billbridge.KeysOf reads: a write reads
// up to MaxDuplicateCandidates candidates, with these only instead of all of
// customerColumns and both addresses.
const candidateColumns = `id, kind, name, email, phone, vat_number, address`

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
// first, then by the pair's ids; each pair with both customers. The page is
// cut from the pairs before their customers are read (2 × limit primary-key
// reads), and from index ranges in the list's order: the account's pairs
// above min_score on the score index (after a cursor: the rest of its score,
// then the lower scores), or one customer's pairs on its two indexes. A page
// therefore costs the same whatever the number of customers and pairs.
func (r reader) FindDuplicates(ctx context.Context, accountID string, f billbridge.DuplicateFilter) (billbridge.Page[billbridge.Duplicate], error) {
	var after *pairCursor
	if f.StartingAfter != "" {
		a, b, _ := strings.Cut(f.StartingAfter, "~")
		after = &pairCursor{a: a, b: b}
		err := r.q.QueryRowContext(ctx, `SELECT score FROM customer_duplicates WHERE account_id = $1 AND a_id = $2 AND b_id = $3`,
			accountID, a, b).Scan(&after.score)
		if err != nil {
			if billbridge.ErrorCode(notFound(err, "")) == billbridge.ENOTFOUND {
				return billbridge.Page[billbridge.Duplicate]{}, &billbridge.Error{Code: billbridge.ECURSORINVALID,
					Message: "starting_after is not the cursor of a listed pair of possible duplicates.",
					Fields:  []billbridge.FieldError{{Name: "starting_after", Reason: "names no listed pair of possible duplicates"}}}
			}
			return billbridge.Page[billbridge.Duplicate]{}, err
		}
	}
	query, args, limit := duplicatesQuery(accountID, f, after)
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return billbridge.Page[billbridge.Duplicate]{}, err
	}
	return collect(rows, limit, r.pageBytes, scanDuplicate)
}

// pairCursor is the pair a page of duplicates starts after.
type pairCursor struct {
	score int
	a, b  string
}

// pairOrder is the order of the duplicates list.
const pairOrder = ` ORDER BY score DESC, a_id, b_id`

// duplicatesQuery returns the query of FindDuplicates and its page size.
// Each arm of the UNION ALL is one index range cut at the page size; the
// arms are merged, cut again, and only then joined to the customers.
func duplicatesQuery(accountID string, f billbridge.DuplicateFilter, after *pairCursor) (string, []any, int) {
	w := newWhere(accountID)
	w.add("score >= ?", minStoredScore(f.MinScore))
	limit := pageLimit(f.Limit)
	tail := pairOrder + ` LIMIT ` + fmt.Sprint(limit+1)
	var ranges []string
	if f.CustomerID != "" {
		// One customer's pairs: its two index ranges (a_id, b_id); "a_id = ?
		// OR b_id = ?" would read every pair of the account above min_score.
		if after != nil {
			w.add("(score < ? OR score = ? AND (a_id > ? OR a_id = ? AND b_id > ?))", after.score, after.score, after.a, after.a, after.b)
		}
		base := w.sql()
		w.args = append(w.args, f.CustomerID)
		n := len(w.args)
		ranges = []string{fmt.Sprintf("%s AND a_id = $%d", base, n), fmt.Sprintf("%s AND b_id = $%d", base, n)}
	} else if after != nil {
		// The rest of the cursor's score, then the lower scores: two ranges of
		// the score index, so a deep page reads no more than the first.
		base := w.sql()
		w.args = append(w.args, after.score, after.a, after.b)
		n := len(w.args)
		ranges = []string{fmt.Sprintf("%s AND score = $%d AND (a_id, b_id) > ($%d, $%d)", base, n-2, n-1, n),
			fmt.Sprintf("%s AND score < $%d", base, n-2)}
	} else {
		ranges = []string{w.sql()}
	}
	const cols = `account_id, a_id, b_id, score, reasons`
	pairs := fmt.Sprintf(`SELECT %s FROM customer_duplicates WHERE %s%s`, cols, ranges[0], tail)
	if len(ranges) > 1 {
		arms := make([]string, len(ranges))
		for i, cond := range ranges {
			arms[i] = fmt.Sprintf(`SELECT * FROM (SELECT %s FROM customer_duplicates WHERE %s%s) AS r%d`, cols, cond, tail, i)
		}
		pairs = `SELECT ` + cols + ` FROM (` + strings.Join(arms, ` UNION ALL `) + `) AS u` + tail
	}
	return `SELECT d.score, d.reasons, ` + prefixed("a", customerColumns) + `, ` + prefixed("b", customerColumns) + `
		FROM (` + pairs + `) d
		JOIN customers a ON a.account_id = d.account_id AND a.id = d.a_id
		JOIN customers b ON b.account_id = d.account_id AND b.id = d.b_id
		ORDER BY d.score DESC, d.a_id, d.b_id`, w.args, limit
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
