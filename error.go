package billbridge

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to exactly one HTTP status in routes.
const (
	EINVALID       = "validation_failed"       // 422: the request is well-formed but breaks a rule
	EMALFORMED     = "malformed_request"       // 400: the request cannot be parsed
	ENOTFOUND      = "not_found"               // 404
	ECONFLICT      = "conflict"                // 409: the resource's state forbids the change
	EUNAUTHORIZED  = "unauthorized"            // 401
	EFORBIDDEN     = "forbidden"               // 403
	ETOOLARGE      = "request_too_large"       // 413
	ERATELIMITED   = "rate_limited"            // 429
	EUNAVAILABLE   = "unavailable"             // 503
	EINTERNAL      = "internal"                // 500
	EMETHOD        = "method_not_allowed"      // 405
	EKEYREUSED     = "idempotency_key_reused"  // 422: same key, another request
	EKEYINUSE      = "idempotency_key_in_use"  // 409: same key, first request still running
	EKEYMALFORMED  = "idempotency_key_invalid" // 400
	ECURSORINVALID = "cursor_invalid"          // 400
	EMEDIATYPE     = "unsupported_media_type"  // 415: a body in a media type the operation does not take
	// EEXTERNALIDCONFLICT: 409, an upsert matched a customer by
	// customer_number or email whose external_id differs from the one sent.
	EEXTERNALIDCONFLICT = "external_id_conflict"
)

// FieldError names one request field (by its JSON name, dotted for nested
// fields, e.g. "items[0].unit_price") and why it was refused.
type FieldError struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Error is the one error type of billbridge. Code decides the HTTP status;
// Message is safe to show to the client; Fields lists refused fields; Extra
// carries problem extensions such as "existing_id".
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Extra   map[string]any
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s (%s: %s)", e.Code, e.Message, e.Fields[0].Name, e.Fields[0].Reason)
	}
	return e.Code + ": " + e.Message
}

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming one field.
func Invalid(field, reason string) *Error {
	return &Error{Code: EINVALID, Message: "The request has invalid fields.", Fields: []FieldError{{Name: field, Reason: reason}}}
}

// NotFound returns an ENOTFOUND error for a resource kind ("customer").
func NotFound(kind string) *Error {
	return Errorf(ENOTFOUND, "No such %s.", kind)
}

// Taken returns the ECONFLICT error of a natural key that another resource
// already holds: it names the field and carries that resource's id as the
// problem's existing_id.
func Taken(message, field, existingID string) *Error {
	return &Error{
		Code: ECONFLICT, Message: message,
		Fields: []FieldError{{Name: field, Reason: "is taken by " + existingID}},
		Extra:  map[string]any{"existing_id": existingID},
	}
}

// ExternalIDConflict returns the EEXTERNALIDCONFLICT error of an upsert
// that matched existing by key (customer_number or email) while sending
// externalID, another CRM id than existing's: two CRM records sharing a
// mailbox are two customers, so the upsert neither overwrites existing's
// external_id nor creates one silently. It names both ids.
func ExternalIDConflict(existing *Customer, key, externalID string) *Error {
	return &Error{
		Code: EEXTERNALIDCONFLICT,
		Message: fmt.Sprintf("The customer matched by %s (%s) has external_id %q, not %q: two CRM records share it. "+
			"Send that customer's external_id, merge the two, or leave %s out to create a separate customer.",
			key, existing.ID, existing.ExternalID, externalID, key),
		Fields: []FieldError{{Name: "external_id", Reason: fmt.Sprintf("differs from external_id %q of %s, matched by %s", existing.ExternalID, existing.ID, key)}},
		Extra:  map[string]any{"existing_id": existing.ID, "existing_external_id": existing.ExternalID},
	}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not *Error
// and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	}
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err; internal errors get a
// generic text so nothing private leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
