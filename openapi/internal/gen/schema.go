package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"billbridge"
)

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(billbridge.Date{})
	rawType  = reflect.TypeOf(json.RawMessage{})
)

// field is one JSON property of a Go struct.
type field struct {
	name      string
	t         reflect.Type
	omitempty bool
	binding   string
}

// jsonFields lists the JSON properties of struct t, embedded structs
// flattened as encoding/json does.
func jsonFields(t reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, field{name: name, t: f.Type, omitempty: strings.Contains(opts, "omitempty"), binding: f.Tag.Get("binding")})
	}
	return out
}

// decimalUnit is the value of one minor unit of a decimal type (0.01 for
// Money), read from its own String method; 0 for other types.
func decimalUnit(t reflect.Type) float64 {
	if t.Kind() != reflect.Int64 || t.PkgPath() == "" {
		return 0
	}
	one := reflect.New(t).Elem()
	one.SetInt(1)
	s, ok := one.Interface().(fmt.Stringer)
	if !ok {
		return 0
	}
	u, err := strconv.ParseFloat(s.String(), 64)
	if err != nil || u <= 0 || u >= 1 {
		return 0
	}
	return u
}

// bindingConstraints makes every registered schema say what its Go type
// does: the binding tags' rules in the wire's units, formats, nullable
// pointers and, for responses, the fields always present as required.
func bindingConstraints(doc map[string]any) error {
	all := schemas(doc)
	requested := requestSchemas(doc)
	for name, gt := range registry {
		s, ok := all[name].(map[string]any)
		if !ok {
			continue // registered but not used by any operation
		}
		props := obj(s, "properties")
		var required []any
		seen := map[string]bool{}
		for _, f := range jsonFields(gt.t) {
			p, ok := props[f.name].(map[string]any)
			if !ok {
				return fmt.Errorf("schema %s lacks property %s of %s", name, f.name, gt.t)
			}
			seen[f.name] = true
			// A type also sent in requests (a response type inside an input,
			// such as a dunning level) takes decimals as strings there.
			if err := constrain(p, f, gt.input || requested[name]); err != nil {
				return fmt.Errorf("%s.%s: %w", name, f.name, err)
			}
			if gt.input && strings.Contains(","+f.binding+",", ",required,") {
				required = append(required, f.name)
			}
			if !gt.input && !f.omitempty {
				required = append(required, f.name)
			}
		}
		for p := range props {
			if !seen[p] {
				return fmt.Errorf("schema %s has property %s that %s does not", name, p, gt.t)
			}
		}
		if len(required) > 0 {
			s["required"] = required
		} else {
			delete(s, "required")
		}
	}
	return nil
}

// constrain sets property p's format, nullability and binding rules. On
// a request (input), a decimal is a JSON number or a decimal string.
func constrain(p map[string]any, f field, input bool) error {
	if err := constrainType(p, f); err != nil {
		return err
	}
	t := f.t
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if unit := decimalUnit(t); input && unit > 0 {
		numberOrString(p, unit)
	}
	return nil
}

// numberOrString turns the number schema p of a decimal into a oneOf of
// that number and a string of a decimal: what parseDecimal reads (at most
// 15 integer digits and the type's fraction digits, no exponent, white
// space around it trimmed). The number keeps the bounds, and the
// nullability: OpenAPI 3.0 allows nullable only beside a type, and on one
// branch only null still matches exactly one of them.
func numberOrString(p map[string]any, unit float64) {
	num := map[string]any{}
	for _, k := range []string{"type", "format", "nullable", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"} {
		if v, ok := p[k]; ok {
			num[k] = v
			delete(p, k)
		}
	}
	s := strconv.FormatFloat(unit, 'f', -1, 64)
	digits := len(s) - strings.Index(s, ".") - 1
	str := map[string]any{
		"type":        "string",
		"pattern":     `^\s*-?[0-9]{1,15}(\.[0-9]{1,` + strconv.Itoa(digits) + `})?\s*$`,
		"description": "A decimal written as a string, e.g. \"94.58\" (at most " + strconv.Itoa(digits) + " fraction digits); the number's bounds apply.",
	}
	p["oneOf"] = []any{num, str}
}

// constrainType sets property p's format, nullability and binding rules.
func constrainType(p map[string]any, f field) error {
	t := f.t
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
		if !f.omitempty {
			if _, isRef := p["$ref"]; !isRef {
				p["nullable"] = true
			}
		}
	}
	if decimalUnit(t) > 0 {
		p["type"], p["format"] = "number", "double" // exact decimals: clients should not use float32
	}
	switch t {
	case timeType:
		p["type"], p["format"] = "string", "date-time"
	case dateType:
		p["type"], p["format"] = "string", "date"
	}
	if t == rawType {
		return nil
	}
	rules, itemRules, _ := strings.Cut(f.binding, ",dive")
	if err := applyRules(p, t, rules); err != nil {
		return err
	}
	if itemRules != "" && t.Kind() == reflect.Slice {
		items := obj(p, "items")
		if _, isRef := items["$ref"]; !isRef {
			return applyRules(items, t.Elem(), strings.TrimPrefix(itemRules, ","))
		}
	}
	return nil
}

