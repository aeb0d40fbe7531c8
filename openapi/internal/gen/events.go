package main

import (
	"fmt"
	"reflect"
	"strings"

	"billbridge"
)

// payloads names the schema of each event type's data: the resource as it
// stood after the change. A type missing here stops the generation.
var payloads = map[string]string{
	billbridge.CustomerCreated:  "Customer",
	billbridge.CustomerUpdated:  "Customer",
	billbridge.CustomerMerged:   "Merge",
	billbridge.InvoiceCreated:   "Invoice",
	billbridge.InvoiceFinalized: "Invoice",
	billbridge.InvoicePaid:      "Invoice",
	billbridge.InvoiceOverdue:   "Invoice",
	billbridge.InvoiceCancelled: "Invoice",
	billbridge.PaymentReceived:  "Payment",

	billbridge.CustomerPaymentRatingChanged: "PaymentRatingChange",
	billbridge.ReminderSentEvent:            "Reminder",
	billbridge.InvoiceReminderDue:           "Reminder",
	billbridge.InvoiceDunningPaused:         "Invoice",
	billbridge.InvoiceDunningResumed:        "Invoice",
	billbridge.CustomerDunningPaused:        "Customer",
	billbridge.CustomerDunningResumed:       "Customer",
	billbridge.AlertFired:                   "Alert",
	billbridge.AlertResolved:                "Alert",
}

// payloadOnly are the payload schemas no operation returns, so swag never
// writes them: built here from their Go type (flat structs of strings and
// string lists), with the descriptions of their fields.
var payloadOnly = map[string]struct {
	value  any
	desc   string
	fields map[string]string
}{
	"PaymentRatingChange": {billbridge.PaymentRatingChange{}, "A customer's payment rating changed (see getPaymentHealth for the thresholds).", map[string]string{
		"customer_id": "The customer's id.",
		"external_id": "The customer's external_id (the CRM's id), empty when it has none.",
		"from":        "The rating before: insufficient_data when none was recorded.",
		"to":          "The rating now.",
		"warnings":    "The readable warnings of the rating now, empty when there are none.",
	}},
}

// flatSchemas adds the payloadOnly schemas.
func flatSchemas(doc map[string]any) error {
	all := schemas(doc)
	for name, p := range payloadOnly {
		t := reflect.TypeOf(p.value)
		props := map[string]any{}
		var required []any
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			jname := strings.Split(sf.Tag.Get("json"), ",")[0]
			desc := p.fields[jname]
			if desc == "" {
				return fmt.Errorf("%s.%s has no description in openapi/internal/gen/events.go", name, jname)
			}
			prop := map[string]any{"type": "string", "description": desc}
			switch {
			case sf.Type.Kind() == reflect.Slice && sf.Type.Elem().Kind() == reflect.String:
				prop = map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "description": desc}
			case sf.Type.Kind() != reflect.String:
				return fmt.Errorf("%s.%s: only strings and string lists are supported", name, jname)
			}
			if enums := sf.Tag.Get("enums"); enums != "" {
				var e []any
				for _, v := range strings.Split(enums, ",") {
					e = append(e, v)
				}
				prop["enum"] = e
			}
			props[jname] = prop
			required = append(required, jname)
		}
		all[name] = map[string]any{"type": "object", "description": p.desc, "required": required, "properties": props}
	}
	return nil
}

// eventOnlySchemas are payloads no operation returns, so swag writes no
// schema for them: their schema is built here from the Go type's JSON.
var eventOnlySchemas = map[string]func() map[string]any{
	// billbridge.Alert, the data of alert.fired and alert.resolved.
	"Alert": func() map[string]any {
		str := func(desc, example string) map[string]any {
			return map[string]any{"type": "string", "description": desc, "example": example}
		}
		kinds := []any{}
		for _, k := range billbridge.AlertKinds {
			kinds = append(kinds, k)
		}
		kind := str("hook_failing (5 failed attempts in a row, or no success for 24 hours with deliveries pending), delivery_dropped, hook_removed (the receiver answered 410), incident (an automation reported one) or no_api_calls (none for the account's no_api_call_hours).", "hook_failing")
		kind["enum"] = kinds
		return map[string]any{
			"type":        "object",
			"description": "An alert of the account: one per kind and subject. alert.fired when it starts firing, alert.resolved when a kind that clears (hook_failing, no_api_calls) clears. Mails to the alert recipients follow the same alert, at most one per silence_hours.",
			"required":    []any{"kind", "subject", "detail", "firing", "fired_at", "resolved_at", "occurrences"},
			"properties": map[string]any{
				"kind":        kind,
				"subject":     str("What it is about: the hook id, the incident's source/workflow; empty for no_api_calls.", "hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS"),
				"detail":      str("What happened, in words.", "Deliveries to https://hooks.zapier.com/hooks/standard/123/abc failed 5 times in a row."),
				"firing":      map[string]any{"type": "boolean", "description": "Whether it fires now.", "example": true},
				"fired_at":    map[string]any{"type": "string", "format": "date-time", "description": "When it started firing."},
				"resolved_at": map[string]any{"type": "string", "format": "date-time", "nullable": true, "description": "When it cleared; null while firing and for kinds that do not clear."},
				"occurrences": map[string]any{"type": "integer", "description": "Occurrences since the last mail (drops, incidents).", "example": 1},
			},
		}
	},
	// billbridge.Merge, the data of customer.merged.
	"Merge": func() map[string]any {
		id := func(desc string) map[string]any {
			return map[string]any{"type": "string", "description": desc, "example": "cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"}
		}
		return map[string]any{
			"type":        "object",
			"description": "A merge: merged_id was merged into primary_id, which received its invoices and payments.",
			"required":    []any{"primary_id", "merged_id", "moved", "merged_at"},
			"properties": map[string]any{
				"primary_id": id("The surviving customer."),
				"merged_id":  id("The customer merged into it (tombstoned; its id answers the survivor)."),
				"moved":      ref("Moved"),
				"merged_at":  map[string]any{"type": "string", "format": "date-time"},
			},
		}
	},
}

