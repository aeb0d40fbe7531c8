// Package routes is the HTTP face of billbridge: the gin engine with every
// route listed in this one file, the middleware (request id, access log,
// recovery, body limit, auth, rate limit, idempotency) and the one place
// that renders errors as RFC 9457 problems.
package routes

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"billbridge"
	"billbridge/actions"
	"billbridge/console"
	"billbridge/internal/web"
	"billbridge/triggers"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// Deps is what the HTTP layer is handed.
type Deps struct {
	Store   billbridge.Store
	Cache   billbridge.IdempotencyCache
	Limiter billbridge.RateLimiter
	// RateLimit per API key; a zero Rate turns limiting off.
	RateLimit billbridge.RateLimit
	// AuthFailLimit bounds failed authentication per client address
	// (IPv6 per /64); a zero Rate turns it off.
	AuthFailLimit billbridge.RateLimit
	// TrustedProxies are the proxy addresses or CIDRs whose
	// X-Forwarded-For names the client; none means the peer address is.
	TrustedProxies []string
	IdempotencyTTL time.Duration
	// KeyRotationGrace is how long a rotated API key keeps working
	// (BILLBRIDGE_KEY_ROTATION_GRACE, billbridge.DefaultKeyRotationGrace).
	KeyRotationGrace time.Duration
	Guard            triggers.URLGuard
	Logger           *slog.Logger
	Clock            billbridge.Clock
	// Documents draws QR-bills and invoice PDFs (package qrbill).
	Documents billbridge.DocumentRenderer
	// Sheets writes CSV and XLSX exports (package sheet).
	Sheets billbridge.Sheets
	// Statements reads camt.054/053 bank files (package camt).
	Statements billbridge.StatementReader
	// Registry receives the HTTP metrics and is served on /metrics.
	Registry *prometheus.Registry
	// MetricsToken, when set, is the bearer token /metrics requires.
	MetricsToken string
	// SeparateMetrics leaves /metrics out of this handler: NewMetrics
	// serves it on its own address.
	SeparateMetrics bool
	// CachePing checks Redis for /readyz; nil when the cache is in-process.
	CachePing func(ctx context.Context) error
	// BackupStatus reports the scheduled backups for /readyz: the newest
	// one's age (negative before the first) and whether the last attempt
	// succeeded; nil when BILLBRIDGE_BACKUP_DIR is unset.
	BackupStatus func() (age time.Duration, ok bool)
	// Usage counts requests per account for the sync health; nil gives the
	// handler its own, flushed only by GET /v1/sync/health (cmd/billbridge
	// runs one with Usage.Run).
	Usage *Usage
	// Docs, when set, serves /openapi.json and /docs.
	Docs func(r gin.IRoutes)
}

type server struct {
	deps    Deps
	logger  *slog.Logger
	metrics *metrics
	auth    authGate
	keyUse  keyUse
	usage   *Usage
}

