package billbridge

import (
	"testing"
	"time"
)

func TestULIDsIncreaseWithinOneMillisecond(t *testing.T) {
	var s ulidSource
	at := time.UnixMilli(1764720000000)
	prev := s.next(at)
	for i := range 1000 {
		id := s.next(at)
		if id <= prev {
			t.Fatalf("id %d %s is not after %s in the same millisecond", i, id, prev)
		}
		prev = id
	}
	if back := s.next(at.Add(-time.Second)); back <= prev {
		t.Fatalf("after the clock stepped back: %s is not after %s", back, prev)
	}
	later := s.next(at.Add(time.Second))
	if later <= prev || later[:10] == prev[:10] {
		t.Fatalf("a later millisecond: %s is not after %s", later, prev)
	}
}

func TestULIDRandomBitsOverflowMoveToTheNextMillisecond(t *testing.T) {
	var s ulidSource
	at := time.UnixMilli(1764720000000)
	first := s.next(at)
	for i := 6; i < 16; i++ {
		s.last[i] = 0xff
	}
	maxed := encodeULID(s.last)
	next := s.next(at)
	if next <= maxed || next[:10] == first[:10] {
		t.Fatalf("after the largest ULID of a millisecond %s came %s", maxed, next)
	}
}
