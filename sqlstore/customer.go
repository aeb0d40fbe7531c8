package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"billbridge"
)

// customerColumns are the columns a customer is read from: those
// InsertCustomer and UpdateCustomer write (customerStoredColumns) and the
// Mahnsperre, which only SetCustomerDunningPaused changes.
const customerColumns = customerStoredColumns + `, dunning_paused`

// customerStoredColumns are the columns customerValues returns first.
const customerStoredColumns = `id, account_id, external_id, customer_number, kind, name, contact_person, email, phone,
	address, shipping_address, vat_number, language, payment_terms_days, created_at, updated_at`

func scanCustomer(r rowScanner) (*billbridge.Customer, error) {
	var row customerRow
	if err := r.Scan(row.dest()...); err != nil {
		return nil, notFound(err, "customer")
	}
	return row.customer()
}

// customerRow receives the columns of customerColumns.
type customerRow struct {
	c                  billbridge.Customer
	addrJSON, shipJSON string
}

// dest returns the scan destinations of customerColumns.
func (row *customerRow) dest() []any {
	c := &row.c
	return []any{&c.ID, &c.AccountID, strCol{&c.ExternalID}, strCol{&c.CustomerNumber}, &c.Kind, &c.Name,
		&c.ContactPerson, &c.Email, &c.Phone, strCol{&row.addrJSON}, strCol{&row.shipJSON}, &c.VATNumber, &c.Language, &c.PaymentTermsDays,
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, flagCol{&c.DunningPaused}}
}

// customer decodes the addresses and returns the customer.
func (row *customerRow) customer() (*billbridge.Customer, error) {
	var err error
	c := row.c
	if c.Address, err = decodeAddress(row.addrJSON); err != nil {
		return nil, err
	}
	if c.ShippingAddress, err = decodeAddress(row.shipJSON); err != nil {
		return nil, err
	}
	return &c, nil
}

func decodeAddress(s string) (*billbridge.Address, error) {
	if s == "" {
		return nil, nil
	}
	var a billbridge.Address
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		return nil, fmt.Errorf("decode address: %w", err)
	}
	return &a, nil
}

func encodeAddress(a *billbridge.Address) (any, error) {
	if a == nil {
		return nil, nil
	}
	b, err := json.Marshal(a)
	return string(b), err
}

// customerValues returns the stored columns of c, in the order of
// customerStoredColumns followed by the derived keys name_key and email_key.
func customerValues(c *billbridge.Customer) ([]any, error) {
	addr, err := encodeAddress(c.Address)
	if err != nil {
		return nil, err
	}
	ship, err := encodeAddress(c.ShippingAddress)
	if err != nil {
		return nil, err
	}
	return []any{c.ID, c.AccountID, strOrNil(c.ExternalID), strOrNil(c.CustomerNumber), c.Kind, c.Name,
		c.ContactPerson, c.Email, c.Phone, addr, ship, c.VATNumber, c.Language, c.PaymentTermsDays,
		ts(c.CreatedAt), ts(c.UpdatedAt), billbridge.NameKey(c.Name), strOrNil(billbridge.EmailKey(c.Email))}, nil
}

// FindCustomerByKeyOrAlias looks a customer up by external_id,
// customer_number or email (compared by billbridge.EmailKey), then by the
// key as an alias (FindAliasedCustomer, aliased true), in one statement:
// the customer holding the key sorts before the one the key's alias
// reaches; ENOTFOUND if neither or value is empty. A customer reached by an alias is
// then read as FindCustomer reads it (following merged_into, with
// MergedIDs).
func (r reader) FindCustomerByKeyOrAlias(ctx context.Context, accountID, key, value string) (*billbridge.Customer, bool, error) {
	col, value, err := keyColumn(key, value)
	if err != nil {
		return nil, false, err
	}
	var row customerRow
	var aliased int
	err = r.q.QueryRowContext(ctx, `SELECT 0 AS aliased, `+customerColumns+` FROM customers
		WHERE account_id = $1 AND `+col+` = $2
		UNION ALL
		SELECT 1, `+prefixed("c", customerColumns)+` FROM customer_aliases a
		JOIN customers c ON c.account_id = a.account_id AND c.id = a.customer_id
		WHERE a.account_id = $1 AND a.key = $3 AND a.value = $2
		ORDER BY 1 LIMIT 1`, accountID, value, key).Scan(append([]any{&aliased}, row.dest()...)...)
	if err != nil {
		return nil, false, notFound(err, "customer")
	}
	if aliased == 1 {
		c, err := r.FindCustomer(ctx, accountID, row.c.ID)
		return c, true, err
	}
	c, err := row.customer()
	return c, false, err
}

// keyColumn returns the column of a natural key and the value to compare
// with it (an email as its billbridge.EmailKey); ENOTFOUND when that value
// is empty.
func keyColumn(key, value string) (col, v string, err error) {
	switch key {
	case billbridge.MatchedByExternalID:
		col = "external_id"
	case billbridge.MatchedByCustomerNumber:
		col = "customer_number"
	case billbridge.MatchedByEmail:
		col, value = "email_key", billbridge.EmailKey(value)
	default:
		return "", "", fmt.Errorf("sqlstore: unknown customer key %q", key)
	}
	if value == "" {
		return "", "", billbridge.NotFound("customer")
	}
	return col, value, nil
}

