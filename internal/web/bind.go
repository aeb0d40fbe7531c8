package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"billbridge"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"
)

// MaxBodyBytes is the largest request body accepted (413 beyond).
const MaxBodyBytes = 1 << 20

// BodyLimit returns the largest body the request's route accepts; see
// RouteBodyLimit.
func BodyLimit(c *gin.Context) int64 { return RouteBodyLimit(c.FullPath()) }

// RouteBodyLimit returns the largest body the route path accepts:
// billbridge.MaxImportBytes for the imports (routes under /v1/imports/),
// billbridge.MaxBankFileBytes for bank files (/v1/bank-statements),
// MaxBodyBytes for every other.
func RouteBodyLimit(path string) int64 {
	switch {
	case strings.HasPrefix(path, "/v1/imports/"):
		return billbridge.MaxImportBytes
	case path == "/v1/bank-statements":
		return billbridge.MaxBankFileBytes
	}
	return MaxBodyBytes
}

// Body returns the request body, read once and kept for later readers (the
// idempotency fingerprint and the handler read the same bytes). A body over
// MaxBodyBytes is ETOOLARGE.
func Body(c *gin.Context) ([]byte, error) {
	if b, ok := c.Get("billbridge.body"); ok {
		return b.([]byte), nil
	}
	if c.Request.Body == nil {
		return nil, nil
	}
	limit := BodyLimit(c)
	b, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, billbridge.Errorf(billbridge.ETOOLARGE, "The request body exceeds %d bytes.", limit)
		}
		return nil, billbridge.Errorf(billbridge.EMALFORMED, "The request body could not be read.")
	}
	c.Set("billbridge.body", b)
	return b, nil
}

// BindJSON decodes the JSON body into dst, normalizes it (when dst has a
// Normalize method, e.g. to trim its strings) and validates it. The body
// must be sent as application/json (or a +json type), in UTF-8: any other
// Content-Type, or none, is EMEDIATYPE (415), so a form-encoded body (what
// curl -d sends) is never read as JSON by accident. An empty body is
// EMALFORMED (400), syntax errors too; a value of the wrong type or form,
// and every failed validation rule, is EINVALID (422) naming the field by
// its JSON path.
func BindJSON(c *gin.Context, dst any) error {
	b, err := Body(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) > 0 {
		if err := jsonMediaType(c.GetHeader("Content-Type")); err != nil {
			return err
		}
	}
	if err := DecodeJSON(b, dst); err != nil {
		return err
	}
	n, ok := dst.(interface{ Normalize() })
	if !ok {
		return Validate(dst)
	}
	long := sentTooLong(dst)
	n.Normalize()
	return withFields(Validate(dst), long)
}

// sentTooLong lists the strings of dst longer than their max= rule as
// sent, before Normalize trims them. A length limit counts the value as
// sent, white space around it included, as the OpenAPI description's
// maxLength does, so the server and the spec refuse the same strings.
func sentTooLong(dst any) []billbridge.FieldError {
	var verrs validator.ValidationErrors
	if !errors.As(validatorInstance().Struct(dst), &verrs) {
		return nil
	}
	var out []billbridge.FieldError
	for _, fe := range verrs {
		if fe.Tag() == "max" && fe.Kind() == reflect.String {
			out = append(out, billbridge.FieldError{Name: jsonPath(fe.Namespace()), Reason: reason(fe) + " as sent, spaces around it included"})
		}
	}
	return out
}

// withFields adds fields to the EINVALID error err (or makes one when err
// is nil), each field once.
func withFields(err error, fields []billbridge.FieldError) error {
	if len(fields) == 0 {
		return err
	}
	var e *billbridge.Error
	if err == nil {
		e = &billbridge.Error{Code: billbridge.EINVALID, Message: "The request has invalid fields."}
	} else if !errors.As(err, &e) || e.Code != billbridge.EINVALID {
		return err
	}
	for _, f := range fields {
		if !slices.ContainsFunc(e.Fields, func(g billbridge.FieldError) bool { return g.Name == f.Name }) {
			e.Fields = append(e.Fields, f)
		}
	}
	return e
}

