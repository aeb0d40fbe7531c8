package actions

import "billbridge"

// PageQuery is the keyset pagination of every list.
type PageQuery struct {
	// How many items to return, 1–100.
	Limit *int `form:"limit" json:"limit" binding:"omitempty,min=1,max=100" example:"25"`
	// The id of the last item of the previous page (its next_cursor).
	StartingAfter string `form:"starting_after" json:"starting_after" binding:"max=64"`
}

// DefaultLimit is the page size when the query gives none.
const DefaultLimit = 25

func (q PageQuery) page() billbridge.PageParams {
	limit := DefaultLimit
	if q.Limit != nil {
		limit = *q.Limit
	}
	return billbridge.PageParams{Limit: limit, StartingAfter: q.StartingAfter}
}
