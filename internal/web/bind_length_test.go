package web_test

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// Trimmed is a body whose Normalize trims its strings, as the API's inputs do.
type Trimmed struct {
	Name  string `json:"name" binding:"required,max=5"`
	Items []struct {
		Description string `json:"description" binding:"max=5"`
	} `json:"items" binding:"dive"`
}

func (b *Trimmed) Normalize() {
	b.Name = strings.TrimSpace(b.Name)
	for i := range b.Items {
		b.Items[i].Description = strings.TrimSpace(b.Items[i].Description)
	}
}

// TestBindJSONCountsLengthAsSent: a length limit (the spec's maxLength)
// counts a string as sent, spaces around it included, although the value
// kept is trimmed: the server refuses exactly the strings the OpenAPI
// description refuses, by code points like JSON Schema.
func TestBindJSONCountsLengthAsSent(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		fields     []string // refused; none when accepted
		kept       string
	}{
		{"at the limit", `{"name":"abcde"}`, nil, "abcde"},
		{"at the limit in code points, not bytes", `{"name":"äöüéè"}`, nil, "äöüéè"},
		{"padded within the limit, kept trimmed", `{"name":" abc "}`, nil, "abc"},
		{"padded past the limit, though trimmed it fits", `{"name":" abcde "}`, []string{"name"}, ""},
		{"nested and padded past the limit", `{"name":"a","items":[{"description":"abc"},{"description":"abcde  "}]}`, []string{"items[1].description"}, ""},
		{"too long after trimming too: named once", `{"name":" abcdef "}`, []string{"name"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gin.SetMode(gin.ReleaseMode)
			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			c.Request = httptest.NewRequest("POST", "/v1/x", bytes.NewReader([]byte(tc.body)))
			c.Request.Header.Set("Content-Type", "application/json")
			var b Trimmed
			err := web.BindJSON(c, &b)
			if tc.fields == nil {
				if err != nil || b.Name != tc.kept {
					t.Fatalf("got %v, name %q; want accepted as %q", err, b.Name, tc.kept)
				}
				return
			}
			var e *billbridge.Error
			if !errors.As(err, &e) || e.Code != billbridge.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Name)
				if !strings.Contains(f.Reason, "at most 5 characters") {
					t.Errorf("reason %q", f.Reason)
				}
			}
			if !reflect.DeepEqual(got, tc.fields) {
				t.Fatalf("fields %v, want %v", got, tc.fields)
			}
		})
	}
}