// likeEscape escapes s for a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// FindCustomers lists the account's customers newest first. Email compares
// email keys; Email, ExternalID and CustomerNumber also match a merged
// customer's key, listing its survivor. Q matches the name key containing
// NameKey(Q), the lowercased name or email containing Q, or the customer
// number equal to Q.
func (r reader) FindCustomers(ctx context.Context, accountID string, f billbridge.CustomerFilter) (billbridge.Page[billbridge.Customer], error) {
	if err := checkCursor(ctx, r.q, "customers", accountID, f.StartingAfter); err != nil {
		return billbridge.Page[billbridge.Customer]{}, err
	}
	aliased, err := r.keyAliases(ctx, accountID, f)
	if err != nil {
		return billbridge.Page[billbridge.Customer]{}, err
	}
	query, args, limit := customerListQuery(accountID, f, aliased)
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return billbridge.Page[billbridge.Customer]{}, err
	}
	return collect(rows, limit, r.pageBytes, scanCustomer)
}

// keyAliases are the survivors that the natural keys of a CustomerFilter
// reach as aliases of merged customers ("" for none).
type keyAliases struct{ email, externalID, customerNumber string }

// keyAliases looks up the survivors that f's natural keys reach as aliases.
func (r reader) keyAliases(ctx context.Context, accountID string, f billbridge.CustomerFilter) (keyAliases, error) {
	var k keyAliases
	for _, a := range []struct {
		dst        *string
		key, value string
	}{
		{&k.email, billbridge.MatchedByEmail, f.Email},
		{&k.externalID, billbridge.MatchedByExternalID, f.ExternalID},
		{&k.customerNumber, billbridge.MatchedByCustomerNumber, f.CustomerNumber},
	} {
		id, err := r.aliasOf(ctx, accountID, a.key, a.value)
		if err != nil {
			return k, err
		}
		*a.dst = id
	}
	return k, nil
}

// customerListQuery returns the query of FindCustomers and its page size;
// aliased names the survivors f's natural keys reach as aliases.
func customerListQuery(accountID string, f billbridge.CustomerFilter, aliased keyAliases) (string, []any, int) {
	w := newWhere(accountID)
	w.add("merged_into IS NULL")
	// A natural key lists the customer holding it and the survivor that a
	// merged customer's key (its alias) reaches, as the upsert does.
	keyed := func(col, value, survivor string) {
		switch {
		case value == "":
		case survivor != "":
			w.add("("+col+" = ? OR id = ?)", value, survivor)
		default:
			w.add(col+" = ?", value)
		}
	}
	keyed("email_key", billbridge.EmailKey(f.Email), aliased.email)
	keyed("external_id", f.ExternalID, aliased.externalID)
	keyed("customer_number", f.CustomerNumber, aliased.customerNumber)
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + likeEscape(strings.ToLower(q)) + "%"
		cond := `(lower(name) LIKE ? ESCAPE '\' OR lower(email) LIKE ? ESCAPE '\' OR customer_number = ?`
		args := []any{like, like, q}
		if k := billbridge.NameKey(q); k != "" {
			cond += ` OR name_key LIKE ? ESCAPE '\'`
			args = append(args, "%"+likeEscape(k)+"%")
		}
		w.add(cond+")", args...)
	}
	if f.NameKey != "" {
		w.add("name_key = ?", f.NameKey)
	}
	if !f.UpdatedSince.IsZero() {
		w.add("updated_at >= ?", ts(f.UpdatedSince))
	}
	w.after(f.StartingAfter)
	limit := pageLimit(f.Limit)
	return `SELECT ` + customerColumns + ` FROM customers WHERE ` + w.sql() +
		` ORDER BY id DESC LIMIT ` + fmt.Sprint(limit+1), w.args, limit
}

// InsertCustomer stores a new customer; an error matching ErrRetry when one
// of its natural keys (external_id, customer_number, email key) is taken.
func (tx *Tx) InsertCustomer(ctx context.Context, c *billbridge.Customer) error {
	vals, err := customerValues(c)
	if err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO customers (`+customerStoredColumns+`, name_key, email_key, keys_version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`, append(vals, billbridge.KeysVersion)...)
	if err != nil {
		return dbError(err)
	}
	tx.grew("customers")
	return tx.refreshDuplicates(ctx, c, true)
}

// UpdateCustomer stores every field of c; ENOTFOUND when it does not exist
// in c's account, an error matching ErrRetry when a natural key is taken or
// a concurrent merge tombstoned c.
func (tx *Tx) UpdateCustomer(ctx context.Context, c *billbridge.Customer) error {
	vals, err := customerValues(c)
	if err != nil {
		return err
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE customers SET external_id = $3, customer_number = $4, kind = $5,
		name = $6, contact_person = $7, email = $8, phone = $9, address = $10, shipping_address = $11,
		vat_number = $12, language = $13, payment_terms_days = $14, created_at = $15, updated_at = $16,
		name_key = $17, email_key = $18, keys_version = $19
		WHERE id = $1 AND account_id = $2 AND merged_into IS NULL`, append(vals, billbridge.KeysVersion)...)
	if err := affected(res, dbError(err), "customer"); err != nil {
		return tx.checkNotMerged(ctx, c.AccountID, c.ID, err)
	}
	return tx.refreshDuplicates(ctx, c, false)
}
