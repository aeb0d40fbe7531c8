package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"time"

	"billbridge"
)

// Group commit on SQLite. Its writers run one at a time on one connection,
// and with synchronous=FULL every commit waits for the disk (an fsync of the
// WAL, milliseconds on a busy disk): sixteen clients writing at once queued
// up behind each other's fsync. Atomic on SQLite therefore hands fn to a
// group: the first writer to arrive leads and runs, in one transaction, its
// own fn and those of the writers that queue up meanwhile (up to
// groupMaxJobs, for at most groupMaxTime), then commits once. Every
// writer's Atomic returns only after that commit: what was acknowledged is
// on disk, as before. A fn that fails is rolled back alone (see leadGroup);
// the others commit. The leader then hands the lead to the first writer
// still waiting.
const (
	groupMaxJobs      = 64
	groupMaxTime      = 25 * time.Millisecond
	groupIsolatedRuns = 8
)

// errGroupAborted is what the writers of a group get when the group's
// transaction ended under them (a fn interrupted by its context rolls back
// the whole SQLite transaction): Atomic runs their fn again.
var errGroupAborted = fmt.Errorf("sqlite: the group's transaction was rolled back: %w", billbridge.ErrRetry)

// group queues the writers of one SQLite store.
type group struct {
	mu      sync.Mutex
	queue   []*groupJob
	leading bool
	// isolated counts the groups still to run with a savepoint per writer
	// after a writer failed (leadGroup); only the leader uses it.
	isolated int
	// maxTime is how long a group takes writers in, groupMaxTime when 0.
	maxTime time.Duration
}

type groupJob struct {
	ctx      context.Context
	fn       func(tx billbridge.Tx) error
	wake     chan bool // true: lead now; false: done, err is set
	err      error
	panicked any
}

// atomicGroup runs fn once in the group's next transaction (see above) and
// returns when that transaction committed or fn failed.
func (db *DB) atomicGroup(ctx context.Context, fn func(tx billbridge.Tx) error) error {
	g := &db.group
	j := &groupJob{ctx: ctx, fn: fn, wake: make(chan bool, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, j)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if lead || <-j.wake {
		db.leadGroup()
	}
	if j.panicked != nil {
		panic(j.panicked)
	}
	return j.err
}

// take returns the next queued writer, nil when none is waiting.
func (g *group) take() *groupJob {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		return nil
	}
	j := g.queue[0]
	g.queue[0] = nil
	g.queue = g.queue[1:]
	return j
}

// leadGroup runs one group transaction from the head of the queue (the
// leader's own job first), wakes its writers, and passes the lead on.
//
// The group first runs its writers one after the other without savepoints:
// a savepoint makes SQLite copy every page a writer changes into its
// statement journal, so that the writer alone can be rolled back, which
// costs every writer while writers rarely fail. When one does fail (or
// panics), the whole transaction is rolled back; that writer keeps its
// error (or panic), as it would have in its savepoint, and the writers
// that ran before it run again, each in its own savepoint, in a new
// transaction, with those queued since. The next groupIsolatedRuns groups
// then start isolated, so writers that keep failing cost their groups at
// most one run in groupIsolatedRuns+1 again. A writer's fn may run more
// than once (Atomic's contract); what any commit holds is what the writers
// returning nil wrote, in the order they ran.
func (db *DB) leadGroup() {
	g := &db.group
	var batch []*groupJob
	defer func() {
		for _, j := range batch {
			j.wake <- false
		}
		g.mu.Lock()
		if len(g.queue) == 0 {
			g.leading = false
			g.mu.Unlock()
			return
		}
		next := g.queue[0]
		g.mu.Unlock()
		next.wake <- true
	}()
	isolated := g.isolated > 0 // only the leader reads and writes it
	if isolated {
		g.isolated--
	}
	if failed := db.runGroup(&batch, isolated, nil); failed != nil {
		g.isolated = groupIsolatedRuns
		db.runGroup(&batch, true, failed)
	}
}

