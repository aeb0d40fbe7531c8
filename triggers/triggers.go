// Package triggers serves what a client is told: the event feed that
// polling triggers read, the hook subscriptions of instant triggers, and the
// job that notices overdue invoices.
//
// It imports the domain, gin and internal/web; it is handed a
// billbridge.Store and a URLGuard and never imports an adapter.
package triggers

import (
	"context"

	"billbridge"
	"billbridge/internal/web"
)

// URLGuard refuses hook target URLs that point at private addresses.
type URLGuard interface {
	CheckURL(ctx context.Context, raw string) error
}

// Handler serves the trigger endpoints.
type Handler struct {
	Store billbridge.Store
	Guard URLGuard
	Clock billbridge.Clock
	// FeedRequests counts feed reads, when set.
	FeedRequests interface{ Inc() }
	// Polls answers repeated feed polls from rendered bytes, with ETags;
	// nil renders every answer (the ETags still work).
	Polls *web.Polls
}
