package conformance

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// StartRedis starts a throwaway redis-server on a free loopback port, with
// no persistence and its files in a temporary directory, and returns its URL
// ("redis://127.0.0.1:PORT/0") with two controls for outage tests:
//
//   - stop kills the server (SIGKILL, like a crash) and waits until it is gone;
//     stopping a stopped server does nothing.
//   - restart starts a new, empty server on the same port and waits until it
//     answers PING; restarting a running server does nothing.
//
// extraArgs go to redis-server as they are (e.g. "--cluster-enabled", "yes").
// The server is killed when the test ends. The test fails when redis-server
// is not on PATH or does not start within 10 seconds. Call stop and restart
// from the test's goroutine. Use it for tests that
// stop Redis; tests that only need a Redis use testenv.RedisURL.
func StartRedis(t testing.TB, extraArgs ...string) (url string, stop, restart func()) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is needed for this test and is not on PATH: %v", err)
	}
	dir := t.TempDir()
	port, err := freePort()
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))

	var (
		mu     sync.Mutex
		cmd    *exec.Cmd     // the running server, nil when stopped
		exited chan struct{} // closed when cmd has exited
	)
	start := func() error {
		args := append([]string{
			"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", dir, "--loglevel", "warning",
		}, extraArgs...)
		c := exec.Command(bin, args...)
		var out strings.Builder
		c.Stdout, c.Stderr = &out, &out
		if err := c.Start(); err != nil {
			return err
		}
		done := make(chan struct{})
		go func() { _ = c.Wait(); close(done) }()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if ping(addr) == nil {
				cmd, exited = c, done
				return nil
			}
			select {
			case <-done:
				return fmt.Errorf("redis-server exited: %s", out.String())
			default:
			}
			if time.Now().After(deadline) {
				_ = c.Process.Kill()
				<-done
				return fmt.Errorf("redis-server on %s did not answer within 10s: %s", addr, out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	stop = func() {
		mu.Lock()
		defer mu.Unlock()
		if cmd == nil {
			return
		}
		_ = cmd.Process.Kill()
		<-exited
		cmd = nil
	}
	restart = func() {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		if cmd != nil {
			return
		}
		if err := start(); err != nil {
			t.Fatalf("restart redis-server: %v", err)
		}
	}
	mu.Lock()
	err = start()
	mu.Unlock()
	if err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	t.Cleanup(stop)
	return "redis://" + addr + "/0", stop, restart
}

// freePort returns a loopback TCP port nobody listens on right now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ping sends PING to the Redis at addr and expects +PONG.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("PING answered %q", line)
	}
	return nil
}
