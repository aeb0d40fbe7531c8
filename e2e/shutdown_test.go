package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestGracefulShutdownOnSIGTERM starts a request whose body is still being
// sent, sends SIGTERM, then finishes the body: the in-flight request
// completes with 201, new connections are refused, and the process exits 0
// after logging "stopped".
func TestGracefulShutdownOnSIGTERM(t *testing.T) {
	t.Parallel()
	// Info level and JSON, so the clean stop is in the log.
	r := startGatewayIn(t, t.TempDir(), "BILLBRIDGE_LOG_LEVEL=info", "BILLBRIDGE_LOG_FORMAT=json")
	key := r.firstStartKey(t)

	body, w := io.Pipe()
	req, _ := http.NewRequest("POST", r.URL+"/v1/customers", body)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = -1 // chunked: the server waits for the rest
	type answer struct {
		status int
		id     string
		err    error
	}
	done := make(chan answer, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		var c struct{ ID string }
		_ = json.NewDecoder(resp.Body).Decode(&c)
		done <- answer{status: resp.StatusCode, id: c.ID}
	}()
	if _, err := w.Write([]byte(`{"name":"Still `)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the request is in flight
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutdown closes the listener first: wait until a new request is refused.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get(r.URL + "/healthz")
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("new requests still accepted 5 s after SIGTERM")
		}
	}
	if r.exited() {
		t.Fatal("exited with a request in flight")
	}
	_, _ = w.Write([]byte(`in flight GmbH"}`))
	_ = w.Close()
	select {
	case a := <-done:
		if a.err != nil || a.status != http.StatusCreated || !strings.HasPrefix(a.id, "cus_") {
			t.Fatalf("in-flight request: %+v", a)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("in-flight request never answered")
	}
	select {
	case <-r.done:
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after the in-flight request finished")
	}
	if code := r.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code %d:\n%s", code, r.logs.String())
	}
	if !strings.Contains(r.logs.String(), `"msg":"stopped"`) {
		t.Fatalf("no clean stop logged:\n%s", r.logs.String())
	}
}
