package contract

import (
	"errors"

	"billbridge"

	"github.com/getkin/kin-openapi/openapi3"
)

// formats are the string formats the spec uses that kin-openapi does not
// check by itself, each checked with the server's own rule so the two
// cannot drift: format: email is billbridge.EmailProblem, which the API's
// `email` binding calls too (input trimmed, "" accepted as "not given").
var formats = []openapi3.SchemaValidationOption{
	openapi3.WithStringFormatValidator("email", openapi3.NewCallbackValidator(func(s string) error {
		if p := billbridge.EmailProblem(s); p != "" {
			return errors.New(p)
		}
		return nil
	})),
}
