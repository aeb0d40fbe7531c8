package main

import (
	"fmt"
	"strings"

	"billbridge"
)

// payloads names the schema of each event type's data: the resource as it
// stood after the change. A type missing here stops the generation.
var payloads = map[string]string{
	billbridge.CustomerCreated:  "Customer",
	billbridge.CustomerUpdated:  "Customer",
	billbridge.InvoiceCreated:   "Invoice",
	billbridge.InvoiceFinalized: "Invoice",
	billbridge.InvoicePaid:      "Invoice",
	billbridge.InvoiceOverdue:   "Invoice",
	billbridge.InvoiceCancelled: "Invoice",
	billbridge.PaymentReceived:  "Payment",
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
			"description": fmt.Sprintf("A %s event: data is the %s after the change.", typ, strings.ToLower(payload)),
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
