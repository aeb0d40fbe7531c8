package main

// fileUploads describes the bodies of file uploads (the imports), which swag
// writes as plain strings: a file sent as the body is binary, and a
// multipart form carries it in the required field file.
func fileUploads(doc map[string]any) error {
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		ops, _ := item.(map[string]any)
		for _, op := range ops {
			o, _ := op.(map[string]any)
			rb, _ := o["requestBody"].(map[string]any)
			content, _ := rb["content"].(map[string]any)
			if content["multipart/form-data"] == nil {
				continue
			}
			for mt := range content {
				schema := map[string]any{"type": "string", "format": "binary"}
				if mt == "multipart/form-data" {
					schema = map[string]any{
						"type": "object", "required": []any{"file"},
						"properties": map[string]any{"file": map[string]any{"type": "string", "format": "binary", "description": "The file."}},
					}
				}
				content[mt] = map[string]any{"schema": schema}
			}
		}
	}
	return nil
}
