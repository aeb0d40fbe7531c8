package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Standard Webhooks request headers.
const (
	HeaderID        = "webhook-id"        // the event id, the same on every attempt
	HeaderTimestamp = "webhook-timestamp" // Unix seconds of the attempt
	HeaderSignature = "webhook-signature" // "v1,<base64 HMAC-SHA256>"
)

// UserAgent is sent with every delivery.
const UserAgent = "billbridge-webhooks/1"

// secretPrefix starts every Standard Webhooks secret.
const secretPrefix = "whsec_"

// Sign returns the Standard Webhooks signature "v1,<base64>" of a message:
// HMAC-SHA256 over "msgID.timestamp.body" with timestamp in Unix seconds.
// The key is the base64 decoding of secret after its "whsec_" prefix; a
// secret that is not valid base64 is used as raw bytes, as Standard Webhooks
// libraries do for raw secrets.
func Sign(secret, msgID string, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, secretKey(secret))
	mac.Write([]byte(msgID))
	mac.Write([]byte{'.'})
	mac.Write(strconv.AppendInt(nil, ts.Unix(), 10))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// secretKey returns the HMAC key of a "whsec_<base64>" secret.
func secretKey(secret string) []byte {
	if key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix)); err == nil {
		return key
	}
	return []byte(secret)
}
