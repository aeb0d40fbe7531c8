package clienttest_test

import (
	"encoding/json"
	"os"
	"testing"

	client "github.com/billbridge/billbridge/client"
)

// TestClientVersionFollowsSpec holds client.APIVersion, which names the
// client module's release line, to the version of the spec it is generated
// from: raising info.version without the client fails here.
func TestClientVersionFollowsSpec(t *testing.T) {
	raw, err := os.ReadFile("../openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Info struct {
			Version string `json:"version"`
		} `json:"info"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.Info.Version != client.APIVersion {
		t.Fatalf("openapi.json info.version is %q, client.APIVersion %q: change client/auth.go", spec.Info.Version, client.APIVersion)
	}
}

// TestDecimal sends decimal text as it is and refuses what is not a number.
func TestDecimal(t *testing.T) {
	price, err := client.Decimal[client.LineItemInput_UnitPrice]("150.00")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(price); string(b) != `"150.00"` {
		t.Fatalf("Decimal(150.00) marshals to %s", b)
	}
	if _, err := client.Decimal[client.LineItemInput_UnitPrice]("150,00"); err == nil {
		t.Fatal("Decimal(150,00) did not fail")
	}
}
