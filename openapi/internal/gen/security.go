package main

import (
	"errors"
	"fmt"
)

// securitySchemes says what Swagger 2.0 cannot: Bearer is HTTP bearer
// authentication (RFC 6750), so a generated client sends
// "Authorization: Bearer <key>" and not the bare key, which the gateway
// refuses. routes/docs.go can only declare it as an apiKey in the
// Authorization header; its description is kept. ApiKey stays the apiKey
// scheme of the X-API-Key header.
func securitySchemes(doc map[string]any) error {
	s := obj(obj(doc, "components"), "securitySchemes")
	bearer, ok := s["Bearer"].(map[string]any)
	if !ok || bearer["name"] != "Authorization" {
		return errors.New("routes/docs.go declares no Bearer scheme in the Authorization header")
	}
	s["Bearer"] = map[string]any{
		"type": "http", "scheme": "bearer", "bearerFormat": "billbridge API key (bb_…)",
		"description": bearer["description"],
	}
	if k, _ := s["ApiKey"].(map[string]any); k["type"] != "apiKey" || k["in"] != "header" || k["name"] != "X-API-Key" {
		return fmt.Errorf("routes/docs.go declares ApiKey as %v, not the apiKey scheme of the X-API-Key header", k)
	}
	return nil
}