// BindOptionalJSON is BindJSON for a body that may be left out: no body
// (or one of only white space) leaves dst at its zero value and needs no
// Content-Type.
func BindOptionalJSON(c *gin.Context, dst any) error {
	b, err := Body(c)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return err
	}
	return BindJSON(c, dst)
}

// jsonMediaType refuses a Content-Type that is not JSON in UTF-8.
func jsonMediaType(ct string) error {
	mt, params, err := mime.ParseMediaType(ct)
	charset := strings.ToLower(params["charset"])
	if err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json")) && (charset == "" || charset == "utf-8") {
		return nil
	}
	got := "no Content-Type"
	if ct != "" {
		got = "Content-Type " + strconv.Quote(ct)
	}
	return &billbridge.Error{
		Code: billbridge.EMEDIATYPE,
		Message: "The body must be JSON sent with Content-Type: application/json; the request has " + got +
			" (curl -d sends application/x-www-form-urlencoded: add -H 'Content-Type: application/json').",
		Fields: []billbridge.FieldError{{Name: "Content-Type", Reason: "must be application/json (UTF-8)"}},
	}
}

// DecodeJSON decodes one JSON object into dst, mapping errors as BindJSON does.
func DecodeJSON(b []byte, dst any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return billbridge.Errorf(billbridge.EMALFORMED, "The request body is empty; a JSON object is expected.")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	err := dec.Decode(dst)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return billbridge.Errorf(billbridge.EMALFORMED, "The request body holds more than one JSON value.")
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return billbridge.Errorf(billbridge.EMALFORMED, "The request body is not valid JSON: %v.", err)
	case errors.As(err, &typ) && typ.Field == "":
		return billbridge.Errorf(billbridge.EMALFORMED, "The request body must be a JSON object.")
	}
	// A value of the wrong type, or one a field's own UnmarshalJSON refused:
	// walk the body to name it by its full path, with array indexes.
	if path, reason := locate(b, reflect.TypeOf(dst).Elem(), ""); path != "" {
		return billbridge.Invalid(path, reason)
	}
	if typ != nil {
		return billbridge.Invalid(jsonPath(typ.Field), "must be a "+jsonKind(typ.Type))
	}
	return billbridge.Errorf(billbridge.EMALFORMED, "The request body could not be decoded: %v.", err)
}

// jsonKind names a Go type the way a JSON user thinks of it.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		if t.Name() == "Date" {
			return "date written YYYY-MM-DD"
		}
		return "object"
	default:
		return "number"
	}
}

// locate walks raw JSON alongside type t and returns the JSON path of the
// first value that t's decoding refuses, with the refusal.
func locate(raw []byte, t reflect.Type, path string) (string, string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if reflect.PointerTo(t).Implements(reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()) {
			break
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return path, "must be an object"
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous && f.Tag.Get("json") == "" {
				// An embedded struct's fields sit in the same JSON object.
				if p, r := locate(raw, f.Type, path); p != "" {
					return p, r
				}
				continue
			}
			name := JSONName(f)
			if name == "" {
				continue
			}
			v, ok := obj[name]
			if !ok {
				continue
			}
			if p, r := locate(v, f.Type, join(path, name)); p != "" {
				return p, r
			}
		}
		return "", ""
	case reflect.Slice:
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) != nil {
			return path, "must be an array"
		}
		for i, v := range arr {
			if p, r := locate(v, t.Elem(), path+"["+strconv.Itoa(i)+"]"); p != "" {
				return p, r
			}
		}
		return "", ""
	}
	if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
		reason := err.Error()
		var be *billbridge.Error
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &be):
			reason = be.Message
		case errors.As(err, &typ):
			reason = "must be a " + jsonKind(typ.Type)
		}
		return path, reason
	}
	return "", ""
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// JSONName returns the JSON name of a struct field, "" for "-" or unexported.
func JSONName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}