// runGroup runs the writers of batch but settled (whose outcome is known
// already) and then those that queue up meanwhile (up to groupMaxJobs, for
// at most groupMaxTime) in one transaction and commits it, leaving each
// writer's outcome in its err. With isolated each writer runs in its own
// savepoint and a failed one is rolled back alone. Without, the first
// writer to fail ends the attempt: the transaction is rolled back and
// runGroup returns that writer, its outcome set, for the caller to run the
// others again isolated.
func (db *DB) runGroup(batch *[]*groupJob, isolated bool, settled *groupJob) (failed *groupJob) {
	g := &db.group
	bg := context.Background() // the group outlives any one writer's request
	stx, err := db.write.BeginTx(bg, nil)
	if err != nil {
		if len(*batch) == 0 {
			if j := g.take(); j != nil {
				*batch = append(*batch, j)
			}
		}
		for _, j := range *batch {
			if j != settled {
				j.err = dbError(fmt.Errorf("begin: %w", err))
			}
		}
		return nil
	}
	var (
		done   []*groupJob // fn succeeded, waiting for the commit
		wake   bool
		keysOf []string
		shared groupReads
		events []*billbridge.Event // the done writers' events, written just before the commit
	)
	abort := func() {
		_ = stx.Rollback()
		for _, j := range done {
			j.err = errGroupAborted
		}
	}
	// exec runs one of the savepoint statements, aborting the group when it fails.
	exec := func(j *groupJob, stmt string) bool {
		if _, err := stx.ExecContext(bg, stmt); err != nil {
			if j.err == nil {
				j.err = errGroupAborted
			}
			abort()
			return false
		}
		return true
	}
	maxTime := cmp.Or(g.maxTime, groupMaxTime)
	start := time.Now()
	for i := 0; ; i++ {
		var j *groupJob
		switch {
		case i < len(*batch) && (*batch)[i] == settled:
			continue
		case i < len(*batch):
			j = (*batch)[i]
			j.err = nil
		case len(*batch) < groupMaxJobs && (len(*batch) == 0 || time.Since(start) < maxTime):
			if j = g.take(); j != nil {
				*batch = append(*batch, j)
			}
		}
		if j == nil {
			break
		}
		if err := j.ctx.Err(); err != nil {
			j.err = err
			continue
		}
		if isolated && !exec(j, `SAVEPOINT grp`) {
			return nil
		}
		tx := db.newTx(detached{stx})
		tx.shared = &shared
		// The writer holds the events of the writers before it, not written
		// yet: if it appends enough to write its own (eventBatch, an import),
		// it writes theirs first, so Seq keeps the order the writers ran in
		// (a writer may build on what an earlier one of the group wrote). If
		// it then fails, its rollback takes those rows and the counter back
		// with its own, and they are written again with the group's.
		tx.events = slices.Clip(events)
		j.err = tx.runJob(j)
		if j.err != nil && !isolated {
			_ = stx.Rollback()
			return j
		}
		if j.err != nil {
			shared = groupReads{} // what the failed writer read may be what it wrote
			if !exec(j, `ROLLBACK TO grp`) {
				return nil
			}
		}
		if isolated && !exec(j, `RELEASE grp`) {
			return nil
		}
		if j.err == nil {
			done = append(done, j)
			wake = wake || tx.wake
			keysOf = append(keysOf, tx.keysOf...)
			events = tx.events // the earlier writers' and its own, still to write
		}
	}
	if len(done) == 0 {
		_ = stx.Rollback()
		return nil
	}
	if len(events) > 0 {
		// One bump of each account's event counter and one insert of up to
		// eventBatch events for all the writers, instead of both for each.
		tx := db.newTx(detached{stx})
		tx.events = events
		if err := tx.finish(bg); err != nil {
			abort()
			return nil
		}
		wake = wake || tx.wake
	}
	if err := stx.Commit(); err != nil {
		for _, j := range done {
			j.err = dbError(fmt.Errorf("commit: %w", err))
		}
		return nil
	}
	db.afterCommit(wake, keysOf)
	return nil
}

// groupReads are rows the writers of one group transaction read and keep
// for the writers after them: every write of the transaction runs on its
// connection, one after the other, so a row stays as read until a writer
// of the group changes it, and the writer that does forgets it. A writer
// that fails forgets them all (its savepoint is rolled back).
type groupReads struct {
	duplicateSettings map[string]billbridge.DuplicateSettings // by account
}

// runJob runs a writer's fn in tx and stores its counters; the events it
// appended and did not write yet stay in tx.events (after those of the
// writers before it), for leadGroup to write with those of the group's
// other writers just before the commit, numbered in the order the writers
// ran. A panic is kept for the writer's own goroutine to raise again.
func (tx *Tx) runJob(j *groupJob) (err error) {
	defer func() {
		if r := recover(); r != nil {
			j.panicked = r
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	if err := j.fn(tx); err != nil {
		return err
	}
	return tx.storeCounters(j.ctx)
}

// detached runs a group writer's statements with the values of the context
// they are given but not its end (context.WithoutCancel). A writer whose
// context ended before its turn does not run (leadGroup); once its fn runs,
// its statements run to the end even if its request goes away meanwhile.
// modernc's driver watches a context that can end with a goroutine of its
// own for every statement (about 3 µs a statement, BenchmarkWriteStatement),
// and a statement it interrupts rolls back the whole SQLite transaction: the
// work of every other writer of the group with it (errGroupAborted).
type detached struct{ q querier }

func (d detached) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.q.ExecContext(context.WithoutCancel(ctx), query, args...)
}

func (d detached) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.q.QueryContext(context.WithoutCancel(ctx), query, args...)
}

func (d detached) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return d.q.QueryRowContext(context.WithoutCancel(ctx), query, args...)
}
