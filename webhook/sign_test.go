package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The test vector published with the Standard Webhooks reference libraries.
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorBody      = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

// verifySignature checks Standard Webhooks headers the way a receiver
// would, written from the specification and not from Sign: the key is the
// base64 after "whsec_", the signed content "id.timestamp.body", and any
// of the space-separated "v1,<base64>" entries may match.
func verifySignature(secret string, h http.Header, body []byte) error {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(h.Get("webhook-id") + "." + h.Get("webhook-timestamp") + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	for _, entry := range strings.Fields(h.Get("webhook-signature")) {
		version, sig, _ := strings.Cut(entry, ",")
		got, err := base64.StdEncoding.DecodeString(sig)
		if version == "v1" && err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return errors.New("no matching v1 signature")
}

func vectorHeader(sig string) http.Header {
	h := http.Header{}
	h.Set("webhook-id", vectorID)
	h.Set("webhook-timestamp", "1614265330")
	h.Set("webhook-signature", sig)
	return h
}

func TestVerifierAcceptsPublishedVector(t *testing.T) {
	if err := verifySignature(vectorSecret, vectorHeader("v1,bm9wZQ== "+vectorSignature), []byte(vectorBody)); err != nil {
		t.Fatalf("verifier rejects the published vector: %v", err)
	}
	if err := verifySignature(vectorSecret, vectorHeader(vectorSignature), []byte(vectorBody+" ")); err == nil {
		t.Fatal("verifier accepts a changed body")
	}
}

func TestSignMatchesPublishedVector(t *testing.T) {
	got := Sign(vectorSecret, vectorID, time.Unix(vectorTimestamp, 0), []byte(vectorBody))
	if got != vectorSignature {
		t.Fatalf("Sign = %q, want %q", got, vectorSignature)
	}
}

func TestSignDependsOnEverySignedPart(t *testing.T) {
	ts := time.Unix(vectorTimestamp, 0)
	base := Sign(vectorSecret, vectorID, ts, []byte(vectorBody))
	for name, sig := range map[string]string{
		"secret":    Sign("whsec_"+base64.StdEncoding.EncodeToString([]byte("another secret key, 24+ bytes")), vectorID, ts, []byte(vectorBody)),
		"id":        Sign(vectorSecret, vectorID+"x", ts, []byte(vectorBody)),
		"timestamp": Sign(vectorSecret, vectorID, ts.Add(time.Second), []byte(vectorBody)),
		"body":      Sign(vectorSecret, vectorID, ts, []byte(vectorBody+" ")),
	} {
		if sig == base {
			t.Errorf("changing the %s leaves the signature unchanged", name)
		}
	}
}

func TestNewRequestHeaders(t *testing.T) {
	del := deliveryFor("https://hooks.example.com/x", "dlv_1", "evt_1")
	now := time.Unix(1767607200, 0)
	req, err := newRequest(t.Context(), del, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"webhook-id":        "evt_1",
		"webhook-timestamp": "1767607200",
		"Content-Type":      "application/json",
		"User-Agent":        "billbridge-webhooks/1",
	}
	for k, v := range want {
		if got := req.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if req.Method != http.MethodPost || req.URL.String() != del.TargetURL {
		t.Errorf("request %s %s, want POST %s", req.Method, req.URL, del.TargetURL)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil || !bytes.Equal(body, del.Payload) {
		t.Fatalf("body %q (%v), want the payload %q", body, err, del.Payload)
	}
	if err := verifySignature(del.Secret, req.Header, body); err != nil {
		t.Errorf("signature: %v", err)
	}
}
