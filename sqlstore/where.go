package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"billbridge"
)

// where builds the conditions of a list query: account_id first, then
// filters written with ? that become $n placeholders.
type where struct {
	conds []string
	args  []any
}

func newWhere(accountID string) *where {
	return &where{conds: []string{"account_id = $1"}, args: []any{accountID}}
}

// add appends cond, replacing each ? with the next $n for args.
func (w *where) add(cond string, args ...any) {
	var b strings.Builder
	for _, r := range cond {
		if r == '?' {
			w.args = append(w.args, args[0])
			args = args[1:]
			b.WriteString("$" + strconv.Itoa(len(w.args)))
			continue
		}
		b.WriteRune(r)
	}
	w.conds = append(w.conds, b.String())
}

// after adds the keyset condition of a newest-first page.
func (w *where) after(startingAfter string) {
	if startingAfter != "" {
		w.add("id < ?", startingAfter)
	}
}

// checkCursor refuses a starting_after that names no row of table in the
// account: billbridge never issued it (an id made up, mistyped, of another
// account or of another list), and paging from it would answer an empty or
// wrong page instead of saying so. ECURSORINVALID naming starting_after.
func checkCursor(ctx context.Context, q querier, table, accountID, startingAfter string) error {
	if startingAfter == "" {
		return nil
	}
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE account_id = $1 AND id = $2`, accountID, startingAfter).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return &billbridge.Error{Code: billbridge.ECURSORINVALID,
			Message: "starting_after is not the id of an item of this list (a next_cursor billbridge returned).",
			Fields:  []billbridge.FieldError{{Name: "starting_after", Reason: "names no " + strings.TrimSuffix(table, "s") + " of this account"}}}
	}
	return err
}

func (w *where) sql() string { return strings.Join(w.conds, " AND ") }

// affected turns an UPDATE that matched no row into ENOTFOUND for kind.
func affected(res sql.Result, err error, kind string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return billbridge.NotFound(kind)
	}
	return nil
}
