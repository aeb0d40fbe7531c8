package web

import (
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"unicode"
	"unicode/utf8"

	"billbridge"

	"github.com/gin-gonic/gin"
)

// Text rules, applied where requests are decoded so every store gives the
// same answer (PostgreSQL cannot hold NUL; SQLite can):
//   - a string holds valid UTF-8 and no control character (C0, DEL, C1);
//   - a field tagged `text:"multiline"` may also hold line breaks and tabs.
const (
	reasonControl   = "must not contain control characters"
	reasonMultiline = "must not contain control characters other than line breaks and tabs"
	reasonUTF8      = "must be valid UTF-8"
)

// textProblem says what is wrong with s under the text rules, "" when nothing.
func textProblem(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return reasonUTF8
	}
	for _, r := range s {
		if !unicode.IsControl(r) {
			continue
		}
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if multiline {
			return reasonMultiline
		}
		return reasonControl
	}
	return ""
}

// CleanText reports whether s is valid UTF-8 without control characters:
// what a path id or any other single-line value must be.
func CleanText(s string) bool { return textProblem(s, false) == "" }

// PathError is the answer to a path whose ids are not clean text (invalid
// UTF-8, control characters), given without asking a store: ENOTFOUND, as
// for any unknown id (PostgreSQL would fail on a NUL where SQLite finds
// nothing); nil when every id is clean.
func PathError(params gin.Params) error {
	for _, p := range params {
		if !CleanText(p.Value) {
			return billbridge.Errorf(billbridge.ENOTFOUND, "No resource has the %s %q.", p.Key, p.Value)
		}
	}
	return nil
}

// textErrors applies the text rules to every string of a decoded request
// and names each refused field by its JSON path.
func textErrors(v any) []billbridge.FieldError {
	var fields []billbridge.FieldError
	walkText(reflect.ValueOf(v), "", false, &fields)
	return fields
}

var unmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()

func walkText(v reflect.Value, path string, multiline bool, out *[]billbridge.FieldError) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkText(v.Elem(), path, multiline, out)
		}
	case reflect.String:
		if reason := textProblem(v.String(), multiline); reason != "" {
			*out = append(*out, billbridge.FieldError{Name: path, Reason: reason})
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkText(v.Index(i), path+"["+strconv.Itoa(i)+"]", multiline, out)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			if k.Kind() == reflect.String {
				walkText(k, join(path, k.String()), false, out)
				walkText(v.MapIndex(k), join(path, k.String()), multiline, out)
			}
		}
	case reflect.Struct:
		if reflect.PointerTo(v.Type()).Implements(unmarshalerType) {
			return // a type that decodes itself (Date, Money) checks its own form
		}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous && f.Tag.Get("json") == "" {
				walkText(v.Field(i), path, false, out)
				continue
			}
			name := JSONName(f)
			if name == "" {
				continue
			}
			walkText(v.Field(i), join(path, name), f.Tag.Get("text") == "multiline", out)
		}
	}
}
