// Package webhook delivers hook events to their subscribers following
// Standard Webhooks 1.0: signed POSTs, at least once, retried with backoff and
// jitter for about three days, honouring Retry-After, 410 unsubscribing.
//
// Entry points for the wiring code:
//
//   - Subscription time (POST /v1/hooks): refuse target URLs that point into
//     the gateway's own network:
//
//     guard := webhook.Guard{AllowPrivate: cfg.HooksAllowPrivate}
//     if err := guard.CheckURL(ctx, req.TargetURL); err != nil {
//     	return err // *billbridge.Error, EINVALID, field "target_url"
//     }
//
//   - Delivery (cmd): one Dispatcher per process, stopped by cancelling ctx;
//     Run returns after in-flight deliveries finish (bounded by Timeout):
//
//     d := webhook.NewDispatcher(webhook.Config{
//     	Queue:        store, // billbridge.DeliveryQueue
//     	Guard:        guard, // the same Guard: it re-checks every connect
//     	Logger:       logger,
//     	Metrics:      webhook.NewMetrics(registry),
//     	PollInterval: cfg.DeliveryInterval,
//     })
//     go d.Run(ctx)
//
//     After committing a transaction that appended events, d.Wake() makes
//     the dispatcher poll at once instead of at the next tick.
package webhook