// eventSchemaName is "InvoicePaidEvent" for "invoice.paid".
func eventSchemaName(typ string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(typ, func(r rune) bool { return r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String() + "Event"
}

// eventSchemas replaces the generic Event (data: any object) by one schema
// per event type with its typed data, and makes Event their oneOf,
// discriminated by type.
func eventSchemas(doc map[string]any) error {
	all := schemas(doc)
	base, ok := all["Event"].(map[string]any)
	if !ok {
		return fmt.Errorf("no Event schema")
	}
	props := obj(base, "properties")
	for name, schema := range eventOnlySchemas {
		if _, ok := all[name]; !ok {
			all[name] = schema()
		}
	}
	var oneOf []any
	mapping := map[string]any{}
	for _, typ := range billbridge.EventTypes {
		payload, ok := payloads[typ]
		if !ok {
			return fmt.Errorf("event type %s has no payload schema in openapi/internal/gen/events.go", typ)
		}
		name := eventSchemaName(typ)
		p := map[string]any{}
		for k, v := range props {
			p[k] = v
		}
		p["type"] = map[string]any{"type": "string", "enum": []any{typ}, "description": "The event type."}
		p["data"] = ref(payload)
		all[name] = map[string]any{
			"type":        "object",
			"description": eventDescription(typ, payload),
			"required":    base["required"],
			"properties":  p,
		}
		oneOf = append(oneOf, ref(name))
		mapping[typ] = "#/components/schemas/" + name
	}
	all["Event"] = map[string]any{
		"description":   "One change of the account: id is unique per event and never changes; seq numbers the account's events gaplessly; data is the resource after the change, its schema given by type.",
		"oneOf":         oneOf,
		"discriminator": map[string]any{"propertyName": "type", "mapping": mapping},
	}
	return nil
}

// eventDescription describes the event schema of typ with data payload.
func eventDescription(typ, payload string) string {
	if _, ok := payloadOnly[payload]; ok {
		return fmt.Sprintf("A %s event: data is a %s.", typ, payload)
	}
	return fmt.Sprintf("A %s event: data is the %s after the change.", typ, strings.ToLower(payload))
}

// hookCallbacks documents the delivery of a hook as a callback of the
// subscribe operation: the event POSTed to target_url, signed per Standard
// Webhooks.
func hookCallbacks(doc map[string]any) error {
	op, ok := obj(obj(doc, "paths"), "/v1/hooks")["post"].(map[string]any)
	if !ok {
		return fmt.Errorf("no POST /v1/hooks")
	}
	delivery := map[string]any{
		"summary":     "An event delivered to a hook",
		"description": "Each event of a subscribed type is POSTed to target_url, the body exactly as in the feed, signed per Standard Webhooks. Only a 2xx answer counts as delivered; anything else is retried with backoff and jitter for about three days, honouring Retry-After; 410 removes the subscription.",
		"operationId": "deliverEvent",
		"parameters": []any{
			map[string]any{"name": "webhook-id", "in": "header", "required": true, "description": "The event id, the same on every retry: deduplicate by it.", "schema": map[string]any{"type": "string", "example": "evt_01JDZ8W2E5R8T1Y4U7I0O3P6AS"}},
			map[string]any{"name": "webhook-timestamp", "in": "header", "required": true, "description": "Unix seconds of this attempt.", "schema": map[string]any{"type": "string", "example": "1795000000"}},
			map[string]any{"name": "webhook-signature", "in": "header", "required": true, "description": "v1,<base64 HMAC-SHA256 of \"id.timestamp.body\"> keyed with the base64-decoded part of the secret after whsec_.", "schema": map[string]any{"type": "string", "example": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="}},
		},
		"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref("Event")}}},
		"responses": map[string]any{
			"2XX": map[string]any{"description": "Delivered."},
			"410": map[string]any{"description": "The receiver is gone: the subscription is removed."},
		},
	}
	op["callbacks"] = map[string]any{"event": map[string]any{"{$request.body#/target_url}": map[string]any{"post": delivery}}}
	return nil
}
