// Package e2e runs the real billbridge binary as processes against the
// test PostgreSQL and Redis: crashes with kill -9, restarts, and several
// gateways on one database. TestMain builds the binary once.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"billbridge/internal/testenv"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

// binary is the billbridge executable built by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "billbridge-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "billbridge")
	build := exec.Command("go", "build", "-o", binary, "billbridge/cmd/billbridge")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build billbridge:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// gateway is one running billbridge process.
type gateway struct {
	URL  string
	cmd  *exec.Cmd
	done chan struct{}
	logs *testenv.Buffer
}

// environ is the process environment without any BILLBRIDGE_ setting of
// the caller, plus env.
func environ(env ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BILLBRIDGE_") {
			out = append(out, kv)
		}
	}
	return append(out, env...)
}

// startGateway runs `billbridge serve` with env on a free loopback port and
// waits (at most 20 s) until /healthz answers. The process is stopped with
// SIGTERM when the test ends, and its log shown if the test failed.
func startGateway(t *testing.T, env ...string) *gateway {
	t.Helper()
	return startGatewayIn(t, "", env...)
}

// startGatewayIn is startGateway with dir as the working directory, where
// the embedded default store lives (dir/data) when env names no database.
func startGatewayIn(t *testing.T, dir string, env ...string) *gateway {
	t.Helper()
	addr := freeAddr(t)
	g := launch(t, dir, append([]string{"BILLBRIDGE_ADDR=" + addr}, env...)...)
	g.URL = "http://" + addr
	g.waitReady(t, http.DefaultClient, g.URL+"/healthz", 20*time.Second)
	return g
}

// launch starts `billbridge serve` in dir with env (and warn-level logs).
// The process is stopped with SIGTERM when the test ends, and its log
// shown if the test failed.
func launch(t *testing.T, dir string, env ...string) *gateway {
	t.Helper()
	g := &gateway{done: make(chan struct{}), logs: &testenv.Buffer{}}
	g.cmd = exec.Command(binary, "serve")
	g.cmd.Dir = dir
	g.cmd.Env = environ(append([]string{"BILLBRIDGE_LOG_LEVEL=warn"}, env...)...)
	g.cmd.Stdout, g.cmd.Stderr = g.logs, g.logs
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = g.cmd.Wait(); close(g.done) }()
	t.Cleanup(func() {
		g.stop()
		if t.Failed() {
			t.Logf("gateway %s log:\n%s", g.URL, g.logs.String())
		}
	})
	return g
}

// waitReady waits until url answers 200 through c, at most limit.
func (g *gateway) waitReady(t *testing.T, c *http.Client, url string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		resp, err := c.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		select {
		case <-g.done:
			t.Fatalf("gateway exited before it was ready:\n%s", g.logs.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("gateway not ready within %s (last error %v):\n%s", limit, err, g.logs.String())
		}
	}
}

// printedKey matches the API key a first start on an empty embedded store
// prints, alone and indented on its line.
var printedKey = regexp.MustCompile(`(?m)^\s+(bb_\S+)\s*$`)

// firstStartKey returns the key the gateway printed on its first start.
func (g *gateway) firstStartKey(t *testing.T) string {
	t.Helper()
	m := printedKey.FindStringSubmatch(g.logs.String())
	if m == nil {
		t.Fatalf("no API key printed on first start:\n%s", g.logs.String())
	}
	return m[1]
}

// exited reports whether the process has ended.
func (g *gateway) exited() bool {
	select {
	case <-g.done:
		return true
	default:
		return false
	}
}

// kill ends the process with SIGKILL, as a crash would, and waits for it.
func (g *gateway) kill() {
	_ = g.cmd.Process.Signal(syscall.SIGKILL)
	<-g.done
}

// stop ends the process with SIGTERM, and SIGKILL after 10 s.
func (g *gateway) stop() {
	select {
	case <-g.done:
		return
	default:
	}
	_ = g.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-g.done:
	case <-time.After(10 * time.Second):
		g.kill()
	}
}

// createAccount runs `billbridge accounts create` and returns the account
// id and API key.
func createAccount(t *testing.T, name, timezone string, env ...string) (id, key string) {
	t.Helper()
	cmd := exec.Command(binary, "accounts", "create", "--name", name, "--timezone", timezone)
	cmd.Env = environ(env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("accounts create: %v: %s", err, stderr.String())
	}
	var a struct {
		AccountID string `json:"account_id"`
		APIKey    string `json:"api_key"`
	}
	if err := json.Unmarshal(out, &a); err != nil || a.AccountID == "" || a.APIKey == "" {
		t.Fatalf("accounts create printed %q: %v", out, err)
	}
	return a.AccountID, a.APIKey
}

// response is what a request got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// client sends every e2e request; each is bounded.
var client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// do sends one request with the API key and header pairs; it may run on
// any goroutine and returns transport errors (a killed gateway) as errors.
func do(base, method, path, key string, body []byte, headers ...string) (*response, error) {
	req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+key)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// must is do that fails the test on a transport error or another status.
func must(t *testing.T, want int, base, method, path, key string, body any, out any) *response {
	t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	r, err := do(base, method, path, key, raw)
	if err != nil {
		t.Fatal(err)
	}
	if r.status != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, r.status, want, r.body)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, r.body, err)
		}
	}
	return r
}

// sqlCount runs a count query on the database at dsn.
func sqlCount(t *testing.T, dsn, query string, args ...any) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// sqlExec runs a statement on the database at dsn.
func sqlExec(t *testing.T, dsn, stmt string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt, args...); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// deletePrefix deletes every Redis key under prefix (SCAN + DEL, never
// FLUSHALL on the shared server) and returns how many there were.
func deletePrefix(t *testing.T, redisURL, prefix string) int {
	t.Helper()
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n := 0
	iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator()
	for iter.Next(ctx) {
		if err := rdb.Del(ctx, iter.Val()).Err(); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

// metricSum sums the samples of a metric on a gateway's /metrics whose
// label text contains every one of labels (e.g. `job="overdue"`).
func metricSum(t *testing.T, base, name string, labels ...string) float64 {
	t.Helper()
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sum := 0.0
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		ok := true
		for _, l := range labels {
			ok = ok && strings.Contains(line, l)
		}
		if !ok {
			continue
		}
		f := strings.Fields(line)
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil {
			t.Fatalf("metric line %q: %v", line, err)
		}
		sum += v
	}
	return sum
}
