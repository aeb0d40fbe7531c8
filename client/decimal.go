package client

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Decimal fills a number field of the API (a quantity, price, amount or
// VAT rate: LineItemInput_Quantity, LineItemInput_UnitPrice,
// LineItemInput_VatRate, PaymentInput_Amount, …) from its decimal text, as a
// CRM hands it over: "150.00", "1.5", "8.1". The API takes such fields as a
// JSON number or a decimal string; Decimal sends the string, so no digit is
// lost to float64. It fails on text that is not a decimal number.
func Decimal[T any, PT interface {
	*T
	UnmarshalJSON([]byte) error
}](text string) (T, error) {
	var v T
	if _, err := strconv.ParseFloat(text, 64); err != nil {
		return v, fmt.Errorf("client.Decimal: %q is not a decimal number", text)
	}
	quoted, _ := json.Marshal(text)
	err := PT(&v).UnmarshalJSON(quoted)
	return v, err
}
