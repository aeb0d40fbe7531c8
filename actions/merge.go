package actions

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// MergeInput is the body of POST /v1/customers/merge.
type MergeInput struct {
	// The customer that survives.
	PrimaryID string `json:"primary_id" binding:"required,max=64" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"`
	// The customer merged into the primary and tombstoned.
	DuplicateID string `json:"duplicate_id" binding:"required,max=64" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KF"`
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (in *MergeInput) Normalize() {
	in.PrimaryID, in.DuplicateID = strings.TrimSpace(in.PrimaryID), strings.TrimSpace(in.DuplicateID)
}

// MergeResult is the surviving customer and what the merge moved to it.
type MergeResult struct {
	billbridge.Customer
	// The id of the customer merged into this one; it answers this customer from now on.
	MergedID string `json:"merged_id" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KF"`
	// What moved from the merged customer.
	Moved billbridge.Moved `json:"moved"`
}

// MergeCustomers merges one customer into another.
//
//	@Summary		Merge two customers
//	@Description	Merges duplicate_id into primary_id in one transaction: both are locked, the duplicate's invoices and payments move to the primary, the primary's empty fields are filled from the duplicate, and the duplicate's external_id, customer_number and email that the primary does not take over become its aliases (an upsert with them finds the primary, matched_by "alias"). The duplicate is tombstoned: GET /v1/customers/{merged_id} answers the survivor (with merged_ids), a new invoice for the merged id goes to the survivor, and it leaves lists and duplicate pairs. Chains resolve to the final survivor. Emits customer.merged {primary_id, merged_id, moved} and customer.updated for the survivor. Repeating a merge (with or without Idempotency-Key) answers the same result and moves nothing twice. Merging a customer into itself, a person with a company, or two customers with different UIDs is 422 naming duplicate_id; a duplicate already merged into another customer is 409.
//	@Tags			Customers
//	@ID				mergeCustomers
//	@Accept			json
//	@Produce		json
//	@Param		body	body	actions.MergeInput	true	"Which customer survives and which is merged into it."
//	@Success		200	{object}	actions.MergeResult	"The surviving customer, merged_id and what moved."
//	@Failure		404	{object}	routes.Problem	"primary_id or duplicate_id names no customer of the account (code not_found)."
//	@Failure		409	{object}	routes.Problem	"duplicate_id was already merged into another customer, named by existing_id (code conflict)."
//	@Failure		422	{object}	routes.Problem	"The two cannot be one customer (the same id, a person and a company, different UIDs), named in invalid_params (code validation_failed)."
//	@Router			/v1/customers/merge [post]
func (h *Handler) MergeCustomers(c *gin.Context) error {
	var in MergeInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		res, err := h.Merge(ctx, tx, acct.ID, in.PrimaryID, in.DuplicateID)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, res, nil
	})
}

// Merge merges duplicateID into primaryID inside tx with the rules of POST
// /v1/customers/merge, or answers the merge already done; the API, the
// auto-merge and the console's duplicates page call it.
func (h *Handler) Merge(ctx context.Context, tx billbridge.Tx, accountID, primaryID, duplicateID string) (*MergeResult, error) {
	if primaryID == duplicateID {
		return nil, billbridge.Invalid("duplicate_id", "is primary_id: a customer is never merged into itself")
	}
	// Lock in id order, so two merges of one pair wait for each other
	// rather than deadlock; a locker that waited reads the merge's outcome.
	ids := []string{primaryID, duplicateID}
	slices.Sort(ids)
	locked := map[string]*billbridge.Customer{}
	for _, id := range ids {
		cust, err := tx.LockCustomer(ctx, accountID, id)
		if billbridge.ErrorCode(err) == billbridge.ENOTFOUND {
			field := "primary_id"
			if id == duplicateID {
				field = "duplicate_id"
			}
			return nil, &billbridge.Error{Code: billbridge.ENOTFOUND, Message: "No such customer.",
				Fields: []billbridge.FieldError{{Name: field, Reason: "no such customer"}}}
		}
		if err != nil {
			return nil, err
		}
		locked[id] = cust
	}
	primary, dup := locked[primaryID], locked[duplicateID]
	if m, err := tx.FindMerge(ctx, accountID, duplicateID); err == nil {
		if dup.ID != primary.ID {
			return nil, billbridge.Taken("duplicate_id was merged into another customer before.", "duplicate_id", dup.ID)
		}
		return &MergeResult{Customer: *primary, MergedID: m.MergedID, Moved: m.Moved}, nil
	} else if billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
		return nil, err
	}
	if err := billbridge.CheckMerge(primary, dup); err != nil {
		return nil, err
	}
	aliases := billbridge.FillFrom(primary, dup)
	m := &billbridge.Merge{AccountID: accountID, PrimaryID: primary.ID, MergedID: dup.ID, MergedAt: h.Clock.Now()}
	if err := tx.MergeCustomers(ctx, m, aliases); err != nil {
		return nil, err
	}
	primary.UpdatedAt = m.MergedAt
	if err := tx.UpdateCustomer(ctx, primary); err != nil {
		return nil, err
	}
	survivor, err := tx.FindCustomer(ctx, accountID, primary.ID)
	if err != nil {
		return nil, err
	}
	if _, err := tx.AppendEvent(ctx, accountID, billbridge.CustomerMerged, m); err != nil {
		return nil, err
	}
	if _, err := tx.AppendEvent(ctx, accountID, billbridge.CustomerUpdated, survivor); err != nil {
		return nil, err
	}
	return &MergeResult{Customer: *survivor, MergedID: m.MergedID, Moved: m.Moved}, nil
}

// survivorID returns the id of the customer that id answers: itself, or the
// final survivor when id was merged away. An id naming no customer of the
// account stays as it is (a list filtered by it is empty, not 404).
func survivorID(ctx context.Context, r billbridge.Reader, accountID, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	cust, err := r.FindCustomer(ctx, accountID, id)
	if billbridge.ErrorCode(err) == billbridge.ENOTFOUND {
		return id, nil
	}
	if err != nil {
		return "", err
	}
	return cust.ID, nil
}
