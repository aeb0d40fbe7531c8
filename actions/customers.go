package actions

import (
	"context"
	"net/http"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// CustomerResult is a written customer plus the customers it may duplicate.
type CustomerResult struct {
	billbridge.Customer
	// Other customers that may be this one (score ≥ 0.85, best first, at
	// most 10; empty when none). They never block the write: merge them, or
	// ignore them.
	PossibleDuplicates []PossibleDuplicate `json:"possible_duplicates"`
	// Set when the account's auto_merge is exact and the write gave this
	// customer the UID of another: the newer was merged into the older, and
	// the customer above is the survivor.
	AutoMerged *billbridge.Merge `json:"auto_merged,omitempty"`
}

// UpsertResult is a customer plus how an upsert found it.
type UpsertResult struct {
	CustomerResult
	// True when the upsert created the customer.
	Created bool `json:"created"`
	// The key that matched an existing customer, null when created; alias:
	// the key of a customer merged into it.
	MatchedBy *string `json:"matched_by" enums:"external_id,customer_number,email,alias"`
	// updated: a matched customer was changed (an import tells matched from updated).
	updated bool
}

// CreateCustomer creates a customer; 409 with existing_id when one of its
// natural keys (external_id, customer_number, email) is taken.
//
//	@Summary		Create a customer
//	@Description	Creates a customer. When one of its natural keys (external_id, customer_number, normalised email) belongs to another customer the answer is 409 with that customer's id as existing_id; use the upsert to match instead.
//	@Tags			Customers
//	@ID				createCustomer
//	@Accept			json
//	@Produce		json
//	@Param		body	body	actions.CustomerInput	true	"The customer."
//	@Success		201	{object}	actions.CustomerResult	"The new customer, with possible_duplicates."
//	@Failure		409	{object}	routes.Problem	"A natural key is taken: existing_id names the customer holding it (code conflict)."
//	@Failure		422	{object}	routes.Problem	"Fields failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/customers [post]
func (h *Handler) CreateCustomer(c *gin.Context) error {
	var in CustomerInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		cust := in.newCustomer(acct.ID)
		if err := checkNaturalKeys(ctx, tx, cust); err != nil {
			return 0, nil, err
		}
		cust.CreatedAt, cust.UpdatedAt = h.Clock.Now(), h.Clock.Now()
		if err := tx.InsertCustomer(ctx, cust); err != nil {
			return 0, nil, err
		}
		if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.CustomerCreated, cust); err != nil {
			return 0, nil, err
		}
		res := CustomerResult{Customer: *cust}
		if err := h.afterWrite(ctx, tx, acct.ID, &res); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, res, nil
	})
}

// UpsertCustomer finds the customer by external_id, then customer_number,
// then normalised email, and updates it (200) or creates it (201).
//
//	@Summary		Create or update a customer
//	@Description	Finds the customer by external_id, then customer_number, then normalised email (trimmed, case-folded) and updates the fields the body sets (200), or creates it (201). A customer matched by customer_number or email that already has another external_id than the body's is not overwritten: two CRM records can share a billing mailbox, so the answer is 409 external_id_conflict naming both ids. Fields the body leaves empty keep their value. The body is the customer plus created, matched_by and possible_duplicates (other customers that may be this one; they never block the write).
//	@Tags			Customers
//	@ID				upsertCustomer
//	@Accept			json
//	@Produce		json
//	@Param		body	body	actions.CustomerInput	true	"The customer to match or create."
//	@Success		200	{object}	actions.UpsertResult	"An existing customer matched (and updated)."
//	@Success		201	{object}	actions.UpsertResult	"The customer was created."
//	@Failure		409	{object}	routes.Problem	"The update would give the matched customer a key another customer holds (code conflict, existing_id); or the body's external_id differs from the external_id of the customer matched by customer_number or email (code external_id_conflict, existing_id and existing_external_id name it; nothing is written)."
//	@Failure		422	{object}	routes.Problem	"Fields failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/customers/upsert [post]
func (h *Handler) UpsertCustomer(c *gin.Context) error {
	var in CustomerInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		res, err := h.upsert(ctx, tx, acct.ID, &in)
		if err != nil {
			return 0, nil, err
		}
		if res.Created {
			return http.StatusCreated, res, nil
		}
		return http.StatusOK, res, nil
	})
}

// upsert is the upsert of one customer inside tx, shared by the upsert
// endpoint and deal won: match (or create) and the customer's possible
// duplicates.
func (h *Handler) upsert(ctx context.Context, tx billbridge.Tx, accountID string, in *CustomerInput) (*UpsertResult, error) {
	res, err := h.match(ctx, tx, accountID, in)
	if err != nil {
		return nil, err
	}
	if err := h.afterWrite(ctx, tx, accountID, &res.CustomerResult); err != nil {
		return nil, err
	}
	return res, nil
}

