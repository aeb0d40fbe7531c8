package triggers

import (
	"context"

	"billbridge"
)

// jobPage is how many candidates one query of the overdue and reminder-due
// jobs reads.
const jobPage = 200

// jobBatch is how many invoices of one account the overdue and reminder-due
// jobs handle in one transaction. One transaction per invoice made the
// first run after an import of years of old invoices hold the store's
// writer (SQLite's only one) for seconds, every write of every account
// queueing behind a commit and a payment rating per invoice, each rating
// one pass over all of the customer's invoices; a batch pays one commit and
// one rating per customer. It is bounded because the batch holds its
// invoices' rows, the customers' rating rows and the account's event
// counter (on SQLite the whole writer) until it commits: 50 invoices keep
// that to a few milliseconds, and a batch's events (one per invoice, one
// rating change per customer: at most 100) to what the store writes at
// the commit in one go.
const jobBatch = 50

// scan is one run of a batched job: it reads the candidates a page of
// jobPage at a time (page with the key of the previous page's last
// candidate, the zero key first, until a page is short), passes over
// those due reports not due in their account, and hands the rest to emit
// in batches of at most jobBatch invoices of one account: the accounts in
// the order of their first candidate in the page, each account's
// candidates in the page's order. Each account is read once per run. It
// returns the sum of what emit returned.
func scan[K any](ctx context.Context, store billbridge.Store,
	page func(after K) ([]billbridge.Invoice, error), key func(last *billbridge.Invoice) K,
	due func(acct *billbridge.Account, cand *billbridge.Invoice) (bool, error),
	emit func(acct *billbridge.Account, batch []*billbridge.Invoice) (int, error)) (int, error) {
	emitted := 0
	accts := accounts{store: store}
	var after K
	for {
		cands, err := page(after)
		if err != nil {
			return emitted, err
		}
		var order []*billbridge.Account
		byAccount := map[string][]*billbridge.Invoice{}
		for i := range cands {
			c := &cands[i]
			acct, err := accts.find(ctx, c.AccountID)
			if err != nil {
				return emitted, err
			}
			ok, err := due(acct, c)
			if err != nil {
				return emitted, err
			}
			if !ok {
				continue
			}
			if _, seen := byAccount[acct.ID]; !seen {
				order = append(order, acct)
			}
			byAccount[acct.ID] = append(byAccount[acct.ID], c)
		}
		for _, acct := range order {
			for invs := byAccount[acct.ID]; len(invs) > 0; {
				n := min(len(invs), jobBatch)
				done, err := emit(acct, invs[:n])
				if err != nil {
					return emitted, err
				}
				emitted += done
				invs = invs[n:]
			}
		}
		if len(cands) < jobPage {
			return emitted, nil
		}
		after = key(&cands[len(cands)-1])
	}
}

// ids returns the ids of invs, in their order.
func ids(invs []*billbridge.Invoice) []string {
	out := make([]string, len(invs))
	for i, inv := range invs {
		out[i] = inv.ID
	}
	return out
}

// accounts reads each account once per run of a job, not once per invoice.
type accounts struct {
	store billbridge.Store
	read  map[string]*billbridge.Account
}

// find returns the account id, read from the store the first time.
func (a *accounts) find(ctx context.Context, id string) (*billbridge.Account, error) {
	if acct, ok := a.read[id]; ok {
		return acct, nil
	}
	acct, err := a.store.FindAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.read == nil {
		a.read = map[string]*billbridge.Account{}
	}
	a.read[id] = acct
	return acct, nil
}
