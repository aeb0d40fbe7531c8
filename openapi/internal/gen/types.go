package main

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/web"
	"billbridge/routes"
	"billbridge/triggers"
)

// goType is the Go type behind one schema swag wrote, and whether it is a
// request body (constraints from binding tags) or a response (every field
// without omitempty is required).
type goType struct {
	t     reflect.Type
	input bool
}

// registry lists the Go type of every schema. A schema swag writes that is
// missing here stops the generation, so no type goes unchecked.
var registry = map[string]goType{}

func register(input bool, values ...any) {
	for _, v := range values {
		t := reflect.TypeOf(v)
		registry[publicName(swagName(t))] = goType{t: t, input: input}
	}
}

func init() {
	register(true,
		actions.AddressInput{}, actions.CustomerInput{}, actions.CustomerPatch{}, actions.DealWonInput{},
		actions.FinalizeInput{}, actions.InvoiceInput{}, actions.LineItemInput{}, actions.PaymentInput{}, triggers.HookInput{},
		actions.QRBillSettingsInput{}, actions.CreditorInput{}, actions.APIKeyInput{}, actions.MergeInput{}, actions.DuplicateSettingsInput{},
		actions.DunningSettingsInput{}, actions.ReminderInput{}, actions.DunningPauseInput{}, actions.IncidentInput{}, actions.SyncHealthQuery{}, triggers.RedeliverQuery{}, actions.AlertSettingsInput{},
	)
	register(false,
		actions.DealWonResult{}, actions.UpsertResult{}, billbridge.Account{}, billbridge.Address{},
		billbridge.Customer{}, billbridge.Event{}, billbridge.FieldError{}, billbridge.Hook{}, billbridge.Invoice{},
		billbridge.LineItem{}, billbridge.Payment{}, billbridge.VATLine{}, routes.Problem{}, triggers.Feed{},
		web.List[billbridge.Customer]{}, web.List[billbridge.Hook]{}, web.List[billbridge.Invoice]{}, web.List[billbridge.Payment]{},
		billbridge.QRBillSettings{}, billbridge.Party{}, actions.StatementReport{}, actions.StatementLine{},
		actions.CustomerResult{}, actions.PossibleDuplicate{}, billbridge.Duplicate{}, billbridge.Match{}, web.List[billbridge.Duplicate]{},
		actions.MergeResult{}, billbridge.Moved{}, billbridge.DuplicateSettings{}, billbridge.Merge{},
		actions.ImportResult{}, actions.ImportSummary{}, actions.ImportRow{},
		billbridge.PaymentHealth{}, billbridge.CurrencyHealth{}, actions.CustomerView{}, web.List[actions.CustomerView]{},
		billbridge.APIKey{}, billbridge.APIKeyCreated{}, billbridge.APIKeyRotated{}, web.List[billbridge.APIKey]{},
		billbridge.DunningSettings{}, billbridge.DunningLevel{}, billbridge.Reminder{}, web.List[billbridge.Reminder]{}, actions.DunningPause{},
		billbridge.Receivables{}, billbridge.ReceivablesLine{}, billbridge.Aging{}, billbridge.Bucket{},
		billbridge.Summary{}, billbridge.SummaryPeriod{}, billbridge.SummaryLine{}, billbridge.CustomerReceivables{}, web.List[billbridge.CustomerReceivables]{},
		billbridge.Incident{}, billbridge.SyncHealth{}, billbridge.APIHealth{}, billbridge.HookHealth{}, billbridge.WeekIncidents{}, billbridge.Redelivery{}, billbridge.AlertSettings{},
	)
}

// swagName is the definition name swag gives t: "actions.CustomerInput",
// or "web.List-billbridge_Customer" for a generic instance.
func swagName(t reflect.Type) string {
	pkg := t.PkgPath()
	pkg = pkg[strings.LastIndex(pkg, "/")+1:]
	name := t.Name()
	if i := strings.Index(name, "["); i >= 0 {
		arg := strings.TrimSuffix(name[i+1:], "]")
		name = name[:i] + "-" + strings.ReplaceAll(arg, ".", "_")
	}
	return pkg + "." + name
}

// publicName is the schema's name in the published spec: the Go name without
// its package ("Invoice"), a list envelope named after its items
// ("InvoiceList"), and the HTTP layer's Problem as is.
func publicName(swag string) string {
	_, name, _ := strings.Cut(swag, ".")
	if base, arg, ok := strings.Cut(name, "-"); ok && base == "List" {
		return arg[strings.LastIndex(arg, "_")+1:] + "List"
	}
	return name
}

// renameDefinitions gives every swag definition its public name and
// rewrites the references to it, failing on a name clash or an unregistered
// schema.
func renameDefinitions(v2 map[string]any) error {
	defs, _ := v2["definitions"].(map[string]any)
	renamed := map[string]any{}
	names := map[string]string{}
	for old, schema := range defs {
		name := publicName(old)
		if prev, ok := names[name]; ok {
			return fmt.Errorf("definitions %s and %s would both be named %s", prev, old, name)
		}
		if _, ok := registry[name]; !ok {
			return fmt.Errorf("definition %s has no Go type registered in openapi/internal/gen/types.go", old)
		}
		names[name] = old
		renamed[name] = schema
	}
	v2["definitions"] = renamed
	walk(v2, func(m map[string]any) {
		if ref, ok := m["$ref"].(string); ok {
			if old, ok := strings.CutPrefix(ref, "#/definitions/"); ok {
				m["$ref"] = "#/definitions/" + publicName(old)
			}
		}
	})
	return nil
}

// walk calls fn on every JSON object in v, depth first.
func walk(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		for _, k := range sortedKeys(x) {
			walk(x[k], fn)
		}
	case []any:
		for _, e := range x {
			walk(e, fn)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// obj returns m[key] as an object, creating it when missing.
func obj(m map[string]any, key string) map[string]any {
	if o, ok := m[key].(map[string]any); ok {
		return o
	}
	o := map[string]any{}
	m[key] = o
	return o
}

// schemas returns the document's component schemas.
func schemas(doc map[string]any) map[string]any {
	return obj(obj(doc, "components"), "schemas")
}

// ref is a JSON reference to a component schema.
func ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}
