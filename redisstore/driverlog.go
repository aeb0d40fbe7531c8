package redisstore

import (
	"context"
	"fmt"
	"log/slog"
)

// DriverLogger sends go-redis's own log lines into Logger at Debug level.
// Left alone, go-redis prints one line to stderr for every failed dial, so a
// Redis outage under load floods the log with lines the gateway already
// reports. go-redis's logger is global to the process, so only main installs
// it:
//
//	redis.SetLogger(redisstore.DriverLogger{Logger: logger})
type DriverLogger struct {
	Logger *slog.Logger
}

// Printf logs one go-redis line at Debug level.
func (l DriverLogger) Printf(ctx context.Context, format string, v ...any) {
	l.Logger.DebugContext(ctx, fmt.Sprintf(format, v...), "component", "go-redis")
}
