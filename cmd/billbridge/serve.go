package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"billbridge"
	"billbridge/camt"
	"billbridge/inmem"
	"billbridge/internal/https"
	"billbridge/openapi"
	"billbridge/qrbill"
	"billbridge/redisstore"
	"billbridge/routes"
	"billbridge/sheet"
	"billbridge/smtpmail"
	"billbridge/triggers"
	"billbridge/webhook"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"
)

// serve runs the gateway until ctx ends, then shuts down gracefully: stop
// accepting, finish in-flight requests, flush deliveries, close the stores.
func serve(ctx context.Context, cfg Config, logger *slog.Logger, stdout io.Writer) error {
	db, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := firstStart(ctx, cfg, db, stdout); err != nil {
		return err
	}

	var (
		cache     billbridge.IdempotencyCache
		limiter   billbridge.RateLimiter
		cachePing func(context.Context) error
	)
	if cfg.RedisURL != "" {
		// go-redis logs every failed dial to stderr; route it to slog at Debug.
		redis.SetLogger(redisstore.DriverLogger{Logger: logger})
		rs, err := redisstore.New(ctx, cfg.RedisURL, cfg.RedisPrefix, logger)
		if err != nil {
			return fmt.Errorf("BILLBRIDGE_REDIS_URL: %w", err)
		}
		defer rs.Close()
		rs.ShareKeyRevocations(ctx, db) // a key revoked on one instance is refused on all at once
		cache, limiter, cachePing = rs, rs, rs.Ping
	} else {
		mem := inmem.New()
		mem.MaxBytes = cfg.IdempotencyBytes
		defer mem.Close()
		cache, limiter = mem, mem
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	bg := newBackground(logger, reg)

	guard := webhook.Guard{AllowPrivate: cfg.HooksAllowPrivate}
	deps := routes.Deps{
		Store: db, Cache: cache, Limiter: limiter, RateLimit: cfg.RateLimit, IdempotencyTTL: cfg.IdempotencyTTL,
		KeyRotationGrace: cfg.KeyRotationGrace,
		AuthFailLimit:    cfg.AuthFailLimit, TrustedProxies: cfg.TrustedProxies, Guard: guard, Logger: logger, Registry: reg, CachePing: cachePing, Docs: openapi.Routes,
		MetricsToken: cfg.MetricsToken, SeparateMetrics: cfg.MetricsAddr != "", Documents: qrbill.Renderer{}, Sheets: sheet.Codec{}, Statements: camt.Reader{},
	}
	// Request counts of the sync health, written every 10 s and at shutdown.
	usage := routes.NewUsage(db, nil, logger)
	deps.Usage = usage
	var backups *scheduledBackups
	if cfg.BackupDir != "" {
		if backups, err = newScheduledBackups(cfg, db.Backup, logger); err != nil {
			return err
		}
		backups.register(reg)
		deps.BackupStatus = backups.Status
	}
	handler := routes.New(deps)
	tlsSide, err := newHTTPS(cfg)
	if err != nil {
		return err
	}
	forwardedHTTPS, err := https.ForwardedHTTPS(cfg.TrustedProxies)
	if err != nil {
		return fmt.Errorf("BILLBRIDGE_TRUSTED_PROXIES: %w", err)
	}
	if tlsSide != nil || forwardedHTTPS != nil {
		handler = https.HSTS(handler, forwardedHTTPS)
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("BILLBRIDGE_ADDR: %w", err)
	}
	stopMetrics, err := serveMetrics(ctx, cfg, deps, logger)
	if err != nil {
		return err
	}
	defer stopMetrics()
	stopPprof, err := servePprof(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer stopPprof()
	// In-flight requests finish on shutdown, bounded by BILLBRIDGE_SHUTDOWN_TIMEOUT.
	srv := newHTTPServer(ctx, handler, logger)
	if tlsSide != nil {
		srv.TLSConfig = tlsSide.TLSConfig
		if cfg.TLS.HTTPAddr != "" {
			stopHTTP, err := serveBackground(ctx, "BILLBRIDGE_HTTP_ADDR", cfg.TLS.HTTPAddr, tlsSide.HTTP, logger,
				"http listening for ACME challenges and redirects to https")
			if err != nil {
				return err
			}
			defer stopHTTP()
		}
	}

	// Background work stops when workCtx ends, after the HTTP server.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	dispatcher := webhook.NewDispatcher(webhook.Config{
		Queue: db, Guard: guard, Logger: logger, Metrics: webhook.NewMetrics(reg), PollInterval: cfg.DeliveryInterval,
		OnClaim: func(_ int, err error) { bg.count("deliveries", err) },
	})
	db.OnEvents(dispatcher.Wake) // deliveries start right after the commit that enqueued them
	defer db.OnEvents(nil)
	bg.worker(func() { dispatcher.Run(workCtx) })
	bg.worker(func() { usage.Run(workCtx, routes.FlushInterval) })
	overdue := &triggers.OverdueJob{Store: db}
	bg.every(workCtx, job{name: "overdue", interval: cfg.OverdueInterval, run: overdue.RunOnce})
	reminderDue := &triggers.ReminderDueJob{Store: db}
	bg.every(workCtx, job{name: "reminder_due", interval: cfg.OverdueInterval, run: reminderDue.RunOnce})
	bg.every(workCtx, job{name: "purge", interval: time.Hour, run: func(ctx context.Context) (int, error) {
		n, err := db.PurgeExpired(ctx, time.Now())
		if err != nil {
			return int(n), err
		}
		// Hourly counters older than the longest health window.
		m, err := db.PurgeUsage(ctx, time.Now().Add(-billbridge.MaxHealthWindow))
		return int(n + m), err
	}})

	alerts := &triggers.AlertJob{Store: db}
	bg.every(workCtx, job{name: "alerts", interval: cfg.AlertInterval, run: alerts.RunOnce})
	if cfg.SMTPURL != "" {
		mailer, err := smtpmail.New(cfg.SMTPURL, cfg.AlertFrom)
		if err != nil {
			return fmt.Errorf("BILLBRIDGE_SMTP_URL: %w", err)
		}
		alertMails := &triggers.AlertMailJob{Store: db, Mailer: mailer, PublicURL: cfg.PublicURL, Logger: logger}
		bg.every(workCtx, job{name: "alert_mails", interval: cfg.AlertInterval, run: alertMails.RunOnce})
		logger.Info("alert mails on", "smtp", mailer.Server().String(), "from", cfg.AlertFrom)
	} else {
		logger.Info("alert mails off: BILLBRIDGE_SMTP_URL is not set; alerts still appear as alert.fired and alert.resolved events")
	}

	if backups != nil {
		// Checked every minute (at most every interval): a backup is due
		// when the newest in the folder is BILLBRIDGE_BACKUP_INTERVAL old.
		bg.every(workCtx, job{name: "backup", interval: min(time.Minute, cfg.BackupInterval), run: backups.RunOnce})
	}
	logger.Info("billbridge listening", "addr", ln.Addr().String(), "https", tlsSide != nil, "database", redactDSN(cfg.DatabaseURL), "redis", cfg.RedisURL != "")
	errc := make(chan error, 1)
	if tlsSide != nil {
		go func() { errc <- srv.ServeTLS(ln, "", "") }()
		if cfg.TLS.ACME() {
			go obtainCertificates(tlsSide, logger)
		}
	} else {
		go func() { errc <- srv.Serve(ln) }()
	}
	select {
	case err := <-errc:
		stopWork()
		bg.wait()
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	stopWork()
	bg.wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	logger.Info("stopped")
	return err
}

// redactDSN keeps a database URL's scheme and host, never its password.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		u.User = nil
		return u.String()
	}
	return dsn
}
