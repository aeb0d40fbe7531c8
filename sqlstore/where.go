package sqlstore

import (
	"database/sql"
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
