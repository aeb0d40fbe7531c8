// Package actions serves what a client asks to be done or found: customers,
// invoices, payments and the deal-won flow. Every write runs in one
// transaction through web.Commit, appends its events there, and is safe to
// retry: natural keys (external_id, customer_number, email) deduplicate
// without an Idempotency-Key, and with one the response is replayed.
//
// It imports the domain, gin and internal/web; it is handed a
// billbridge.Store and never imports an adapter.
package actions

import (
	"context"
	"time"

	"billbridge"
	"billbridge/internal/web"
)

// Handler serves the action endpoints.
type Handler struct {
	Store billbridge.Store
	Clock billbridge.Clock
	// Documents draws QR-bills and invoice PDFs.
	Documents billbridge.DocumentRenderer
	// Sheets writes CSV and XLSX exports.
	Sheets billbridge.Sheets
	// Statements reads bank files (package camt).
	Statements billbridge.StatementReader
	// Polls answers repeated list polls from rendered bytes, with ETags;
	// nil renders every answer (the ETags still work).
	Polls *web.Polls
	// FlushUsage writes this instance's request counts before the sync
	// health reads them; nil writes nothing.
	FlushUsage func(ctx context.Context) error
	// KeyRotationGrace is how long a rotated API key keeps working.
	KeyRotationGrace time.Duration
}