// applyRules writes the validator rules of one binding tag (before any
// dive) as schema keywords of a value of type t.
func applyRules(p map[string]any, t reflect.Type, rules string) error {
	unit := decimalUnit(t)
	for _, rule := range strings.Split(rules, ",") {
		key, arg, _ := strings.Cut(rule, "=")
		num := func() (float64, error) {
			n, err := strconv.ParseFloat(arg, 64)
			if unit > 0 {
				n = roundTo(n*unit, unit)
			}
			return n, err
		}
		var err error
		switch key {
		case "", "required", "omitempty":
		case "max", "lte", "min", "gte", "gt", "lt":
			var n float64
			if n, err = num(); err != nil {
				break
			}
			numeric(p, t, key, n)
		case "oneof":
			var enum []any
			for _, v := range strings.Fields(arg) {
				enum = append(enum, v)
			}
			if strings.Contains(","+rules+",", ",omitempty,") {
				enum = append(enum, "") // "" is "not given" (a platform's field mapped to nothing)
			}
			p["enum"] = enum
		case "email":
			// billbridge.EmailProblem at runtime; internal/contract checks the format with it too.
			p["format"] = "email"
		case "url", "http_url":
			p["format"] = "uri"
		case "iso3166_1_alpha2":
			p["pattern"] = "^[A-Za-z]{2}$"
		default:
			return fmt.Errorf("binding rule %q has no schema keyword yet: teach openapi/internal/gen/schema.go", rule)
		}
		if err != nil {
			return fmt.Errorf("binding rule %q: %w", rule, err)
		}
	}
	return nil
}

// numeric writes a bound: on the value for numbers, on the length for
// strings, on the count for arrays.
func numeric(p map[string]any, t reflect.Type, key string, n float64) {
	switch t.Kind() {
	case reflect.String:
		if key == "max" || key == "lte" {
			p["maxLength"] = n
		} else {
			p["minLength"] = n
		}
	case reflect.Slice:
		if key == "max" || key == "lte" {
			p["maxItems"] = n
		} else {
			p["minItems"] = n
		}
	default:
		switch key {
		case "max", "lte":
			p["maximum"] = n
		case "min", "gte":
			p["minimum"] = n
		case "gt":
			p["minimum"], p["exclusiveMinimum"] = n, true
		case "lt":
			p["maximum"], p["exclusiveMaximum"] = n, true
		}
	}
}

// roundTo rounds n to a multiple of unit, so 99999999999 × 0.01 is
// 999999999.99 and not 999999999.9900001.
func roundTo(n, unit float64) float64 {
	s := strconv.FormatFloat(unit, 'f', -1, 64)
	digits := len(s) - strings.Index(s, ".") - 1
	r, _ := strconv.ParseFloat(strconv.FormatFloat(n, 'f', digits, 64), 64)
	return r
}

// nullableEnums puts null among the values of every nullable enum: in
// OpenAPI 3.0 an enum lists every allowed value, so nullable alone does not
// allow null and typed clients refuse it (matched_by is null on a created
// upsert).
func nullableEnums(doc map[string]any) error {
	walk(doc, func(m map[string]any) {
		enum, ok := m["enum"].([]any)
		if !ok || m["nullable"] != true {
			return
		}
		for _, v := range enum {
			if v == nil {
				return
			}
		}
		m["enum"] = append(enum, nil)
	})
	return nil
}

// optionalQueryEnums lists "" among the values of every optional query
// parameter with an enum: the server binds them omitempty, so "" (a
// platform's field mapped to nothing, format= in a URL) is "not given".
func optionalQueryEnums(doc map[string]any) error {
	walk(obj(doc, "paths"), func(m map[string]any) {
		if m["in"] != "query" || m["required"] == true {
			return
		}
		schema, _ := m["schema"].(map[string]any)
		enum, ok := schema["enum"].([]any)
		if !ok {
			return
		}
		for _, v := range enum {
			if v == "" {
				return
			}
		}
		schema["enum"] = append(enum, "")
	})
	return nil
}

// requestSchemas names the component schemas a request body uses, directly
// or inside another.
func requestSchemas(doc map[string]any) map[string]bool {
	all := schemas(doc)
	seen := map[string]bool{}
	var visit func(v any)
	visit = func(v any) {
		walk(v, func(m map[string]any) {
			ref, _ := m["$ref"].(string)
			name, ok := strings.CutPrefix(ref, "#/components/schemas/")
			if !ok || seen[name] {
				return
			}
			seen[name] = true
			visit(all[name])
		})
	}
	walk(obj(doc, "paths"), func(m map[string]any) {
		if rb, ok := m["requestBody"]; ok {
			visit(rb)
		}
	})
	return seen
}
