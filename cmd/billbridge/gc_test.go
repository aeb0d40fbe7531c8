package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC: without GOGC the collector's target becomes defaultGCPercent;
// with GOGC set it stays what the runtime took from it.
func TestTuneGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })
	if got := tuneGC(func(string) string { return "" }); got != defaultGCPercent {
		t.Errorf("tuneGC without GOGC = %d, want %d", got, defaultGCPercent)
	}
	if p := debug.SetGCPercent(150); p != defaultGCPercent {
		t.Errorf("GC target without GOGC %d, want %d", p, defaultGCPercent)
	}
	if got := tuneGC(func(k string) string { return map[string]string{"GOGC": "150"}[k] }); got != 150 {
		t.Errorf("tuneGC with GOGC set = %d, want the target in force, 150", got)
	}
	if p := debug.SetGCPercent(before); p != 150 {
		t.Errorf("GC target with GOGC set %d, want it unchanged, 150", p)
	}
}
