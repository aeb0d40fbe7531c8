package contract_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/contract"
	"billbridge/internal/web"
)

// emailVerdicts answers, for one email value in POST /v1/customers, whether
// the spec accepts the request and whether the server's binding (decode →
// Normalize → Validate, what web.BindJSON runs) refuses the email field.
func emailVerdicts(t testing.TB, c *contract.Checker, email string) (specErr error, serverRefuses bool) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"name": "Dupont AG", "email": email})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", "http://127.0.0.1:1/v1/customers", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set("Content-Type", "application/json")
	specErr = c.RequestProblem(req, body)

	var in actions.CustomerInput
	if err := web.DecodeJSON(body, &in); err != nil {
		t.Fatal(err)
	}
	in.Normalize()
	var e *billbridge.Error
	if err := web.Validate(&in); errors.As(err, &e) {
		for _, f := range e.Fields {
			serverRefuses = serverRefuses || f.Name == "email"
		}
	} else if err != nil {
		t.Fatal(err)
	}
	return specErr, serverRefuses
}

var emailCases = []string{
	// accepted by the server
	"billing@dupont.ch", " Billing@Dupont.CH ", "\tbilling@dupont.ch\n", "", "   ", "first.last+tag@mail.dupont.ch",
	"müller@bäckerei-müller.ch", "用户@例子.广告", "İnfo@firma.com.tr", strings.Repeat("l", 64) + "@x.ch",
	// refused by the server
	"not-an-email", "billing@dupont", "billing@dupont.", `"a b"@dupont.ch`, `"billing"@dupont.ch`, "billing@[192.0.2.1]",
	"billing\u200b@dupont.ch", "bill\u00ading@dupont.ch", "\u212aunde@dupont.ch", "\uff42illing@dupont.ch",
	"cafe\u0301@dupont.ch", "bill ing@dupont.ch", "a@b@dupont.ch", strings.Repeat("l", 65) + "@x.ch",
	strings.Repeat("l", 64) + "@" + strings.Repeat("d", 63) + "." + strings.Repeat("d", 63) + "." + strings.Repeat("d", 63) + ".ch",
}

// TestEmailFormatIsWhatTheServerAccepts: the spec's format: email (checked
// with the server's own rule, billbridge.EmailProblem) accepts a customer
// email exactly when the server's binding does, both ways, trimming and ""
// included.
func TestEmailFormatIsWhatTheServerAccepts(t *testing.T) {
	c, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range emailCases {
		specErr, refused := emailVerdicts(t, c, email)
		switch {
		case refused && specErr == nil:
			t.Errorf("email %q: the server refuses it, the spec accepts it", email)
		case !refused && specErr != nil:
			t.Errorf("email %q: the server accepts it, the spec refuses it: %v", email, specErr)
		case refused && !strings.Contains(specErr.Error(), "email"):
			t.Errorf("email %q: the spec refuses it, but not for the email: %v", email, specErr)
		}
	}
}

// FuzzEmailFormatIsWhatTheServerAccepts is the same comparison on any
// string. One known gap is skipped: maxLength counts the raw value while
// the server counts it trimmed (true of every trimmed string field), so a
// padded address of at most 254 characters is the server's alone.
func FuzzEmailFormatIsWhatTheServerAccepts(f *testing.F) {
	c, err := contract.New()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range emailCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, email string) {
		if !utf8.ValidString(email) {
			email = strings.ToValidUTF8(email, "\uFFFD") // JSON carries only valid UTF-8
		}
		if utf8.RuneCountInString(email) > 254 && utf8.RuneCountInString(strings.TrimSpace(email)) <= 254 {
			t.Skip("maxLength counts the untrimmed value (known, all trimmed fields)")
		}
		specErr, refused := emailVerdicts(t, c, email)
		if refused != (specErr != nil) {
			t.Fatalf("email %q: server refuses = %v, spec error = %v", email, refused, specErr)
		}
	})
}
