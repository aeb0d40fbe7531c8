package routes

// This file holds the general information of the OpenAPI description, which
// swag reads (openapi/generate.sh writes openapi/openapi.json from it and
// from the operation comments on every handler). It holds no code.
// Swagger 2.0 has no bearer scheme: Bearer is declared as an apiKey in the
// Authorization header below, and openapi/internal/gen publishes it as HTTP
// bearer authentication (type http, scheme bearer).

//	@title						billbridge API
//	@version					1.0
//	@description				billbridge connects a CRM to invoicing through Zapier, Make, n8n or a plain script: customers (upserted by CRM id, customer number or email), invoices with Swiss VAT in CHF or EUR, payments recorded exactly once, a gapless event feed for polling triggers and REST hooks for instant ones.
//	@description
//	@description				Every request under /v1 needs an API key, as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Every account sees only its own data: another account's id answers 404.
//	@description
//	@description				Writes (POST, PATCH, DELETE) accept an `Idempotency-Key`: a retry with the same key and request replays the first response byte for byte with `Idempotent-Replayed: true`; the same key with another request is 422 `idempotency_key_reused`, and while the first still runs 409 `idempotency_key_in_use` with `Retry-After`.
//	@description
//	@description				Money is a JSON number with two fraction digits (strings such as "94.58" are accepted on input). Dates are "YYYY-MM-DD" from 1900-01-01 to 2999-12-31; timestamps are RFC 3339 in UTC. Lists answer `{data, has_more, next_cursor}`; pass next_cursor as `starting_after` for the next page. A page holds at most `limit` items and may stop earlier, before the item that would take it past its byte bound (1 MiB of items by default): page on while has_more is true.
//	@description
//	@description				Text is UTF-8 without control characters (U+0000–U+001F, U+007F–U+009F); invoice notes and item descriptions may also hold line breaks and tabs. A field breaking this is 422 naming it, a path id breaking it answers as an unknown id.
//	@description
//	@description				Errors are RFC 9457 `application/problem+json` with a stable `code`, the `request_id`, and `invalid_params` naming refused fields by their JSON paths. Every /v1 response carries `RateLimit-Policy` and `RateLimit`; a 429 adds `Retry-After`.
//	@contact.name				billbridge
//	@contact.url				https://billbridge.dev
//	@license.name				Proprietary
//	@license.url				https://billbridge.dev/license
//	@host						localhost:8080
//	@schemes					http https
//
//	@securityDefinitions.apikey	Bearer
//	@in							header
//	@name						Authorization
//	@description				An API key as `Authorization: Bearer <key>`. Keys start with `bb_`; `billbridge accounts create` prints one.
//
//	@securityDefinitions.apikey	ApiKey
//	@in							header
//	@name						X-API-Key
//	@description				The same API key as `X-API-Key: <key>`.
//
//	@tag.name					Account
//	@tag.description			Who an API key belongs to: the credential test of every platform.
//	@tag.name					Customers
//	@tag.description			Customers, created or upserted from a CRM and found by CRM id, customer number, email or free text.
//	@tag.name					Invoices
//	@tag.description			Invoices: drafts, finalized (numbered, dated) and open, paid, overdue or cancelled.
//	@tag.name					Payments
//	@tag.description			Payments against an invoice, counted exactly once.
//	@tag.name					Deals
//	@tag.description			A won CRM deal becomes a customer and an invoice in one step.
//	@tag.name					Events
//	@tag.description			The event feed polling triggers read: every change, in order, without gaps.
//	@tag.name					Hooks
//	@tag.description			REST-hook subscriptions of instant triggers, delivered per Standard Webhooks.
//	@tag.name					Sync
//	@tag.description			How the sync between the platforms and billbridge is doing: incidents the automations report, the account's sync health.
//	@tag.name					Operations
//	@tag.description			Health, readiness, metrics and this description.

// metrics is served by promhttp in routes.go; this block documents it.
//
//	@Summary		Prometheus metrics
//	@Description	The gateway's metrics in the Prometheus text format: requests by route and status, rate limiting, idempotency replays, hook deliveries, background jobs.
//	@Tags			Operations
//	@ID				getMetrics
//	@Produce		plain
//	@Success		200	{string}	string	"Metrics in the Prometheus text exposition format."
//	@Router			/metrics [get]
