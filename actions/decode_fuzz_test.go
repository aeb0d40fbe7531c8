package actions

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"testing"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// decodeInvoice runs the request decoder of POST /v1/invoices on body:
// web.BindJSON as the handler calls it (decode, trim, validate).
func decodeInvoice(body []byte) (*InvoiceInput, error) {
	gin.SetMode(gin.ReleaseMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("POST", "/v1/invoices", bytes.NewReader(body))
	c.Request.Header.Set("Content-Type", "application/json")
	var in InvoiceInput
	err := web.BindJSON(c, &in)
	return &in, err
}

// FuzzDecodeInvoice: any body never panics the invoice decoder, and either
// decodes into an input that keeps every documented rule, or is refused with
// a *billbridge.Error that is EMALFORMED (400) or EINVALID (422) naming a field.
//
//	go test -run '^$' -fuzz FuzzDecodeInvoice -fuzztime 30s ./actions/
func FuzzDecodeInvoice(f *testing.F) {
	for _, seed := range []string{
		`{"customer_id":"cus_1","currency":"CHF","items":[{"description":"Consulting","quantity":1.5,"unit_price":120,"vat_rate":8.1}]}`,
		`{"customer_id":"cus_1","external_id":"deal-1","currency":"EUR","finalize":true,"due_in_days":30,"reference":"R","notes":"N","items":[{"description":"A","quantity":"2","unit_price":"30.05","vat_rate":"2.6"},{"description":"B","quantity":0.005,"unit_price":"0.01","vat_rate":0}]}`,
		`{"customer_id":"cus_1","currency":"USD","items":[]}`,
		`{"customer_id":"cus_1","currency":"CHF","items":[{"description":"x","quantity":1,"unit_price":10.001,"vat_rate":8.1}]}`,
		`{"customer_id":"cus_1","currency":"CHF","items":[{"description":"x","quantity":-1,"unit_price":"-0.01","vat_rate":-1}]}`,
		`{"customer_id":"cus_1","currency":"CHF","items":[{"description":5,"quantity":true,"unit_price":null,"vat_rate":"x"}]}`,
		`{"customer_id":"cus_1","currency":"CHF","items":{"description":"x"}}`,
		`{"customer_id":"cus_1","currency":"CHF","items":[{"description":"x","quantity":1e3,"unit_price":1E-2,"vat_rate":8.1}]}`,
		`{"customer_id":"cus_1","currency":"CHF","items":[{"description":"x","quantity":"1000000000000000","unit_price":"999999999.99","vat_rate":100}]}`,
		`{"customer_id":"cus_1","currency":"CHF","due_in_days":"soon","finalize":"yes"}`,
		`{"customer_id":"cus_1",}`,
		`{"customer_id":"\ud800"}`,
		`{"customer_id":"cus_1"}{"x":1}`,
		`[]`, `null`, `""`, `0`, ``, `{`, `   `, `{"items":[[[[[]]]]]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := decodeInvoice(body)
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
				t.Fatalf("code %q, want %s or %s: %v", e.Code, billbridge.EMALFORMED, billbridge.EINVALID, e)
			}
			return
		}
		// Accepted: the documented rules hold.
		if in.CustomerID == "" || (in.Currency != "CHF" && in.Currency != "EUR") || len(in.Items) < 1 || len(in.Items) > 200 {
			t.Fatalf("accepted %+v", in)
		}
		if in.DueInDays != nil && (*in.DueInDays < 0 || *in.DueInDays > 365) {
			t.Fatalf("accepted due_in_days %d", *in.DueInDays)
		}
		for i, it := range in.Items {
			if it.Description == "" || it.Quantity <= 0 || it.Quantity > 1_000_000_000 || it.UnitPrice < 0 || it.UnitPrice > billbridge.MaxMoney || it.VATRate < 0 || it.VATRate > 10000 {
				t.Fatalf("accepted item %d %+v", i, it)
			}
		}
		// Totals are computed or refused as a field error, never wrapped around.
		inv := billbridge.Invoice{Items: in.items()}
		if err := inv.ComputeTotals(); err != nil {
			if billbridge.ErrorCode(err) != billbridge.EINVALID {
				t.Fatalf("totals: %v", err)
			}
		} else if inv.Total < inv.Subtotal || inv.Subtotal < 0 || inv.Total > billbridge.MaxMoney || inv.AmountDue != inv.Total {
			t.Fatalf("totals %+v", inv)
		}
		// What was accepted, encoded again, decodes to the same input.
		again, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		back, err := decodeInvoice(again)
		if err != nil {
			t.Fatalf("re-encoded %s refused: %v", again, err)
		}
		if !reflect.DeepEqual(in, back) {
			t.Fatalf("round trip %+v → %s → %+v", in, again, back)
		}
	})
}
