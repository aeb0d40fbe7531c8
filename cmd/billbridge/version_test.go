package main

import (
	"bytes"
	"context"
	"runtime"
	"testing"
)

// TestVersionNeedsNoConfiguration: `billbridge version` prints the stamped
// version and commit even when the environment would not start a server.
func TestVersionNeedsNoConfiguration(t *testing.T) {
	version, commit = "1.2.3", "abc1234"
	t.Cleanup(func() { version, commit = "dev", "unknown" })
	var out bytes.Buffer
	err := run(context.Background(), []string{"version"}, env(map[string]string{"BILLBRIDGE_LOG_LEVEL": "loud"}), &out, &out)
	want := "billbridge 1.2.3 (commit abc1234, " + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	if err != nil || out.String() != want {
		t.Fatalf("got %q, %v; want %q", out.String(), err, want)
	}
}
