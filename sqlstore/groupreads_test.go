package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"billbridge"
)

// The writers of one group transaction share the duplicate settings they
// read (groupReads), and a writer that saves them makes the writers after
// it read them anew: a customer write after a PUT of auto_merge in the same
// group applies the new rule.
func TestGroupReadsForgetSavedDuplicateSettings(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "g.db"), "UTC", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a := &billbridge.Account{Name: "Acme"}
	_, hash := billbridge.NewAPIKey()
	if err := db.CreateAccount(ctx, a, hash); err != nil {
		t.Fatal(err)
	}
	stx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stx.Rollback() }()
	var shared groupReads
	writer := func() *Tx {
		tx := db.newTx(detached{stx})
		tx.shared = &shared
		return tx
	}
	read := func(tx *Tx) string {
		t.Helper()
		s, err := tx.FindDuplicateSettings(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return s.AutoMerge
	}
	first, second, third := writer(), writer(), writer()
	if got := read(first); got != billbridge.AutoMergeOff {
		t.Fatalf("auto_merge %q, want off", got)
	}
	if err := second.SaveDuplicateSettings(ctx, &billbridge.DuplicateSettings{AccountID: a.ID, AutoMerge: billbridge.AutoMergeExact}); err != nil {
		t.Fatal(err)
	}
	if got := read(third); got != billbridge.AutoMergeExact {
		t.Errorf("after a writer of the group saved exact, the next reads auto_merge %q", got)
	}
	if _, ok := shared.duplicateSettings[a.ID]; !ok {
		t.Errorf("the group keeps no duplicate settings it read")
	}
}
