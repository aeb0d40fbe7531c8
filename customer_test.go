package billbridge_test

import (
	"strings"
	"testing"
	"time"

	"billbridge"
)

func TestNameKey(t *testing.T) {
	same := []string{"Dupont GmbH", "GmbH Dupont", " dupont  gmbh ", "DUPONT AG", "Dupont Sàrl", "Dupont S.A."}
	for _, n := range same {
		if got := billbridge.NameKey(n); got != "dupont" {
			t.Errorf("NameKey(%q) = %q, want dupont", n, got)
		}
	}
	if billbridge.NameKey("Müller AG") != billbridge.NameKey("Mueller AG") {
		t.Error("umlaut not expanded")
	}
	if billbridge.NameKey("Müller AG") == billbridge.NameKey("Miller AG") {
		t.Error("Müller and Miller collide")
	}
	if billbridge.NameKey("Meier & Söhne") != billbridge.NameKey("Söhne und Meier") {
		t.Error("& and und differ")
	}
}

func TestNewIDSortsByTime(t *testing.T) {
	a := billbridge.NewID("cus")
	if !strings.HasPrefix(a, "cus_") || len(a) != 30 {
		t.Fatalf("id %q", a)
	}
	seen := map[string]bool{}
	for range 1000 {
		id := billbridge.NewID("x")
		if seen[id] {
			t.Fatal("duplicate id")
		}
		seen[id] = true
	}
}

func TestAPIKeyHash(t *testing.T) {
	key, hash := billbridge.NewAPIKey()
	if !strings.HasPrefix(key, billbridge.APIKeyPrefix) || strings.Contains(hash, key) || billbridge.HashAPIKey(key) != hash {
		t.Fatal("key and hash do not match")
	}
}

func TestAccountLocation(t *testing.T) {
	zurich := (&billbridge.Account{Timezone: "Europe/Zurich"}).Location()
	if zurich.String() != "Europe/Zurich" || (&billbridge.Account{Timezone: "Europe/Zurich"}).Location() != zurich {
		t.Fatalf("zone %v not loaded once", zurich)
	}
	if (&billbridge.Account{Timezone: "Mars/Olympus"}).Location() != time.UTC {
		t.Fatal("an unknown zone is not UTC")
	}
}
