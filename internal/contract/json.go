package contract

import (
	"encoding/json"
	"fmt"
)

// decodeJSON decodes a body into the generic values schemas validate.
func decodeJSON(b []byte) (any, error) {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("the body is not JSON: %w", err)
	}
	return v, nil
}
