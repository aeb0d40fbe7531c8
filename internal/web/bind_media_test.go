package web_test

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// bindAs runs web.BindJSON on body sent with the Content-Type ct ("" sends
// none).
func bindAs(ct, body string) (*Body, error) {
	gin.SetMode(gin.ReleaseMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("POST", "/v1/x", strings.NewReader(body))
	if ct != "" {
		c.Request.Header.Set("Content-Type", ct)
	}
	var b Body
	err := web.BindJSON(c, &b)
	return &b, err
}

func TestBindJSONTakesJSONMediaTypesOnly(t *testing.T) {
	const body = `{"name":"Muster AG"}`
	for _, ct := range []string{
		"application/json",
		"application/json; charset=utf-8",
		"Application/JSON; charset=UTF-8",
		"application/merge-patch+json",
	} {
		t.Run("accepts "+ct, func(t *testing.T) {
			b, err := bindAs(ct, body)
			if err != nil || b.Name != "Muster AG" {
				t.Fatalf("refused (%v) or not decoded (%q)", err, b.Name)
			}
		})
	}
	for _, ct := range []string{
		"",                                  // no Content-Type: the media type is unknown
		"application/x-www-form-urlencoded", // what curl -d sends
		"text/plain",
		"text/plain; charset=utf-8",
		"multipart/form-data; boundary=x",
		"application/json; charset=latin1", // JSON is UTF-8 (RFC 8259 §8.1)
		"application/xml",
		"json",
	} {
		t.Run("refuses "+ct, func(t *testing.T) {
			_, err := bindAs(ct, body)
			var e *billbridge.Error
			if !errors.As(err, &e) || e.Code != billbridge.EMEDIATYPE {
				t.Fatalf("err %v, want code %s", err, billbridge.EMEDIATYPE)
			}
			if !strings.Contains(e.Message, "Content-Type: application/json") {
				t.Fatalf("message %q does not say which header to send", e.Message)
			}
			if len(e.Fields) != 1 || e.Fields[0].Name != "Content-Type" {
				t.Fatalf("fields %+v, want Content-Type named", e.Fields)
			}
		})
	}
	t.Run("an empty body is malformed, whatever the media type", func(t *testing.T) {
		_, err := bindAs("", "")
		if code := billbridge.ErrorCode(err); code != billbridge.EMALFORMED {
			t.Fatalf("code %s, want %s", code, billbridge.EMALFORMED)
		}
	})
}

func TestBindOptionalJSON(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	run := func(ct, body string) (*Body, error) {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest("POST", "/v1/x", bytes.NewReader([]byte(body)))
		if ct != "" {
			c.Request.Header.Set("Content-Type", ct)
		}
		var b Body
		return &b, web.BindOptionalJSON(c, &b)
	}
	t.Run("no body needs no Content-Type", func(t *testing.T) {
		if b, err := run("", ""); err != nil || b.Name != "" {
			t.Fatalf("err %v, name %q", err, b.Name)
		}
	})
	t.Run("a body needs application/json", func(t *testing.T) {
		if _, err := run("text/plain", `{"name":"a"}`); billbridge.ErrorCode(err) != billbridge.EMEDIATYPE {
			t.Fatalf("err %v, want %s", err, billbridge.EMEDIATYPE)
		}
	})
	t.Run("a JSON body is bound and validated", func(t *testing.T) {
		if b, err := run("application/json", `{"name":"a"}`); err != nil || b.Name != "a" {
			t.Fatalf("err %v, name %q", err, b.Name)
		}
		if _, err := run("application/json", `{"name":""}`); billbridge.ErrorCode(err) != billbridge.EINVALID {
			t.Fatalf("err %v, want %s", err, billbridge.EINVALID)
		}
	})
}

// normalized trims its name, as the inputs of actions do.
type normalized struct {
	Name string `json:"name" binding:"required,oneof=abc"`
}

func (n *normalized) Normalize() { n.Name = strings.TrimSpace(n.Name) }

func TestBindJSONNormalizesBeforeValidating(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("POST", "/v1/x", strings.NewReader(`{"name":"  abc  "}`))
	c.Request.Header.Set("Content-Type", "application/json")
	var n normalized
	if err := web.BindJSON(c, &n); err != nil || n.Name != "abc" {
		t.Fatalf("err %v, name %q: want trimmed before oneof=abc is checked (lengths count as sent: TestBindJSONCountsLengthAsSent)", err, n.Name)
	}
}
