package redisstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"billbridge"
	"billbridge/internal/conformance"
)

// startCluster starts a one-node Redis Cluster owning every slot and returns
// its redis+cluster:// URL. One node is enough to prove the cluster client
// and the scripts: the node still refuses keys of other slots in a script.
func startCluster(t *testing.T) string {
	t.Helper()
	url, _, _ := conformance.StartRedis(t, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "redis://"), "/0")
	ctx := context.Background()
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	if err := c.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", 0, 16383).Err(); err != nil {
		t.Fatalf("assign slots: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		info, err := c.ClusterInfo(ctx).Result()
		if err == nil && strings.Contains(info, "cluster_state:ok") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cluster not ok after 10s: %v %s", err, info)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "redis+cluster://" + addr
}

func TestClusterConformance(t *testing.T) {
	u := startCluster(t)
	s := open(t, u, "bbcluster:")
	if _, ok := s.rdb.(*redis.ClusterClient); !ok {
		t.Fatalf("client is %T, want a cluster client", s.rdb)
	}
	conformance.IdempotencyCache(t, func(t *testing.T) billbridge.IdempotencyCache {
		return open(t, u, "bbcluster:"+t.Name()+":")
	})
	conformance.RateLimiter(t, func(t *testing.T) billbridge.RateLimiter {
		return open(t, u, "bbcluster:"+t.Name()+":")
	})
}
