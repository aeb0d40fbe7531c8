// Command gen turns swag's Swagger 2.0 output into billbridge's published
// OpenAPI 3.0 description: kin-openapi's openapi2conv converts it, then the
// steps below say what Swagger 2.0 cannot, each from the Go code itself:
//
//   - component names without Go package prefixes (Invoice, CustomerList);
//   - the Bearer scheme as HTTP bearer authentication (security.go);
//   - the parts every operation shares (shared.go): security, the
//     Idempotency-Key, the headers and problems of auth, rate limits,
//     idempotency, body limits and internal errors;
//   - error responses as application/problem+json with an example per status;
//   - constraints of the binding tags swag misses or gets in the wrong unit
//     (decimals in minor units, gt, dive oneof, email, url), formats of
//     dates and timestamps, nullable and required fields of responses,
//     null among the values of nullable enums, "" among those of optional
//     enums (the server takes "" for "not given");
//   - the event payload of every trigger type, as a oneOf on the type;
//   - examples built from real domain values.
//
// Usage: go run ./openapi/internal/gen -in swagger.json -out openapi/
// It writes openapi.json and openapi.yaml, and fails when the result does not
// validate as OpenAPI 3.0 or when a schema has no Go type registered.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/goccy/go-yaml"
)

func main() {
	in := flag.String("in", "", "swag's swagger.json")
	out := flag.String("out", "openapi", "folder to write openapi.json and openapi.yaml to")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "openapi gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var v2 map[string]any
	if err := json.Unmarshal(raw, &v2); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if err := renameDefinitions(v2); err != nil {
		return err
	}
	doc, err := toV3(v2)
	if err != nil {
		return err
	}
	steps := []func(map[string]any) error{
		setServers, securitySchemes, sharedParts, problemResponses, bindingConstraints, flatSchemas, eventSchemas, hookCallbacks, publicOperations, nullableEnums, optionalQueryEnums, examples, fileUploads,
	}
	for _, step := range steps {
		if err := step(doc); err != nil {
			return err
		}
	}
	body, err := encode(doc)
	if err != nil {
		return err
	}
	if err := validate(body); err != nil {
		return err
	}
	y, err := toYAML(body)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "openapi.json"), body, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "openapi.yaml"), y, 0o644)
}

// toV3 converts a Swagger 2.0 document (as a JSON map) with openapi2conv and
// returns the OpenAPI 3.0 result as a JSON map for the later steps.
func toV3(v2 map[string]any) (map[string]any, error) {
	b, err := json.Marshal(v2)
	if err != nil {
		return nil, err
	}
	var doc2 openapi2.T
	if err := json.Unmarshal(b, &doc2); err != nil {
		return nil, fmt.Errorf("read swagger 2.0: %w", err)
	}
	doc3, err := openapi2conv.ToV3(&doc2)
	if err != nil {
		return nil, fmt.Errorf("convert to openapi 3: %w", err)
	}
	b, err = json.Marshal(doc3)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// encode writes the document as indented JSON with sorted keys.
func encode(doc map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// validate loads the result with kin-openapi and checks it is valid OpenAPI
// 3.0, examples included.
func validate(body []byte) error {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(body)
	if err != nil {
		return fmt.Errorf("load result: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return fmt.Errorf("the result is not valid OpenAPI 3.0: %w", err)
	}
	return nil
}

// toYAML re-encodes the JSON document as YAML, keeping its key order.
func toYAML(body []byte) ([]byte, error) {
	var v any
	if err := yaml.UnmarshalWithOptions(body, &v, yaml.UseOrderedMap()); err != nil {
		return nil, err
	}
	return yaml.MarshalWithOptions(v, yaml.Indent(2), yaml.IndentSequence(true))
}
