package testenv_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"billbridge/internal/testenv"
)

// FanOut releases every call at once and answers in order: each of the n
// calls waits until all n have started, which only ends if they run
// together.
func TestFanOutRunsTogetherInOrder(t *testing.T) {
	const n = 16
	var started sync.WaitGroup
	started.Add(n)
	got := testenv.FanOut(t, n, func(i int) (int, error) {
		started.Done()
		started.Wait()
		return i * i, nil
	})
	for i, v := range got {
		if v != i*i {
			t.Fatalf("result %d is %d, want %d", i, v, i*i)
		}
	}
}

// fatal records a Fatalf instead of ending the goroutine.
type fatal struct {
	testing.TB
	msg string
}

func (f *fatal) Helper() {}

func (f *fatal) Fatalf(format string, args ...any) { f.msg = fmt.Sprintf(format, args...) }

// Start returns at once while its calls run beside the test; an error
// fails the test in wait, only after every call has returned.
func TestStartFailsInWaitAfterEveryCall(t *testing.T) {
	rec := &fatal{TB: t}
	release := make(chan struct{})
	var returned atomic.Int64
	wait := testenv.Start(rec, 4, func(i int) (int, error) {
		defer returned.Add(1)
		<-release // runs on after Start returned
		if i == 2 {
			return 0, errors.New("boom")
		}
		return i, nil
	})
	close(release)
	wait()
	if returned.Load() != 4 {
		t.Errorf("wait returned after %d of 4 calls", returned.Load())
	}
	if rec.msg != "call 2 of 4: boom" {
		t.Errorf("failure %q, want call 2 of 4: boom", rec.msg)
	}
}
