// Package webhook delivers hook events to their subscribers following
// Standard Webhooks 1.0: signed POSTs, at least once, retried with backoff and
// jitter for about three days, honouring Retry-After, 410 unsubscribing.
//
// # Subscribing
//
// POST /v1/hooks refuses target URLs that point into the gateway's own
// network with Guard.CheckURL, whose refusal is a *billbridge.Error with code
// EINVALID naming the field "target_url":
//
//	guard := webhook.Guard{AllowPrivate: hooksAllowPrivate} // only globally routable unicast targets
//	if err := guard.CheckURL(ctx, targetURL); err != nil {
//		return err
//	}
//
// # Delivering
//
// The command runs one Dispatcher per process and stops it by cancelling
// ctx; Run returns once the attempts in flight have finished (each bounded by
// Timeout). Give it the same Guard: it checks every connection again.
//
//	d := webhook.NewDispatcher(webhook.Config{
//		Queue:        store, // billbridge.DeliveryQueue
//		Guard:        guard,
//		Logger:       logger,
//		Metrics:      webhook.NewMetrics(registry),
//		PollInterval: deliveryInterval,
//	})
//	done := make(chan struct{})
//	go func() { d.Run(ctx); close(done) }()
//	// … on SIGTERM: cancel ctx, stop the HTTP server, then
//	<-done // in-flight deliveries flushed and recorded; now close the store
//
// After committing a transaction that appended events, d.Wake() makes the
// dispatcher poll at once instead of at the next interval. The command hands
// it to the store, which calls it after every such commit:
//
//	store.OnEvents(d.Wake) // sqlstore.DB
//
// # Fairness
//
// Claims are fair across accounts: round-robin (every account's oldest due
// delivery before any account's second), and no account holds more than
// PerAccount workers (default Workers/4: 2 of 8) across every instance.
// The bound: while fewer than Workers/PerAccount accounts have receivers
// that accept and never answer (4 with the defaults), another account's
// delivery waits at most one claim round once due (the next poll, at once
// after a Wake), never for a tarpit's timeouts.
//
// # Fan-out
//
// A write appends one event row in its transaction and nothing per hook, so
// its cost does not depend on how many hooks the account has. Each poll's
// Queue.ClaimDeliveries first expands the events committed since into one
// delivery per hook that wants the event and was subscribed before it, in
// transactions of its own, exactly once even with several instances
// polling (sqlstore.DB.FanOut), then claims.
package webhook
