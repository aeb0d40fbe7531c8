package client

import (
	"context"
	"net/http"
)

// APIVersion is the version of the API this client was generated from
// (openapi.json info.version); the module's tags are client/v<APIVersion>.Z.
const APIVersion = "1.0"

// WithAPIKey sends key as `Authorization: Bearer <key>` on every request.
// The key is never logged or stored elsewhere by this package.
func WithAPIKey(key string) ClientOption {
	return WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+key)
		return nil
	})
}
