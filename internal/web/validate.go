package web

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"billbridge"

	"github.com/go-playground/validator/v10"
)

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// validatorInstance returns the one validator, reading `binding` tags (the
// tags swag documents, so runtime checks and the spec share one source) and
// naming fields by their JSON names.
func validatorInstance() *validator.Validate {
	validateOnce.Do(func() {
		validate = validator.New(validator.WithRequiredStructEnabled())
		validate.SetTagName("binding")
		// email: the domain's one email rule (shape, no invisible characters
		// or look-alikes), replacing the validator's own regular expression,
		// so the spec's format: email (checked with the same function in
		// internal/contract) and the server cannot drift apart.
		if err := validate.RegisterValidation("email", func(fl validator.FieldLevel) bool {
			return billbridge.EmailProblem(fl.Field().String()) == ""
		}); err != nil {
			panic(err)
		}
		validate.RegisterTagNameFunc(func(f reflect.StructField) string {
			if n := JSONName(f); n != "" {
				n, _, _ = strings.Cut(n, ",")
				return n
			}
			return "-"
		})
	})
	return validate
}

// Validate checks v's `binding` tags and the text rules (valid UTF-8, no
// control characters; see textProblem) of every string in v, and returns an
// EINVALID error listing every refused field by its JSON path (e.g.
// "items[0].quantity"). Bodies and queries both end here, so no request
// value the rules refuse reaches a store.
func Validate(v any) error {
	e := &billbridge.Error{Code: billbridge.EINVALID, Message: "The request has invalid fields.", Fields: textErrors(v)}
	err := validatorInstance().Struct(v)
	var verrs validator.ValidationErrors
	switch {
	case err == nil:
	case errors.As(err, &verrs):
		for _, fe := range verrs {
			// Namespace is "Struct.field.sub"; drop the struct's own name.
			e.Fields = append(e.Fields, billbridge.FieldError{Name: jsonPath(fe.Namespace()), Reason: reason(fe)})
		}
	default:
		return fmt.Errorf("validate: %w", err)
	}
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// jsonPath turns a validator namespace ("InvoiceInput.LinesInput.items[0].quantity")
// into the JSON path ("items[0].quantity"): the root struct and embedded
// structs, the segments named after Go types, have no place in the JSON.
func jsonPath(ns string) string {
	parts := strings.Split(ns, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "" && (p[0] < 'A' || p[0] > 'Z') {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}

// reason words one failed rule for a human.
func reason(fe validator.FieldError) string {
	p := fe.Param()
	switch fe.Tag() {
	case "required":
		return "is required"
	case "max":
		if k := fe.Kind(); k == reflect.String {
			return "must be at most " + p + " characters"
		} else if k == reflect.Slice {
			return "must have at most " + p + " items"
		}
		return "must be at most " + decimalParam(fe)
	case "min":
		if k := fe.Kind(); k == reflect.String {
			return "must be at least " + p + " characters"
		} else if k == reflect.Slice {
			return "must have at least " + p + " items"
		}
		return "must be at least " + decimalParam(fe)
	case "gt":
		return "must be greater than " + decimalParam(fe)
	case "gte":
		return "must be at least " + decimalParam(fe)
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(p, " ", ", ")
	case "email":
		return billbridge.EmailProblem(fmt.Sprint(fe.Value()))
	case "iso3166_1_alpha2":
		return "must be an ISO 3166-1 alpha-2 country code such as CH"
	case "url", "http_url":
		return "must be an absolute http(s) URL"
	}
	return "fails the rule " + fe.Tag()
}

// decimalParam renders a numeric rule's bound in the field's own unit, so a
// Money bound of 99999999999 reads 999999999.99.
func decimalParam(fe validator.FieldError) string {
	var n int64
	if _, err := fmt.Sscan(fe.Param(), &n); err != nil {
		return fe.Param()
	}
	switch fe.Type() {
	case reflect.TypeOf(billbridge.Money(0)):
		return billbridge.Money(n).String()
	case reflect.TypeOf(billbridge.Quantity(0)):
		return billbridge.Quantity(n).String()
	case reflect.TypeOf(billbridge.VATRate(0)):
		return billbridge.VATRate(n).String()
	}
	return fe.Param()
}