// New returns the gateway's HTTP handler. It panics on a malformed
// Deps.TrustedProxies entry.
func New(d Deps) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	s := &server{deps: d, logger: d.Logger, metrics: newMetrics(d.Registry)}
	if s.usage = d.Usage; s.usage == nil {
		s.usage = NewUsage(d.Store, d.Clock, d.Logger)
	}
	polls := &web.Polls{}
	act := &actions.Handler{FlushUsage: s.usage.Flush, Store: d.Store, Clock: d.Clock, Documents: d.Documents, Sheets: d.Sheets, Statements: d.Statements, Polls: polls, KeyRotationGrace: d.KeyRotationGrace}
	trg := &triggers.Handler{Store: d.Store, Guard: d.Guard, Clock: d.Clock, FeedRequests: s.metrics.feedRequests, Polls: polls}
	h := s.handle

	r := gin.New()
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		panic("routes: TrustedProxies: " + err.Error()) // checked by the configuration
	}
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	r.Use(requestID, s.accessLog, s.recoverPanic, s.limitBody)
	r.NoRoute(h(func(c *gin.Context) error {
		return billbridge.Errorf(billbridge.ENOTFOUND, "No route %s %s.", methodLabel(c), c.Request.URL.Path)
	}))
	r.NoMethod(allowHead, h(func(c *gin.Context) error {
		return billbridge.Errorf(billbridge.EMETHOD, "%s is not allowed on %s.", methodLabel(c), c.Request.URL.Path)
	}))

	r.GET("/healthz", healthz)
	r.GET("/readyz", s.readyz)
	if !d.SeparateMetrics {
		s.metricsRoute(r)
	}
	if d.Docs != nil {
		d.Docs(r)
	}

	// The owner's console: HTML pages signed in with an API key (package
	// console); its sign-ins share the API's failed-authentication limit.
	con := console.New(console.Handler{Store: d.Store, Clock: d.Clock, Logger: d.Logger, Actions: act, Triggers: trg,
		Status: HTTPStatus, LoginRefused: s.loginRefused, LoginFailed: s.loginFailed})
	r.GET("/console/static/*file", con.Static)
	cg := r.Group("/console", con.Secure)
	cg.GET("/login", con.LoginForm)
	cg.POST("/login", con.Login)
	signed := cg.Group("", con.RequireSession, con.CleanPath)
	signed.GET("", con.Overview)
	signed.POST("/logout", con.Logout)
	signed.GET("/keys", con.Keys)
	signed.POST("/keys", con.CreateKey)
	signed.POST("/keys/:id/rotate", con.RotateKey)
	signed.POST("/keys/:id/revoke", con.RevokeKey)
	signed.GET("/hooks", con.Hooks)
	signed.POST("/hooks/:id/redeliver", con.Redeliver)
	signed.GET("/duplicates", con.Duplicates)
	signed.POST("/duplicates/merge", con.MergeDuplicate)
	signed.GET("/alerts", con.Alerts)
	signed.POST("/alerts", con.SaveAlerts)
	signed.GET("/dunning", con.Dunning)
	signed.POST("/dunning", con.SaveDunning)
	signed.GET("/qr-bill", con.QRBill)
	signed.POST("/qr-bill", con.SaveQRBill)

	v1 := r.Group("/v1", s.authenticate, s.countUsage, s.rateLimit, s.cleanPath, s.idempotency)
	v1.GET("/me", h(act.Me))
	v1.GET("/api-keys", h(act.ListAPIKeys))
	v1.POST("/api-keys", h(act.CreateAPIKey))
	v1.POST("/api-keys/:id/rotate", h(act.RotateAPIKey))
	v1.DELETE("/api-keys/:id", h(act.RevokeAPIKey))

	v1.POST("/customers", h(act.CreateCustomer))
	v1.POST("/customers/upsert", h(act.UpsertCustomer))
	v1.POST("/customers/merge", h(act.MergeCustomers))
	v1.GET("/settings/duplicates", h(act.GetDuplicateSettings))
	v1.PUT("/settings/duplicates", h(act.PutDuplicateSettings))
	v1.GET("/customers", h(act.ListCustomers))
	v1.GET("/customers/duplicates", h(act.ListDuplicates))
	v1.GET("/customers/:id/duplicates", h(act.ListCustomerDuplicates))
	v1.GET("/customers/:id/payment-health", h(act.GetPaymentHealth))
	v1.GET("/customers/:id", h(act.GetCustomer))
	v1.PATCH("/customers/:id", h(act.PatchCustomer))

	v1.POST("/invoices", h(act.CreateInvoice))
	v1.GET("/invoices", h(act.ListInvoices))
	v1.GET("/invoices/:id", h(act.GetInvoice))
	v1.POST("/invoices/:id/finalize", h(act.FinalizeInvoice))
	v1.POST("/invoices/:id/cancel", h(act.CancelInvoice))
	v1.POST("/invoices/:id/payments", h(act.RecordPayment))
	v1.GET("/invoices/:id/payments", h(act.ListPayments))
	v1.POST("/invoices/:id/reminders", h(act.SendReminder))
	v1.GET("/invoices/:id/reminders", h(act.ListInvoiceReminders))
	v1.GET("/reminders", h(act.ListReminders))
	v1.GET("/reports/receivables", h(act.GetReceivables))
	v1.GET("/reports/summary", h(act.GetSummary))
	v1.GET("/reports/customers", h(act.GetCustomerReport))
	v1.PUT("/invoices/:id/dunning", h(act.PutInvoiceDunning))
	v1.GET("/customers/:id/dunning", h(act.GetCustomerDunning))
	v1.PUT("/customers/:id/dunning", h(act.PutCustomerDunning))
	v1.GET("/settings/dunning", h(act.GetDunningSettings))
	v1.PUT("/settings/dunning", h(act.PutDunningSettings))
	v1.POST("/bank-statements", h(act.ImportBankStatement))
	v1.GET("/invoices/:id/qr-bill", h(act.GetInvoiceQRBill))
	v1.GET("/invoices/:id/pdf", h(act.GetInvoicePDF))

	v1.POST("/deals/won", h(act.DealWon))

	v1.GET("/exports/customers.csv", h(act.ExportCustomersCSV))
	v1.GET("/exports/invoices.csv", h(act.ExportInvoicesCSV))
	v1.GET("/exports/payments.csv", h(act.ExportPaymentsCSV))
	v1.GET("/exports/customers.xlsx", h(act.ExportCustomersXLSX))
	v1.GET("/exports/invoices.xlsx", h(act.ExportInvoicesXLSX))
	v1.GET("/exports/payments.xlsx", h(act.ExportPaymentsXLSX))
	v1.POST("/imports/customers", h(act.ImportCustomers))
	v1.POST("/imports/invoices", h(act.ImportInvoices))

	v1.GET("/settings/alerts", h(act.GetAlertSettings))
	v1.PUT("/settings/alerts", h(act.PutAlertSettings))
	v1.GET("/settings/qr-bill", h(act.GetQRBillSettings))
	v1.PUT("/settings/qr-bill", h(act.PutQRBillSettings))

	v1.POST("/sync/incidents", h(act.ReportIncident))
	v1.GET("/sync/health", h(act.GetSyncHealth))

	v1.GET("/events", h(trg.ListEvents))
	v1.POST("/hooks", h(trg.CreateHook))
	v1.GET("/hooks", h(trg.ListHooks))
	v1.DELETE("/hooks/:id", h(trg.DeleteHook))
	v1.POST("/hooks/:id/redeliver", h(trg.RedeliverHook))
	return headAsGet{r}
}
