// Command billbridge runs the billbridge gateway.
//
//	billbridge [serve]                     serve HTTP (the default)
//	billbridge migrate                     apply database migrations and exit
//	billbridge version                     print version, commit and platform
//	billbridge healthcheck                 exit 0 when this server's /healthz answers 200
//	billbridge accounts create --name N    create an account, print its key once
//	billbridge backup --out FILE           write a consistent copy of the database (while serving)
//	billbridge restore --from FILE         replace an empty database by a backup (--force: any)
//	billbridge keys list|create|rotate|revoke  manage an account's API keys
//
// Configuration comes from BILLBRIDGE_* environment variables (see README).
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "billbridge:", err)
		os.Exit(1)
	}
}

// run is the whole program, with its inputs and outputs passed in so tests
// can run it in process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "version" || args[0] == "--version") {
		printVersion(stdout) // whatever the configuration
		return nil
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stderr)
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		tuneGC(getenv)
		return serve(ctx, cfg, logger, stdout)
	case "migrate":
		db, err := openStore(ctx, cfg, logger)
		if err != nil {
			return err
		}
		defer db.Close()
		fmt.Fprintln(stdout, "migrations applied")
		return nil
	case "accounts":
		return accounts(ctx, cfg, logger, args, stdout)
	case "keys":
		return keys(ctx, cfg, logger, args, stdout)
	case "healthcheck":
		return healthcheck(ctx, cfg)
	case "backup":
		return backup(ctx, cfg, logger, args, stdout)
	case "restore":
		return restore(ctx, cfg, args, stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, "usage: billbridge [serve] | migrate | accounts create --name NAME | keys list|create|rotate|revoke | backup --out FILE | restore --from FILE [--force] | version | healthcheck")
		return nil
	}
	return fmt.Errorf("unknown command %q (want serve, migrate, accounts, keys, backup, restore, version or healthcheck)", cmd)
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
