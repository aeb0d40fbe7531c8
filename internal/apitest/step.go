package apitest

import "testing"

// Step runs one step of a story (a test whose steps build on each other,
// in order) as a subtest named after the promise it proves. Once a step
// has failed, the later ones do not run: they build on what failed, and
// their failures would only repeat it; the test has failed already.
func Step(t *testing.T, promise string, fn func(t *testing.T)) {
	t.Helper()
	if t.Failed() {
		return
	}
	t.Run(promise, fn)
}
