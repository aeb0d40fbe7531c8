package actions_test

import (
	"os"
	"testing"

	"billbridge/internal/contract"
)

// TestMain checks every exchange of these tests (the actions' handlers
// driven through the real gateway on SQLite and PostgreSQL) against the
// published OpenAPI description as well as each test's own expectations.
func TestMain(m *testing.M) {
	contract.Install()
	os.Exit(m.Run())
}
