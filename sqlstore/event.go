package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"billbridge"
)

const eventColumns = `id, account_id, type, seq, occurred_at, data`

func scanEvent(r rowScanner) (*billbridge.Event, error) {
	var e billbridge.Event
	var data string
	if err := r.Scan(&e.ID, &e.AccountID, &e.Type, &e.Seq, timeCol{&e.OccurredAt}, &data); err != nil {
		return nil, notFound(err, "event")
	}
	e.Data = json.RawMessage(data)
	return &e, nil
}

// AppendEvent records an event whose data is the JSON of data. When the
// account has a hook the event is written pending its fan-out: FanOut, run
// by the delivery dispatcher after the commit, enqueues one delivery for
// every hook of the account that wants its type, so the writer's
// transaction costs the same however many hooks the account has. An account
// without hooks (most of them: they poll) has nothing to fan out; its
// events are written done and the dispatcher is not woken.
//
// No skipped event, ever: Seq comes from the account's "event" row in
// counters, and the transaction takes that row as late as it can. The event
// is kept in the transaction and written, numbered, when fn has returned,
// just before the commit (flushEvents); a transaction that appends
// eventBatch events (an import) writes them then. Taking the row locks it
// until the transaction ends, so a second transaction of the same account
// that writes events waits for it until the first commits (and then gets the
// next Seq) or rolls back (and then reuses the Seq given back). Within one
// account Seq is therefore handed out in commit order, without gaps: when an
// event with Seq n is visible, every event below n is visible too, and a
// reader walking forward with After never steps over an event that commits
// later. On SQLite the same holds because write transactions run one at a
// time. An account's writes queue only from the events' insert to the
// commit, not for what fn does after AppendEvent.
//
// The returned event has its ID and OccurredAt; its Seq is 0 until the
// events are written (when Atomic has returned nil, it is the committed Seq).
func (tx *Tx) AppendEvent(ctx context.Context, accountID, typ string, data any) (*billbridge.Event, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("encode event data: %w", err)
	}
	e := &billbridge.Event{
		ID:         billbridge.NewID(billbridge.PrefixEvent),
		AccountID:  accountID,
		Type:       typ,
		OccurredAt: tx.clock.Now(),
		Data:       raw,
	}
	tx.events = append(tx.events, e)
	if len(tx.events) >= eventBatch {
		return e, tx.flushEvents(ctx)
	}
	return e, nil
}

// eventBatch is how many appended events a transaction keeps before it
// writes them: what it holds in memory stays bounded.
const eventBatch = 100

// flushEvents writes the events appended and not yet written, one account
// after the other in the order of their ids (two transactions never take
// two accounts' rows in opposite orders): it bumps the account's "event"
// counter by their number and inserts them numbered in the order appended,
// pending when the account has a hook (hookPending).
func (tx *Tx) flushEvents(ctx context.Context) error {
	events := tx.events
	tx.events = nil
	slices.SortStableFunc(events, func(a, b *billbridge.Event) int { return strings.Compare(a.AccountID, b.AccountID) })
	for len(events) > 0 {
		n := 1
		for n < len(events) && events[n].AccountID == events[0].AccountID {
			n++
		}
		mine := events[:n]
		events = events[n:]
		last, pending, err := tx.bumpEvents(ctx, mine[0].AccountID, int64(n))
		if err != nil {
			return err
		}
		for i, e := range mine {
			e.Seq = last - int64(n-1-i)
		}
		if err := tx.insertRows(ctx, "events ("+eventColumns+", pending)", n, func(i int) []any {
			e := mine[i]
			return []any{e.ID, e.AccountID, e.Type, e.Seq, ts(e.OccurredAt), string(e.Data), pending}
		}); err != nil {
			return fmt.Errorf("insert events: %w", err)
		}
	}
	return nil
}