// match finds the customer by external_id, then customer_number, then
// email key (each also as the alias a merge left), and updates it with in,
// or creates it. It appends
// customer.created, or customer.updated when a matched customer actually
// changed. Imports use it row by row.
func (h *Handler) match(ctx context.Context, tx billbridge.Tx, accountID string, in *CustomerInput) (*UpsertResult, error) {
	for _, k := range []struct{ key, value string }{
		{billbridge.MatchedByExternalID, in.ExternalID},
		{billbridge.MatchedByCustomerNumber, in.CustomerNumber},
		{billbridge.MatchedByEmail, billbridge.EmailKey(in.Email)},
	} {
		if k.value == "" {
			continue
		}
		by := k.key
		found, aliased, err := tx.FindCustomerByKeyOrAlias(ctx, accountID, k.key, k.value)
		if billbridge.ErrorCode(err) == billbridge.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if aliased {
			by = billbridge.MatchedByAlias
			if in, err = withoutAliases(ctx, tx, accountID, found.ID, in); err != nil {
				return nil, err
			}
		}
		if in.ExternalID != "" && found.ExternalID != "" && found.ExternalID != in.ExternalID {
			// in.ExternalID named no customer (or one committed since: then
			// found holds it), yet this one holds another.
			return nil, billbridge.ExternalIDConflict(found, by, in.ExternalID)
		}
		return h.updateMatched(ctx, tx, accountID, found, in, by)
	}
	cust := in.newCustomer(accountID)
	cust.CreatedAt, cust.UpdatedAt = h.Clock.Now(), h.Clock.Now()
	if err := tx.InsertCustomer(ctx, cust); err != nil {
		return nil, err
	}
	if _, err := tx.AppendEvent(ctx, accountID, billbridge.CustomerCreated, cust); err != nil {
		return nil, err
	}
	return &UpsertResult{CustomerResult: CustomerResult{Customer: *cust}, Created: true}, nil
}

// withoutAliases returns in without the natural keys that are aliases of
// customer id: an upsert that reached a survivor by a merged customer's old
// key never writes that key back onto it.
func withoutAliases(ctx context.Context, tx billbridge.Tx, accountID, id string, in *CustomerInput) (*CustomerInput, error) {
	out := *in
	for _, k := range []struct {
		key string
		dst *string
	}{
		{billbridge.MatchedByExternalID, &out.ExternalID},
		{billbridge.MatchedByCustomerNumber, &out.CustomerNumber},
		{billbridge.MatchedByEmail, &out.Email},
	} {
		if *k.dst == "" {
			continue
		}
		c, err := tx.FindAliasedCustomer(ctx, accountID, k.key, *k.dst)
		if err == nil && c.ID == id {
			*k.dst = ""
		} else if err != nil && billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
			return nil, err
		}
	}
	return &out, nil
}

// updateMatched applies in to found, a customer matched by key, storing it
// and appending customer.updated when that changed anything.
func (h *Handler) updateMatched(ctx context.Context, tx billbridge.Tx, accountID string, found *billbridge.Customer, in *CustomerInput, key string) (*UpsertResult, error) {
	before := *found
	in.applyTo(found)
	updated := changed(&before, found)
	if updated {
		if err := checkNaturalKeys(ctx, tx, found); err != nil {
			return nil, err
		}
		found.UpdatedAt = h.Clock.Now()
		if err := tx.UpdateCustomer(ctx, found); err != nil {
			return nil, err
		}
		if _, err := tx.AppendEvent(ctx, accountID, billbridge.CustomerUpdated, found); err != nil {
			return nil, err
		}
	}
	return &UpsertResult{CustomerResult: CustomerResult{Customer: *found}, MatchedBy: &key, updated: updated}, nil
}

// GetCustomer returns one customer of the account.
//
//	@Summary		Get a customer
//	@Description	One customer of the account.
//	@Tags			Customers
//	@ID				getCustomer
//	@Produce		json
//	@Param		id	path	string	true	"The customer id."	example(cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE)
//	@Param		query	query	actions.IncludeQuery	false	"What to add."
//	@Success		200	{object}	actions.CustomerView	"The customer (with payment_health when asked for)."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/customers/{id} [get]
func (h *Handler) GetCustomer(c *gin.Context) error {
	var q IncludeQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	cust, err := h.Store.FindCustomer(ctx, acct.ID, c.Param("id"))
	if err != nil {
		return err
	}
	views, err := h.withHealth(ctx, h.Store, acct, q.health(), *cust)
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, views[0])
}

