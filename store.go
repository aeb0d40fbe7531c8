package billbridge

import (
	"context"
	"errors"
	"time"
)

// Store persists the ledger (implemented by sqlstore on SQLite and
// PostgreSQL). Every method that takes an accountID only ever reads or
// writes that account's rows; a row of another account answers ENOTFOUND.
type Store interface {
	Reader
	AccountStore
	SessionStore
	UsageStore
	DeliveryQueue
	OverdueScanner
	ReminderDueScanner
	AlertStore

	// Atomic runs fn in one transaction and commits when fn returns nil; an
	// error rolls everything back. When the database reports a race (a
	// serialization failure, a deadlock, or a natural-key unique violation:
	// errors matching ErrRetry) Atomic rolls back and runs fn again, a few
	// times, so fn must have no effect outside tx.
	Atomic(ctx context.Context, fn func(tx Tx) error) error

	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// ErrRetry marks a transaction that lost a race and may succeed when run
// again. Store adapters wrap their race errors so errors.Is(err, ErrRetry).
var ErrRetry = errors.New("transaction lost a race")

// AccountStore keeps accounts and their hashed API keys.
type AccountStore interface {
	// CreateAccount stores a new account with the hash of its API key.
	CreateAccount(ctx context.Context, a *Account, keyHash string) error
	// AccountByKeyHash returns the account owning the key; ENOTFOUND if none.
	AccountByKeyHash(ctx context.Context, keyHash string) (*Account, error)
	// FindAccount returns an account by id; ENOTFOUND if none.
	FindAccount(ctx context.Context, id string) (*Account, error)
	// CountAccounts returns how many accounts exist.
	CountAccounts(ctx context.Context) (int, error)
	// TouchAPIKey records that the key authenticated a request at at; a
	// later LastUsedAt already stored is kept. Callers throttle it (it is a
	// write), so LastUsedAt is exact to about a minute.
	TouchAPIKey(ctx context.Context, keyHash string, at time.Time) error
}

// Reader answers queries, inside or outside a transaction. Lists are newest
// first by id with keyset pagination (PageParams.StartingAfter), and cost
// the same on page 1 and page 1,000.
type Reader interface {
	// FindCustomer returns ENOTFOUND when the customer does not exist in the
	// account. A merged customer's id answers its (final) survivor; a
	// customer read by id carries MergedIDs.
	FindCustomer(ctx context.Context, accountID, id string) (*Customer, error)
	// FindAliasedCustomer returns the customer that the natural key of a
	// customer merged into it reaches (key as FindCustomerByKeyOrAlias's); ENOTFOUND
	// if the key is no alias.
	FindAliasedCustomer(ctx context.Context, accountID, key, value string) (*Customer, error)
	// FindMerge returns the merge that tombstoned mergedID; ENOTFOUND if none.
	FindMerge(ctx context.Context, accountID, mergedID string) (*Merge, error)
	// FindCustomerByKeyOrAlias looks a customer up by one natural key: key
	// is MatchedByExternalID, MatchedByCustomerNumber or MatchedByEmail
	// (value then compared with EmailKey of the stored email). When no
	// customer holds the key it is FindAliasedCustomer (aliased true), in
	// the same lookup. ENOTFOUND if neither finds one.
	FindCustomerByKeyOrAlias(ctx context.Context, accountID, key, value string) (c *Customer, aliased bool, err error)
	FindCustomers(ctx context.Context, accountID string, f CustomerFilter) (Page[Customer], error)
	// FindDuplicates lists the account's possible duplicates, kept up to date
	// by every InsertCustomer and UpdateCustomer; ECURSORINVALID for a cursor
	// that names no listed pair.
	FindDuplicates(ctx context.Context, accountID string, f DuplicateFilter) (Page[Duplicate], error)

	// FindInvoice returns the invoice with its stored (not derived) status.
	FindInvoice(ctx context.Context, accountID, id string) (*Invoice, error)
	FindInvoiceByExternalID(ctx context.Context, accountID, externalID string) (*Invoice, error)
	FindInvoices(ctx context.Context, accountID string, f InvoiceFilter) (Page[Invoice], error)
	// FindInvoiceByPaymentReference finds an invoice by its payment
	// reference, spaces and case ignored; ENOTFOUND if none.
	FindInvoiceByPaymentReference(ctx context.Context, accountID, ref string) (*Invoice, error)

	// FindDuplicateSettings returns the account's duplicate settings, the
	// defaults (auto_merge off) when it has none.
	FindDuplicateSettings(ctx context.Context, accountID string) (*DuplicateSettings, error)

	// FindAlertSettings returns the account's alert settings, the defaults
	// (DefaultAlertSettings) when it has none.
	FindAlertSettings(ctx context.Context, accountID string) (*AlertSettings, error)

	// FindQRBillSettings returns the account's QR-bill settings; ENOTFOUND
	// when it has none yet.
	FindQRBillSettings(ctx context.Context, accountID string) (*QRBillSettings, error)

	FindPaymentByExternalID(ctx context.Context, accountID, externalID string) (*Payment, error)
	// FindPayments lists the payments of one invoice.
	FindPayments(ctx context.Context, accountID, invoiceID string, p PageParams) (Page[Payment], error)
	// FindAccountPayments lists the payments of every invoice of the account.
	FindAccountPayments(ctx context.Context, accountID string, f PaymentFilter) (Page[Payment], error)

	// PaymentStats counts the payment health of the customers: one entry
	// per customer and currency invoiced, over finalized invoices, overdue
	// meaning unpaid with a due date before today. Computed in SQL over
	// indexed columns, whatever the number of invoices.
	PaymentStats(ctx context.Context, accountID string, customerIDs []string, today Date) ([]PaymentStats, error)

	// FindDunningSettings returns the account's dunning settings, the
	// defaults (DefaultDunningSettings) when it has none.
	FindDunningSettings(ctx context.Context, accountID string) (*DunningSettings, error)
	// FindReminders pages through the account's sent reminders, newest first.
	FindReminders(ctx context.Context, accountID string, f ReminderFilter) (Page[Reminder], error)
	// FindDueInvoices pages through the invoices whose next reminder is due
	// (DunningSettings.ReminderDue), newest first, one index range per
	// level; ECURSORINVALID for a cursor that names no invoice.
	FindDueInvoices(ctx context.Context, accountID string, f DueFilter) (Page[Invoice], error)
	// CustomerDunningPaused reports the customer's Mahnsperre.
	CustomerDunningPaused(ctx context.Context, accountID, customerID string) (bool, error)

	// AgingRows counts the receivables on asOf (see Receivables): per
	// currency and aging bucket, the open amount and number of invoices
	// finalized with an issue date on or before asOf and not cancelled
	// before asOfEnd (the instant the next day begins in the account's time
	// zone). Reads only the invoices unpaid now or paid or cancelled since
	// asOfStart, over indexes, whatever the number of invoices settled before.
	AgingRows(ctx context.Context, accountID string, asOf Date, asOfStart, asOfEnd time.Time) ([]AgingRow, error)
	// SummaryFacts sums, per currency and day, the invoices finalized with
	// an issue date in from…to and their VAT per rate, the payments paid
	// in from…to, and lists the invoices cancelled between start and end
	// (the instants from begins and the day after to begins in the
	// account's time zone). Reads the range's rows over indexes only.
	SummaryFacts(ctx context.Context, accountID string, from, to Date, start, end time.Time) (SummaryFacts, error)
	// CustomerReceivables pages through what each customer owes today per
	// currency (see CustomerReceivables), in f.Sort's order, then by
	// customer id and currency; reads only the unpaid invoices.
	CustomerReceivables(ctx context.Context, accountID string, f CustomerReportFilter) (Page[CustomerReceivables], error)

	// CountIncidents counts the account's incidents reported in each range
	// [bounds[i], bounds[i+1]): len(bounds)-1 counts, one index range each.
	CountIncidents(ctx context.Context, accountID string, bounds []time.Time) ([]int, error)
	// RecentIncidents returns at most limit of the account's incidents,
	// newest first (ties by id, descending); never another account's.
	RecentIncidents(ctx context.Context, accountID string, limit int) ([]Incident, error)

	// APIHealthSince sums the account's request counters of the hours from
	// since's hour on; LastRequestAt is the latest request ever counted.
	APIHealthSince(ctx context.Context, accountID string, since time.Time) (APIHealth, error)
	// HookStates returns the account's hooks' delivery health (those a 410
	// removed too), newest first: pending now, and the attempts of the
	// hours from since's hour on. Status is left for StatusAt.
	HookStates(ctx context.Context, accountID string, since time.Time) ([]HookState, error)

	// FindEvents pages through the account's event feed by Seq.
	FindEvents(ctx context.Context, accountID string, f EventFilter) (Page[Event], error)
	// LatestEventSeq returns the account's highest visible Seq, 0 when none.
	LatestEventSeq(ctx context.Context, accountID string) (int64, error)

	FindHook(ctx context.Context, accountID, id string) (*Hook, error)
	// FindHooks pages through the account's hooks, newest first, only
	// those for f.TargetURL when set.
	FindHooks(ctx context.Context, accountID string, f HookFilter) (Page[Hook], error)

	// FindAPIKey returns one of the account's working keys (a rotated key
	// until it expires); ENOTFOUND if none.
	FindAPIKey(ctx context.Context, accountID, id string) (*APIKey, error)
	// FindAPIKeys pages through the account's working keys, newest first.
	FindAPIKeys(ctx context.Context, accountID string, p PageParams) (Page[APIKey], error)

	// FindIdempotencyRecord returns the stored response of a keyed write;
	// ENOTFOUND when there is none or it has expired.
	FindIdempotencyRecord(ctx context.Context, accountID, key string) (*IdempotencyRecord, error)
}

// Tx is one transaction of the Store.
type Tx interface {
	Reader
	AlertTx

	// LockInvoice is FindInvoice holding the row until the transaction ends,
	// so concurrent payments and finalizations of one invoice serialize.
	LockInvoice(ctx context.Context, accountID, id string) (*Invoice, error)
	// NextInvoiceNumber returns the account's next invoice number: 1, 2, 3…
	// without gaps, since a rolled-back transaction gives its number back.
	NextInvoiceNumber(ctx context.Context, accountID string) (int64, error)

	// LockCustomer is FindCustomer holding the customer's row until the
	// transaction ends, so a merge and the writes that attach invoices to a
	// customer serialize: a locker that waited for a merge reads the survivor.
	LockCustomer(ctx context.Context, accountID, id string) (*Customer, error)
	// MergeCustomers moves m.MergedID's invoices and payments to m.PrimaryID
	// (counted into m.Moved), tombstones the merged customer (natural keys
	// cleared, pairs forgotten, earlier tombstones re-pointed), keeps aliases
	// as the primary's and records m. The caller locks both customers first.
	MergeCustomers(ctx context.Context, m *Merge, aliases []Alias) error

	// InsertCustomer returns an error matching ErrRetry when a natural key
	// is taken. It stores c's possible duplicates (DuplicateBlocks, Matches).
	InsertCustomer(ctx context.Context, c *Customer) error
	// UpdateCustomer stores every field of c and its possible duplicates anew.
	UpdateCustomer(ctx context.Context, c *Customer) error
	// FindPairsOf returns the other customers of id's pairs scoring at least
	// minScore with their match, best first, then by the pair's ids, at most
	// limit: the pairs FindDuplicates lists for id, without the customers.
	FindPairsOf(ctx context.Context, accountID, id string, minScore float64, limit int) ([]PairOf, error)
	// InsertInvoice returns an error matching ErrRetry when external_id is taken.
	InsertInvoice(ctx context.Context, inv *Invoice) error
	UpdateInvoice(ctx context.Context, inv *Invoice) error
	// InsertPayment returns an error matching ErrRetry when external_id is taken.
	InsertPayment(ctx context.Context, p *Payment) error

	// SwapPaymentRating records rating as the customer's payment rating and
	// returns the one recorded before (RatingInsufficientData when none).
	// Swaps of one customer in concurrent transactions run one after the
	// other: each returns what the one before committed.
	SwapPaymentRating(ctx context.Context, accountID, customerID, rating string) (string, error)

	// SaveDunningSettings creates or replaces the account's dunning settings.
	SaveDunningSettings(ctx context.Context, s *DunningSettings) error
	// InsertReminder stores a sent reminder; an error matching ErrRetry when
	// its invoice already has a reminder of that level.
	InsertReminder(ctx context.Context, r *Reminder) error
	// SetCustomerDunningPaused stores c's Mahnsperre (DunningPaused) and
	// UpdatedAt; ENOTFOUND when its account has no such customer.
	SetCustomerDunningPaused(ctx context.Context, c *Customer) error

	// SaveDuplicateSettings creates or replaces the account's duplicate settings.
	SaveDuplicateSettings(ctx context.Context, s *DuplicateSettings) error
	// SaveAlertSettings creates or replaces the account's alert settings.
	SaveAlertSettings(ctx context.Context, s *AlertSettings) error
	// SaveQRBillSettings creates or replaces the account's QR-bill settings.
	SaveQRBillSettings(ctx context.Context, s *QRBillSettings) error

	// AppendEvent records an event of type typ whose data is the JSON of
	// data and assigns its ID and OccurredAt; its Seq is assigned when the
	// event is written, at the latest when fn returns (so Atomic returning
	// nil means the returned event holds its committed Seq). Its cost does not depend
	// on the account's hooks: the Deliveries for every hook that wants the
	// type are enqueued after the commit, exactly once, by the delivery
	// queue (DeliveryQueue.ClaimDeliveries expands pending events first).
	AppendEvent(ctx context.Context, accountID, typ string, data any) (*Event, error)

	// EINVALID when the account already has MaxHooks hooks (also under
	// concurrent inserts).
	InsertHook(ctx context.Context, h *Hook) error
	// DeleteHook removes a hook and its pending deliveries; nil when already gone.
	DeleteHook(ctx context.Context, accountID, id string) error
	// Redeliver enqueues, due at at, a delivery to the hook of each of the
	// account's expanded events after r.AfterSeq that the hook wants, up to
	// MaxRedeliver events read, and fills in r; an event the hook still
	// has a delivery of is not enqueued twice. ENOTFOUND when the account
	// has no such hook.
	Redeliver(ctx context.Context, r *Redelivery, at time.Time) error

	// InsertAPIKey stores a new key; EINVALID when the account already
	// holds MaxAPIKeys working keys at now (also under concurrent inserts).
	// Keys expired before now are deleted on the way.
	InsertAPIKey(ctx context.Context, k *APIKey, now time.Time) error
	// ExpireAPIKey makes the account's key stop working at at; ENOTFOUND if
	// the account has no such working key.
	ExpireAPIKey(ctx context.Context, accountID, id string, at time.Time) error
	// DeleteAPIKey revokes a key at once; nil when already gone. ECONFLICT
	// when it is the last of the account's keys that do not expire: an
	// account always keeps one (also under concurrent deletes).
	DeleteAPIKey(ctx context.Context, accountID, id string) error

	// InsertIncident stores a sync failure an automation reported.
	InsertIncident(ctx context.Context, in *Incident) error

	// SaveIdempotencyRecord stores the response of a keyed write in the
	// transaction of the write. An error matching ErrRetry means the key was
	// taken meanwhile: run again and replay what is stored.
	SaveIdempotencyRecord(ctx context.Context, r *IdempotencyRecord) error
}

// DeliveryQueue hands hook deliveries to webhook workers. Several gateway
// instances may call it at once: a claimed delivery is leased to one caller.
type DeliveryQueue interface {
	// ClaimDeliveries first expands the events committed since the last
	// call into deliveries (one per hook that wants the event and was
	// subscribed before it, exactly once even when several callers run),
	// then leases up to limit deliveries due at now for lease, skipping
	// those another caller holds (SELECT … FOR UPDATE SKIP LOCKED or equal).
	// Claims are fair across accounts: round-robin (every account's oldest
	// due delivery before any account's second), and with perAccount > 0 an
	// account never has more than perAccount deliveries leased at once
	// (counting every caller's leases), so one account's slow receivers can
	// hold at most perAccount workers.
	ClaimDeliveries(ctx context.Context, now time.Time, limit, perAccount int, lease time.Duration) ([]Delivery, error)
	// DeliverySucceeded removes a delivered delivery.
	DeliverySucceeded(ctx context.Context, id string) error
	// DeliveryFailed counts a failed attempt and schedules the next at next.
	DeliveryFailed(ctx context.Context, id string, next time.Time, reason string) error
	// DropDelivery gives up on a delivery (expired after about three days).
	DropDelivery(ctx context.Context, id string, reason string) error
	// HookGone deletes a hook whose receiver answered 410, with its deliveries.
	HookGone(ctx context.Context, hookID string) error
}

// OverdueKey is the position of an overdue candidate in the scan order:
// its due date, then its id.
type OverdueKey struct {
	DueDate Date
	ID      string
}

// OverdueScanner finds invoices that may have become overdue.
type OverdueScanner interface {
	// FindOverdueCandidates returns up to limit unpaid invoices of any account,
	// not yet notified as overdue, whose due date lies before day, ordered by
	// (due date, id) and strictly after the key after (the zero key: from the
	// start). Paging with the key of each page's last invoice visits every
	// candidate once, however many of them are not overdue yet in their own
	// time zone.
	FindOverdueCandidates(ctx context.Context, day Date, after OverdueKey, limit int) ([]Invoice, error)
}

// ReminderDueKey is the position of a reminder-due candidate in the scan
// order: the day its ladder counts from, then its id.
type ReminderDueKey struct {
	Since Date
	ID    string
}

// ReminderDueScanner finds invoices whose next reminder may have fallen due.
type ReminderDueScanner interface {
	// FindReminderDueCandidates returns up to limit unpaid, unpaused
	// invoices of any account whose next level was not announced yet and
	// whose dunning_since lies before day, ordered by (dunning_since, id)
	// and strictly after the key after.
	FindReminderDueCandidates(ctx context.Context, day Date, after ReminderDueKey, limit int) ([]Invoice, error)
}

// IdempotencyRecord is the stored outcome of a write sent with an
// Idempotency-Key. Status 0 means the first request is still running.
type IdempotencyRecord struct {
	AccountID   string
	Key         string
	Fingerprint string // hex SHA-256 of method, path, query and body (a multipart form by its parts)
	Status      int
	ContentType string
	Body        []byte
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// IdempotencyCache is the fast, shared path of idempotency (redisstore,
// inmem). The database keeps the promise when the cache forgets.
type IdempotencyCache interface {
	// Begin claims (accountID, key) for fingerprint for at most lockTTL. When
	// claimed is true the caller runs the request and then calls Complete or
	// Release. Otherwise rec is what holds the key: a completed response to
	// replay, or Status 0 for a request still running.
	Begin(ctx context.Context, accountID, key, fingerprint string, lockTTL time.Duration) (rec *IdempotencyRecord, claimed bool, err error)
	// Complete stores the response for ttl, replacing the claim.
	Complete(ctx context.Context, rec *IdempotencyRecord, ttl time.Duration) error
	// Release drops a claim whose response must not be stored.
	Release(ctx context.Context, accountID, key string) error
}

// RateLimit allows Rate requests per Period with bursts of Burst.
type RateLimit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// RateResult is the outcome of one rate-limited request.
type RateResult struct {
	Allowed    bool
	Remaining  int
	RetryAfter time.Duration // when not allowed: how long until one request fits
	ResetAfter time.Duration // how long until the full burst is available again
}

// RateLimiter applies GCRA limits shared by every gateway instance.
type RateLimiter interface {
	Allow(ctx context.Context, key string, limit RateLimit) (RateResult, error)
}