// bumpEvents bumps the account's "event" counter by n and returns its new
// value and hookPending's answer. On SQLite, whose writers run one at a
// time, the statement that takes the counter row also tells whether the
// account has a hook: one statement instead of two. PostgreSQL asks in a
// statement of its own, which sees a hook committed while the bump waited
// for the row (a subquery of the bump would read the snapshot the bump
// started with).
func (tx *Tx) bumpEvents(ctx context.Context, accountID string, n int64) (last int64, pending int, err error) {
	if tx.d.forUpdate == "" && tx.counters[counterKey{accountID, "event"}] == nil {
		var has bool
		last, err = tx.bumpCounterReturning(ctx, accountID, "event", n, `, EXISTS (SELECT 1 FROM hooks WHERE account_id = $1)`, &has)
		if err != nil || !has {
			return last, 0, err
		}
		tx.wake = true
		return last, 1, nil
	}
	if last, err = tx.bumpCounter(ctx, accountID, "event", n); err != nil {
		return 0, 0, err
	}
	pending, err = tx.hookPending(ctx, accountID)
	return last, pending, err
}

// hookPending returns 1 when the account has a hook, and then marks the
// transaction as one whose commit wakes the delivery dispatcher; else 0.
// It runs after the account's "event" counter row is taken: InsertHook
// takes that row too before it reads the Seq its hook starts after, so a
// hook committed before this statement is seen here (on PostgreSQL each
// statement reads what committed before it), and one committed after it
// starts after these events.
func (tx *Tx) hookPending(ctx context.Context, accountID string) (int, error) {
	var has bool
	if err := tx.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM hooks WHERE account_id = $1)`, accountID).Scan(&has); err != nil {
		return 0, dbError(fmt.Errorf("account hooks: %w", err))
	}
	if !has {
		return 0, nil
	}
	tx.wake = true
	return 1, nil
}

// FindEvents pages through the account's events by Seq: ascending after
// f.After, or descending (newest first) before f.Before (0: from the
// newest); both bounds apply when set. Types filters by type (index
// events_type), empty meaning all.
func (r reader) FindEvents(ctx context.Context, accountID string, f billbridge.EventFilter) (billbridge.Page[billbridge.Event], error) {
	query, args, limit := eventListQuery(accountID, f)
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return billbridge.Page[billbridge.Event]{}, err
	}
	return collect(rows, limit, r.pageBytes, scanEvent)
}

// eventListQuery returns the query of FindEvents and its page size. One
// type reads the index (account_id, type, seq). Several types read one such
// index range per type, each cut at the page size, and merge them: a plain
// "type IN (…)" would make SQLite sort every matching event of the account,
// so the page would cost more as the account grows.
func eventListQuery(accountID string, f billbridge.EventFilter) (string, []any, int) {
	w := newWhere(accountID)
	if f.After > 0 {
		w.add("seq > ?", f.After)
	}
	if f.Before > 0 {
		w.add("seq < ?", f.Before)
	}
	order := "DESC"
	if f.Ascending {
		order = "ASC"
	}
	limit := pageLimit(f.Limit)
	tail := ` ORDER BY seq ` + order + ` LIMIT ` + fmt.Sprint(limit+1)
	f.Types = slices.Compact(slices.Sorted(slices.Values(f.Types))) // a type named twice is read once
	if len(f.Types) <= 1 {
		if len(f.Types) == 1 {
			w.add("type = ?", f.Types[0])
		}
		return `SELECT ` + eventColumns + ` FROM events WHERE ` + w.sql() + tail, w.args, limit
	}
	base := w.sql()
	arms := make([]string, len(f.Types))
	for i, t := range f.Types {
		w.args = append(w.args, t)
		arms[i] = fmt.Sprintf(`SELECT * FROM (SELECT %s FROM events WHERE %s AND type = $%d%s) AS t%d`,
			eventColumns, base, len(w.args), tail, i)
	}
	return `SELECT ` + eventColumns + ` FROM (` + strings.Join(arms, ` UNION ALL `) + `) AS u` + tail, w.args, limit
}

// LatestEventSeq returns the account's highest visible Seq, 0 when none.
func (r reader) LatestEventSeq(ctx context.Context, accountID string) (int64, error) {
	var n int64
	err := r.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM events WHERE account_id = $1`, accountID).Scan(&n)
	return n, err
}
