package routes

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// Problem is an RFC 9457 problem detail, the body of every error response.
type Problem struct {
	// A URI naming the problem type.
	Type   string `json:"type" example:"https://billbridge.dev/problems/validation_failed"`
	Title  string `json:"title" example:"Validation failed"`
	Status int    `json:"status" example:"422"`
	Detail string `json:"detail" example:"The request has invalid fields."`
	// Stable machine-readable code.
	Code      string `json:"code" example:"validation_failed"`
	RequestID string `json:"request_id" example:"req_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"`
	// The refused fields by their JSON names.
	InvalidParams []billbridge.FieldError `json:"invalid_params,omitempty"`
	// The id of the resource that already holds a natural key (409 on create).
	ExistingID string `json:"existing_id,omitempty"`
	// The external_id of the customer an upsert matched by customer_number or email (409 external_id_conflict).
	ExistingExternalID string `json:"existing_external_id,omitempty" example:"hubspot-company-4711"`
}

// statusOf maps every error code to its one HTTP status.
var statusOf = map[string]int{
	billbridge.EINVALID:            http.StatusUnprocessableEntity,
	billbridge.EMALFORMED:          http.StatusBadRequest,
	billbridge.ENOTFOUND:           http.StatusNotFound,
	billbridge.ECONFLICT:           http.StatusConflict,
	billbridge.EUNAUTHORIZED:       http.StatusUnauthorized,
	billbridge.EFORBIDDEN:          http.StatusForbidden,
	billbridge.ETOOLARGE:           http.StatusRequestEntityTooLarge,
	billbridge.ERATELIMITED:        http.StatusTooManyRequests,
	billbridge.EUNAVAILABLE:        http.StatusServiceUnavailable,
	billbridge.EINTERNAL:           http.StatusInternalServerError,
	billbridge.EMETHOD:             http.StatusMethodNotAllowed,
	billbridge.EKEYREUSED:          http.StatusUnprocessableEntity,
	billbridge.EKEYINUSE:           http.StatusConflict,
	billbridge.EKEYMALFORMED:       http.StatusBadRequest,
	billbridge.ECURSORINVALID:      http.StatusBadRequest,
	billbridge.EMEDIATYPE:          http.StatusUnsupportedMediaType,
	billbridge.EEXTERNALIDCONFLICT: http.StatusConflict,
}

// HTTPStatus returns the status of err's code.
func HTTPStatus(err error) int {
	if s, ok := statusOf[billbridge.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// renderError writes err as problem+json: the one place errors become HTTP.
// Internal errors are logged with their cause and shown as "Internal error.";
// a transaction that kept losing races becomes 503 with Retry-After.
func renderError(c *gin.Context, logger *slog.Logger, err error) {
	if errors.Is(err, billbridge.ErrRetry) {
		err = billbridge.Errorf(billbridge.EUNAVAILABLE, "The request met too many concurrent changes; retry it.")
		c.Header("Retry-After", "1")
	}
	code := billbridge.ErrorCode(err)
	status := HTTPStatus(err)
	if status >= 500 && code == billbridge.EINTERNAL {
		logger.ErrorContext(c.Request.Context(), "request failed", "request_id", web.RequestID(c), "route", c.FullPath(), "error", err)
	}
	p := Problem{
		Type: "https://billbridge.dev/problems/" + code, Title: http.StatusText(status), Status: status,
		Detail: billbridge.ErrorMessage(err), Code: code, RequestID: web.RequestID(c),
	}
	var e *billbridge.Error
	if errors.As(err, &e) {
		p.InvalidParams = e.Fields
		if id, ok := e.Extra["existing_id"].(string); ok {
			p.ExistingID = id
		}
		if id, ok := e.Extra["existing_external_id"].(string); ok {
			p.ExistingExternalID = id
		}
	}
	body, _ := web.Encode(p)
	c.Header("Content-Type", "application/problem+json")
	c.Header("Content-Length", strconv.Itoa(len(body)))
	c.Status(status)
	_, _ = c.Writer.Write(body)
	c.Abort()
}

// handle adapts a web.HandlerFunc to gin, rendering its error.
func (s *server) handle(fn web.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil && !s.replayStored(c) {
			renderError(c, s.logger, err)
		}
	}
}
