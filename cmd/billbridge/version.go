package main

import (
	"fmt"
	"io"
	"runtime"

	// The binary runs in an empty root file system (a scratch image): it
	// carries the time zone database and, for when the system has none,
	// Mozilla's CA roots (to reach Let's Encrypt and webhook targets).
	_ "golang.org/x/crypto/x509roots/fallback"
	_ "time/tzdata"
)

// version and commit are stamped by `make release`:
// -ldflags "-X main.version=1.2.3 -X main.commit=abc1234".
var (
	version = "dev"
	commit  = "unknown"
)

// printVersion writes one line: version, commit, Go version and platform.
func printVersion(w io.Writer) {
	fmt.Fprintf(w, "billbridge %s (commit %s, %s, %s/%s)\n", version, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
