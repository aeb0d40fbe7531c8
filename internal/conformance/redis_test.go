package conformance

import (
	"strings"
	"testing"
)

func TestStartRedis(t *testing.T) {
	url, stop, restart := StartRedis(t)
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "redis://"), "/0")
	if err := ping(addr); err != nil {
		t.Fatalf("started server at %s: %v", url, err)
	}
	stop()
	if err := ping(addr); err == nil {
		t.Fatal("server still answers after stop")
	}
	stop() // stopping twice is harmless
	restart()
	if err := ping(addr); err != nil {
		t.Fatalf("restarted server at %s: %v", url, err)
	}
	restart() // restarting a running server is harmless
	if err := ping(addr); err != nil {
		t.Fatalf("after a second restart: %v", err)
	}
}