// ListCustomers lists and searches customers, newest first.
//
//	@Summary		List and search customers
//	@Description	Customers of the account, newest first, filtered by exact email, external_id or customer_number (a merged customer's key, kept as an alias, lists its survivor, as the upsert reaches it), or searched by free text q. No match is 200 with empty data.
//	@Tags			Customers
//	@ID				listCustomers
//	@Produce		json
//	@Param		query	query	actions.CustomerQuery	false	"Filters and paging."
//	@Success		200	{object}	web.List[actions.CustomerView]	"A page of customers (with payment_health when asked for)."
//	@Failure		400	{object}	routes.Problem	"starting_after names no customer of this account, e.g. an id made up or of another account (code cursor_invalid)."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/customers [get]
func (h *Handler) ListCustomers(c *gin.Context) error {
	var q CustomerQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	page, err := h.Store.FindCustomers(ctx, acct.ID, billbridge.CustomerFilter{
		Email: billbridge.EmailKey(q.Email), ExternalID: q.ExternalID, CustomerNumber: q.CustomerNumber, Q: q.Q,
		PageParams: q.page(),
	})
	if err != nil {
		return err
	}
	views, err := h.withHealth(ctx, h.Store, acct, q.health(), page.Data...)
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, web.NewList(billbridge.Page[CustomerView]{Data: views, HasMore: page.HasMore},
		func(c CustomerView) string { return c.ID }))
}

// CustomerQuery is the query of the customer list and search.
type CustomerQuery struct {
	// Exact email, compared trimmed and case-folded.
	Email          string `form:"email" json:"email" binding:"max=254"`
	ExternalID     string `form:"external_id" json:"external_id" binding:"max=255"`
	CustomerNumber string `form:"customer_number" json:"customer_number" binding:"max=64"`
	// Free text: matches names (also with legal form and word order ignored: "GmbH Dupont" finds "Dupont GmbH"), emails and customer numbers.
	Q string `form:"q" json:"q" binding:"max=200"`
	IncludeQuery
	PageQuery
}

// PatchCustomer changes the fields the body sets.
//
//	@Summary		Update a customer
//	@Description	Changes the fields the body sets; fields it leaves out or empty keep their value.
//	@Tags			Customers
//	@ID				updateCustomer
//	@Accept			json
//	@Produce		json
//	@Param		id	path	string	true	"The customer id."	example(cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE)
//	@Param		body	body	actions.CustomerPatch	true	"The fields to change."
//	@Success		200	{object}	billbridge.Customer	"The customer after the change."
//	@Failure		404	{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		409	{object}	routes.Problem	"A changed natural key belongs to another customer (code conflict, existing_id)."
//	@Failure		422	{object}	routes.Problem	"Fields failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/customers/{id} [patch]
func (h *Handler) PatchCustomer(c *gin.Context) error {
	var in CustomerPatch
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		cust, err := tx.FindCustomer(ctx, acct.ID, c.Param("id"))
		if err != nil {
			return 0, nil, err
		}
		before := *cust
		in.applyTo(cust)
		if !changed(&before, cust) {
			return http.StatusOK, cust, nil
		}
		if err := checkNaturalKeys(ctx, tx, cust); err != nil {
			return 0, nil, err
		}
		cust.UpdatedAt = h.Clock.Now()
		if err := tx.UpdateCustomer(ctx, cust); err != nil {
			return 0, nil, err
		}
		if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.CustomerUpdated, cust); err != nil {
			return 0, nil, err
		}
		res := CustomerResult{Customer: *cust}
		if err := h.afterWrite(ctx, tx, acct.ID, &res); err != nil {
			return 0, nil, err
		}
		if res.AutoMerged != nil {
			return http.StatusOK, res, nil
		}
		return http.StatusOK, cust, nil
	})
}

// checkNaturalKeys refuses a customer whose external_id, customer_number or
// email belongs to another customer of the account (also as the alias of a
// customer merged into it): 409 naming the field,
// with the other customer's id as existing_id.
func checkNaturalKeys(ctx context.Context, tx billbridge.Tx, cust *billbridge.Customer) error {
	for _, k := range []struct{ key, value string }{
		{billbridge.MatchedByExternalID, cust.ExternalID},
		{billbridge.MatchedByCustomerNumber, cust.CustomerNumber},
		{billbridge.MatchedByEmail, billbridge.EmailKey(cust.Email)},
	} {
		if k.value == "" {
			continue
		}
		other, _, err := tx.FindCustomerByKeyOrAlias(ctx, cust.AccountID, k.key, k.value)
		if billbridge.ErrorCode(err) == billbridge.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		if other.ID != cust.ID {
			return billbridge.Taken("Another customer already has this "+k.key+".", k.key, other.ID)
		}
	}
	return nil
}

// changed reports whether an update altered anything a client can see.
func changed(a, b *billbridge.Customer) bool {
	ea, _ := web.Encode(a)
	eb, _ := web.Encode(b)
	return string(ea) != string(eb)
}
