// Invoice paid → CRM, one poll (run it from cron): go run ./docs/scripts/go/invoice-paid
// Posts each new invoice.paid to $CRM_WEBHOOK_URL; the position is kept in
// $STATE_FILE, so every payment is told once.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/billbridge/billbridge/client"
)

type update struct {
	DealID        *string    `json:"deal_id"`
	InvoiceNumber *string    `json:"invoice_number"`
	AmountPaid    float64    `json:"amount_paid"`
	Currency      string     `json:"currency"`
	PaidAt        *time.Time `json:"paid_at"`
}

func main() {
	ctx := context.Background()
	state := os.Getenv("STATE_FILE")
	if state == "" {
		state = "billbridge-cursor.txt"
	}
	c, err := client.NewClientWithResponses(os.Getenv("BILLBRIDGE_URL"), client.WithAPIKey(os.Getenv("BILLBRIDGE_API_KEY")))
	if err != nil {
		log.Fatal(err)
	}
	cursor, _ := os.ReadFile(state)
	if len(bytes.TrimSpace(cursor)) == 0 { // start from now
		feed := events(ctx, c, client.ListEventsParams{Limit: ptr(1)})
		if err := os.WriteFile(state, []byte(feed.LatestCursor), 0o600); err != nil {
			log.Fatal(err)
		}
		return
	}
	after := strings.TrimSpace(string(cursor))
	for {
		feed := events(ctx, c, client.ListEventsParams{Type: ptr("invoice.paid"),
			Order: ptr(client.ListEventsParamsOrderAsc), Limit: ptr(100), After: &after})
		for _, e := range feed.Data {
			paid, err := e.AsInvoicePaidEvent()
			if err != nil {
				log.Fatal(err)
			}
			inv := paid.Data
			u := update{inv.ExternalId, inv.Number, inv.AmountPaid, inv.Currency, inv.PaidAt}
			body, _ := json.Marshal(u)
			res, err := http.Post(os.Getenv("CRM_WEBHOOK_URL"), "application/json", bytes.NewReader(body))
			if err != nil {
				log.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode >= 300 {
				log.Fatalf("the CRM answered %s", res.Status)
			}
			fmt.Printf("told the CRM: %s\n", body)
		}
		after = *feed.NextCursor
		if err := os.WriteFile(state, []byte(after), 0o600); err != nil {
			log.Fatal(err)
		}
		if !feed.HasMore {
			return
		}
	}
}

func events(ctx context.Context, c *client.ClientWithResponses, p client.ListEventsParams) *client.Feed {
	res, err := c.ListEventsWithResponse(ctx, &p)
	if err != nil {
		log.Fatal(err)
	}
	if res.JSON200 == nil {
		log.Fatalf("billbridge answered %d: %s", res.StatusCode(), res.Body)
	}
	return res.JSON200
}

func ptr[T any](v T) *T { return &v }
