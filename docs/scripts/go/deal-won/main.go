// Deal won → invoice: go run ./docs/scripts/go/deal-won deal.json
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"

	"github.com/billbridge/billbridge/client"
	"github.com/oapi-codegen/runtime/types"
)

type deal struct {
	ID      string `json:"id"`
	Company struct {
		ID, Name, Email, Country string
	} `json:"company"`
	Currency string `json:"currency"`
	Items    []struct {
		Name     string  `json:"name"`
		Quantity float64 `json:"quantity"`
		Price    string  `json:"price"`
		VATRate  float64 `json:"vat_rate"`
	} `json:"items"`
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	var d deal
	if err := json.Unmarshal(raw, &d); err != nil {
		log.Fatal(err)
	}
	in := client.DealWonInput{
		DealId:   d.ID,
		Currency: client.DealWonInputCurrency(d.Currency),
		Customer: client.CustomerInput{
			ExternalId: &d.Company.ID,
			Name:       d.Company.Name,
			Email:      ptr(types.Email(d.Company.Email)),
			Address:    &client.AddressInput{Country: &d.Company.Country},
		},
		Finalize: ptr(true),
	}
	for _, it := range d.Items {
		item := client.LineItemInput{Description: it.Name}
		if err := item.Quantity.FromLineItemInputQuantity0(it.Quantity); err != nil {
			log.Fatal(err)
		}
		price, err := client.Decimal[client.LineItemInput_UnitPrice](it.Price)
		if err != nil {
			log.Fatal(err)
		}
		var vat client.LineItemInput_VatRate
		if err := vat.FromLineItemInputVatRate0(it.VATRate); err != nil {
			log.Fatal(err)
		}
		item.UnitPrice, item.VatRate = &price, &vat
		in.Items = append(in.Items, item)
	}

	c, err := client.NewClientWithResponses(os.Getenv("BILLBRIDGE_URL"), client.WithAPIKey(os.Getenv("BILLBRIDGE_API_KEY")))
	if err != nil {
		log.Fatal(err)
	}
	// The same key on a retry returns the first answer: one invoice per deal.
	key := "deal-" + d.ID + "-won"
	res, err := c.DealWonWithResponse(context.Background(), &client.DealWonParams{IdempotencyKey: &key}, in)
	if err != nil {
		log.Fatal(err)
	}
	result := res.JSON201
	if result == nil {
		result = res.JSON200 // a repeat
	}
	if result == nil {
		refused(res.StatusCode(), res.Body)
	}
	inv := result.Invoice
	fmt.Printf("invoice %s %s: %s %v, reference %s\n", deref(inv.Number), inv.Id, inv.Currency, inv.Total, deref(inv.PaymentReference))
}

// refused prints billbridge's problem (what is wrong, and each refused field) and exits.
func refused(status int, body []byte) {
	var p client.Problem
	if err := json.Unmarshal(body, &p); err != nil {
		log.Fatalf("billbridge answered %d: %s", status, body)
	}
	fmt.Fprintf(os.Stderr, "billbridge refused (%d): %s\n", status, p.Detail)
	if p.InvalidParams != nil {
		for _, f := range *p.InvalidParams {
			fmt.Fprintf(os.Stderr, "  %s: %s\n", f.Name, f.Reason)
		}
	}
	os.Exit(1)
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
