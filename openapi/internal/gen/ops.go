package main

// setServers makes every URL relative to the gateway serving the spec, so
// /docs tries requests against itself; clients pass their own base URL.
func setServers(doc map[string]any) error {
	doc["servers"] = []any{map[string]any{"url": "/", "description": "The billbridge gateway serving this description"}}
	return nil
}

// publicOperations marks the operations without an API key (health,
// metrics, this description, hook deliveries) with an empty security list,
// so they say "no authentication" instead of saying nothing.
func publicOperations(doc map[string]any) error {
	walk(obj(doc, "paths"), func(m map[string]any) {
		if _, isOp := m["responses"]; isOp {
			if _, ok := m["security"]; !ok {
				m["security"] = []any{}
			}
		}
	})
	return nil
}
