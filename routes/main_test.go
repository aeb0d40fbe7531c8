package routes_test

import (
	"os"
	"testing"

	"billbridge/internal/contract"
)

// TestMain checks every exchange of these tests against the published
// OpenAPI description as well as against each test's own expectations.
func TestMain(m *testing.M) {
	contract.Install()
	os.Exit(m.Run())
}
