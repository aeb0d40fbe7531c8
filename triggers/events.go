package triggers

import (
	"context"
	"strconv"
	"strings"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// EventQuery is the query of the event feed.
type EventQuery struct {
	// One type or several, comma-separated; empty for all.
	Type string `form:"type" json:"type" binding:"max=400" example:"invoice.paid,payment.received"`
	// How many events to return, 1–100 (default 25).
	Limit *int `form:"limit" json:"limit" binding:"omitempty,min=1,max=100" example:"25"`
	// desc (default): newest first; asc: oldest first, for walking forward with after.
	Order string `form:"order" json:"order" binding:"omitempty,oneof=asc desc" enums:"asc,desc"`
	// Events after this cursor (exclusive): a next_cursor of an asc read, or latest_cursor.
	After string `form:"after" json:"after" binding:"max=64"`
	// Events before this cursor (exclusive): a next_cursor of a desc read.
	Before string `form:"before" json:"before" binding:"max=64"`
}

// Feed is one page of the event feed.
type Feed struct {
	Data    []billbridge.Event `json:"data"`
	HasMore bool               `json:"has_more"`
	// Where to continue: pass it as "after" (asc) or "before" (desc). In asc
	// order it is never null: with no new events it repeats the position read from.
	NextCursor *string `json:"next_cursor"`
	// The account's newest position now: pass it as "after" to start from now.
	LatestCursor string `json:"latest_cursor"`
}

// ListEvents serves the feed: newest first by default for Zapier and Make,
// forward from a cursor with order=asc for n8n, without gaps or repeats.
//
//	@Summary		Read the event feed
//	@Description	Every change of the account as an event {id, type, seq, occurred_at, data}, data being the resource after the change (an invoice for invoice.*, a customer for customer.*, a payment for payment.received). By default newest first (what Zapier and Make read); pass next_cursor as before for older events. With order=asc and after=<cursor> it walks forward without gaps or repeats; latest_cursor is the position now, to start from. Every page carries an ETag: a poll sending it as If-None-Match gets 304 until the next event.
//	@Tags			Events
//	@ID				listEvents
//	@Produce		json
//	@Param		query	query	triggers.EventQuery	false	"Types, order, cursors and page size."
//	@Param			If-None-Match	header	string	false	"The ETag of a page read before: while the account has not changed, the answer is 304 with no body."
//	@Success		200	{object}	triggers.Feed	"A page of events."
//	@Success		304	"Nothing changed since the page whose ETag was sent in If-None-Match."
//	@Header			200,304	{string}	ETag	"Validator of this page, the same on every instance: send it as If-None-Match on the next poll."
//	@Header			200,304	{string}	Cache-Control	"private, no-cache: a cache must revalidate with If-None-Match before reusing the page."
//	@Failure		400	{object}	routes.Problem	"A cursor is not one billbridge returned to this account: malformed, or beyond the account's newest event (code cursor_invalid)."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation, e.g. an unknown event type (code validation_failed)."
//	@Router			/v1/events [get]
func (h *Handler) ListEvents(c *gin.Context) error {
	if h.FeedRequests != nil {
		h.FeedRequests.Inc()
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	// Read the head first: every event in the page is then at or below it,
	// so latest_cursor never points before an event the client was shown.
	latest, err := h.Store.LatestEventSeq(ctx, acct.ID)
	if err != nil {
		return err
	}
	// The feed at one head is fixed (events never change): it is stored
	// under the head. Most polls find the page of this very query stored at
	// this head; its query was valid and its cursors within this head then.
	version := strconv.FormatInt(latest, 10)
	if done, err := h.Polls.Cached(c, acct.ID, version); done {
		return err
	}
	var q EventQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	f := billbridge.EventFilter{Limit: 25, Ascending: q.Order == "asc"}
	if q.Limit != nil {
		f.Limit = *q.Limit
	}
	if q.Type != "" {
		for _, t := range strings.Split(q.Type, ",") {
			t = strings.TrimSpace(t)
			if !billbridge.ValidEventType(t) {
				return billbridge.Invalid("type", "unknown event type "+quote(t)+"; known: "+strings.Join(billbridge.EventTypes, ", "))
			}
			f.Types = append(f.Types, t)
		}
	}
	if q.After != "" {
		if f.After, err = DecodeCursor("after", q.After); err != nil {
			return err
		}
	}
	if q.Before != "" {
		if f.Before, err = DecodeCursor("before", q.Before); err != nil {
			return err
		}
	}
	// Every cursor billbridge issues is a position at or below the
	// account's head (heads only grow): one beyond it was made up or is
	// another account's, and a poller holding it would skip events.
	if err := beyondHead("after", f.After, latest); err != nil {
		return err
	}
	if err := beyondHead("before", f.Before, latest); err != nil {
		return err
	}
	return h.Polls.Serve(c, acct.ID, version, func() (any, error) {
		return feedPage(ctx, h.Store, acct.ID, f, latest)
	})
}

// feedPage reads the page of f and its cursors, given the head latest read
// before it.
func feedPage(ctx context.Context, store billbridge.Store, accountID string, f billbridge.EventFilter, latest int64) (*Feed, error) {
	page, err := store.FindEvents(ctx, accountID, f)
	if err != nil {
		return nil, err
	}
	feed := Feed{Data: page.Data, HasMore: page.HasMore}
	if feed.Data == nil {
		feed.Data = []billbridge.Event{}
	}
	last := func() int64 { return feed.Data[len(feed.Data)-1].Seq }
	switch {
	case f.Ascending && len(feed.Data) > 0:
		feed.NextCursor = ptr(EncodeCursor(last()))
	case f.Ascending:
		feed.NextCursor = ptr(EncodeCursor(f.After))
	case page.HasMore:
		feed.NextCursor = ptr(EncodeCursor(last()))
	}
	if len(feed.Data) > 0 {
		newest := feed.Data[0].Seq
		if f.Ascending {
			newest = last()
		}
		if newest > latest {
			latest = newest // the page saw commits newer than the head read
		}
	}
	feed.LatestCursor = EncodeCursor(latest)
	return &feed, nil
}

func ptr(s string) *string { return &s }

func quote(s string) string { return `"` + s + `"` }
