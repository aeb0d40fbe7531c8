package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// Body is a request body with every shape the inputs use: plain, bounded
// and multiline strings, an embedded struct, a nested object, an array of
// objects, a date and amounts.
type Body struct {
	Name    string           `json:"name" binding:"required,max=50"`
	Notes   string           `json:"notes" binding:"max=200" text:"multiline"`
	Date    *billbridge.Date `json:"date"`
	Address *struct {
		City string `json:"city" binding:"max=35"`
	} `json:"address"`
	Embedded
	Items []struct {
		Description string           `json:"description" binding:"required,max=100" text:"multiline"`
		Price       billbridge.Money `json:"price" binding:"gte=0"`
	} `json:"items" binding:"max=5,dive"`
}

type Embedded struct {
	Tag string `json:"tag" binding:"max=20"`
}

// bind runs web.BindJSON on raw as a handler would.
func bind(raw []byte) (*Body, error) {
	gin.SetMode(gin.ReleaseMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("POST", "/v1/x", bytes.NewReader(raw))
	c.Request.Header.Set("Content-Type", "application/json")
	var b Body
	err := web.BindJSON(c, &b)
	return &b, err
}

func TestBindJSONRefusesControlCharactersNamingTheField(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		fields     []string // refused fields; none when accepted
	}{
		{"NUL in a string", `{"name":"a\u0000b"}`, []string{"name"}},
		{"bell", `{"name":"a\u0007"}`, []string{"name"}},
		{"DEL", `{"name":"a\u007f"}`, []string{"name"}},
		{"C1 control", `{"name":"a\u0085"}`, []string{"name"}},
		{"newline in a single-line field", `{"name":"a\nb"}`, []string{"name"}},
		{"tab in a single-line field", `{"name":"a\tb"}`, []string{"name"}},
		{"nested object", `{"name":"a","address":{"city":"Z\u0000rich"}}`, []string{"address.city"}},
		{"embedded struct", `{"name":"a","tag":"\u0000"}`, []string{"tag"}},
		{"array index", `{"name":"a","items":[{"description":"ok"},{"description":"b\u0000"}]}`, []string{"items[1].description"}},
		{"with other rule failures", `{"name":"","notes":"\u0000"}`, []string{"notes", "name"}},
		{"NUL in a multiline field", `{"name":"a","notes":"x\n\u0000"}`, []string{"notes"}},
		{"line breaks and tabs in multiline fields", `{"name":"a","notes":"x\r\n\ty","items":[{"description":"a\nb"}]}`, nil},
		{"unicode text", `{"name":"Zürich AG – café ☕ 日本","notes":"Grüezi"}`, nil},
		{"zero-width joiner is not a control character", `{"name":"a\u200db"}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bind([]byte(tc.body))
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *billbridge.Error
			if !errors.As(err, &e) || e.Code != billbridge.EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Name)
			}
			if !reflect.DeepEqual(got, tc.fields) {
				t.Fatalf("fields %v, want %v (%+v)", got, tc.fields, e.Fields)
			}
		})
	}
}

func TestBindJSONRefusesDatesOutsideTheLedgersRange(t *testing.T) {
	for date, ok := range map[string]bool{
		"0000-01-01": false, "0001-01-01": false, "1899-12-31": false, "3000-01-01": false, "9999-12-31": false,
		"1900-01-01": true, "2026-02-28": true, "2999-12-31": true,
	} {
		_, err := bind([]byte(`{"name":"a","date":"` + date + `"}`))
		var e *billbridge.Error
		switch {
		case ok && err != nil:
			t.Errorf("%s refused: %v", date, err)
		case !ok && (!errors.As(err, &e) || e.Code != billbridge.EINVALID || len(e.Fields) != 1 || e.Fields[0].Name != "date" ||
			!strings.Contains(e.Fields[0].Reason, "1900-01-01")):
			t.Errorf("%s: %v, want 422 naming date and the range", date, err)
		}
	}
}

func TestValidateRefusesInvalidUTF8(t *testing.T) {
	// Queries are not JSON: their bytes reach Validate as they came.
	v := struct {
		Q string `json:"q" form:"q"`
	}{Q: "a\xffb"}
	var e *billbridge.Error
	if err := web.Validate(&v); !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Name != "q" || e.Fields[0].Reason != "must be valid UTF-8" {
		t.Fatalf("Validate = %v, want q refused as invalid UTF-8", err)
	}
	if web.CleanText("inv_\x00") || web.CleanText("\xff") || !web.CleanText("inv_01JDZ8Q4B7") {
		t.Fatal("CleanText disagrees with the text rules")
	}
}

// FuzzBindJSON: any body never panics the binder, and either binds into a
// value that keeps the text and date rules and survives a JSON round trip,
// or is refused with a *billbridge.Error that is EMALFORMED (400) or
// EINVALID (422) naming fields by JSON path.
//
//	go test -run '^$' -fuzz FuzzBindJSON -fuzztime 30s ./internal/web/
func FuzzBindJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"Dupont","notes":"a\nb","date":"2026-11-28","address":{"city":"Zürich"},"tag":"t","items":[{"description":"x","price":"10.05"}]}`,
		`{"name":"a\u0000"}`, `{"name":"\u0085"}`, `{"name":"a","notes":"\t\r\n"}`, `{"name":"a","date":"0000-01-01"}`,
		`{"name":"a","date":"2999-12-31"}`, `{"name":"a","items":[{"description":"\u001f","price":-1}]}`,
		`{"name":"a","address":"x"}`, `{"name":"\ud800"}`, `{"name":"a"}{"name":"b"}`, `[]`, `null`, ``, `{`,
		"{\"name\":\"a\xff\"}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		b, err := bind(raw)
		if err != nil {
			var e *billbridge.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not a *billbridge.Error", err, err)
			}
			switch e.Code {
			case billbridge.EMALFORMED:
			case billbridge.EINVALID:
				if len(e.Fields) == 0 {
					t.Fatalf("EINVALID without a field: %v", e)
				}
				for _, fe := range e.Fields {
					if fe.Name == "" || fe.Reason == "" || fe.Name[0] < 'a' || fe.Name[0] > 'z' {
						t.Fatalf("field error %+v does not name a JSON field", fe)
					}
				}
			default:
				t.Fatalf("code %q: %v", e.Code, e)
			}
			return
		}
		// Accepted: the rules hold, checked here independently of the binder.
		clean := func(field, s string, multiline bool) {
			for _, r := range s {
				if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
					t.Fatalf("accepted %s = %q", field, s)
				}
			}
		}
		clean("name", b.Name, false)
		clean("notes", b.Notes, true)
		clean("tag", b.Tag, false)
		if b.Address != nil {
			clean("address.city", b.Address.City, false)
		}
		for _, it := range b.Items {
			clean("description", it.Description, true)
		}
		if b.Date != nil && (b.Date.Year() < 1900 || b.Date.Year() > 2999) {
			t.Fatalf("accepted date %v", b.Date)
		}
		again, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		back, err := bind(again)
		if err != nil {
			t.Fatalf("re-encoded %s refused: %v", again, err)
		}
		if !reflect.DeepEqual(b, back) {
			t.Fatalf("round trip %+v → %s → %+v", b, again, back)
		}
	})
}
