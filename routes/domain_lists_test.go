package routes_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"billbridge"
	"billbridge/actions"
	"billbridge/routes"
	"billbridge/triggers"
)

// TestEveryErrorCodeHasItsStatus: every error code declared in error.go
// renders with a status of its own; only EINTERNAL is a 500.
func TestEveryErrorCodeHasItsStatus(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../error.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := 0
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Values) != 1 || !strings.HasPrefix(vs.Names[0].Name, "E") {
			return true
		}
		lit, ok := vs.Values[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		code, _ := strconv.Unquote(lit.Value)
		codes++
		got := routes.HTTPStatus(&billbridge.Error{Code: code})
		if want500 := vs.Names[0].Name == "EINTERNAL"; (got == http.StatusInternalServerError) != want500 {
			t.Errorf("%s (%q) renders as %d", vs.Names[0].Name, code, got)
		}
		return true
	})
	if codes < 10 {
		t.Fatalf("found %d error codes in error.go; the parse is wrong", codes)
	}
}

// TestBindingOneofsAreTheDomainLists: every `oneof` a request binds with
// is exactly the domain's list, and the spec's enum (the enums tag) too.
func TestBindingOneofsAreTheDomainLists(t *testing.T) {
	for _, tc := range []struct {
		name  string
		typ   any
		field string
		want  []string
	}{
		{"event types of a hook", triggers.HookInput{}, "Events", append([]string{"*"}, billbridge.EventTypes...)},
		{"invoice statuses of a list", actions.InvoiceQuery{}, "Status", billbridge.InvoiceStatuses},
		{"payment methods", actions.PaymentInput{}, "Method", billbridge.PaymentMethods},
		{"currencies", actions.LinesInput{}, "Currency", []string{billbridge.CHF, billbridge.EUR}},
		{"QR-bill languages", actions.QRBillSettingsInput{}, "Language", billbridge.Languages},
		{"customer includes", actions.IncludeQuery{}, "Include", billbridge.CustomerIncludes},
		{"incident sources", actions.IncidentInput{}, "Source", billbridge.IncidentSources},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := reflect.TypeOf(tc.typ).FieldByName(tc.field)
			if !ok {
				t.Fatalf("no field %s", tc.field)
			}
			var oneof []string
			for _, rule := range strings.Split(f.Tag.Get("binding"), ",") {
				if v, ok := strings.CutPrefix(rule, "oneof="); ok {
					oneof = strings.Fields(v)
				}
			}
			if !slices.Equal(oneof, tc.want) {
				t.Errorf("binding oneof %v, domain list %v", oneof, tc.want)
			}
			if enums := f.Tag.Get("enums"); enums != "" && !slices.Equal(strings.Split(enums, ","), tc.want) {
				t.Errorf("enums %q, domain list %v", enums, tc.want)
			}
			for _, v := range tc.want {
				if tc.field == "Currency" && !billbridge.ValidCurrency(v) {
					t.Errorf("%s is not a valid currency", v)
				}
			}
		})
	}
}
