package actions

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"billbridge"
	"billbridge/internal/web"
)

// customerRow is one data row of a customer import, read into the input of
// the upsert, or the fields it breaks.
type customerRow struct {
	row     int
	in      CustomerInput
	invalid []billbridge.FieldError
}

// customerRows reads the table's rows into upsert inputs. Blank rows are
// left out. The header must name the customer's name column and no field
// twice (422 naming header); columns naming no field are returned as ignored.
func customerRows(t *billbridge.Table) ([]customerRow, []string, error) {
	fields, seen, ignored, err := headerFields(t.Header, billbridge.CustomerImportField)
	if err != nil {
		return nil, nil, err
	}
	if seen["name"] == "" {
		return nil, nil, billbridge.Invalid("header", "no column holds the customer's name (name, Firma, Name 1, Company, Nom, Raison sociale…)")
	}
	var rows []customerRow
	for i, cells := range t.Rows {
		if blank(cells) {
			continue
		}
		rows = append(rows, readCustomerRow(t.RowNumbers[i], fields, seen, cells))
	}
	return rows, ignored, nil
}

// headerFields maps each header cell to the field fieldOf names ("" for
// none), each field to its header (seen), and lists the ignored headers;
// two columns holding one field are EINVALID naming header.
func headerFields(header []string, fieldOf func(string) string) (fields []string, seen map[string]string, ignored []string, err error) {
	fields, seen, ignored = make([]string, len(header)), map[string]string{}, []string{}
	for i, h := range header {
		f := fieldOf(h)
		if f == "" {
			if h != "" {
				ignored = append(ignored, h)
			}
			continue
		}
		if other, dup := seen[f]; dup {
			return nil, nil, nil, billbridge.Invalid("header", `the columns "`+other+`" and "`+h+`" both hold `+f)
		}
		seen[f], fields[i] = h, f
	}
	return fields, seen, ignored, nil
}

// rowValues maps each field to its trimmed cell; a cell beyond the header
// is a field error.
func rowValues(fields, cells []string) (map[string]string, []billbridge.FieldError) {
	v := map[string]string{}
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if i >= len(fields) {
			if c != "" {
				return v, []billbridge.FieldError{{Name: "row", Reason: "has more cells than the header has columns"}}
			}
			continue
		}
		if fields[i] != "" {
			v[fields[i]] = c
		}
	}
	return v, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readCustomerRow reads one row; header maps each field to its column's header.
func readCustomerRow(row int, fields []string, header map[string]string, cells []string) customerRow {
	r := customerRow{row: row}
	v, bad := rowValues(fields, cells)
	r.invalid = bad
	in := &r.in
	in.Name, in.ExternalID, in.CustomerNumber = v["name"], v["external_id"], v["customer_number"]
	in.ContactPerson, in.Email, in.Phone, in.VATNumber = v["contact_person"], v["email"], v["phone"], v["vat_number"]
	if s := v["kind"]; s != "" {
		in.Kind = billbridge.CustomerKind(s)
	}
	if s := v["language"]; s != "" {
		in.Language = billbridge.LanguageCode(s)
	}
	if v["street"]+v["building_number"]+v["postal_code"]+v["city"]+v["country"] != "" {
		in.Address = &AddressInput{Street: v["street"], BuildingNumber: v["building_number"], PostalCode: v["postal_code"], City: v["city"]}
		if s := v["country"]; s != "" {
			in.Address.Country = billbridge.CountryCode(s)
		}
	}
	if s := v["payment_terms_days"]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			r.invalid = append(r.invalid, billbridge.FieldError{Name: "payment_terms_days", Reason: "must be a whole number of days"})
		} else {
			in.PaymentTermsDays = &n
		}
	}
	in.Normalize()
	var e *billbridge.Error
	if errors.As(web.Validate(in), &e) {
		r.invalid = append(r.invalid, e.Fields...)
	}
	for i := range r.invalid {
		f := &r.invalid[i]
		f.Name = strings.TrimPrefix(f.Name, "address.")
		if h := header[f.Name]; h != "" {
			f.Reason += ` (column "` + h + `")`
		}
	}
	return r
}

// MatchedByName is how an import row without natural keys matched a customer.
const matchedByName = "name"

// importCustomer applies one row inside the import's transaction, with the
// duplicate rules of settings (auto-merge, possible duplicates). A row
// the rules refuse (invalid fields, a key another customer holds, an
// ambiguous name) is an invalid row; any other error ends the import.
func (h *Handler) importCustomer(ctx context.Context, tx billbridge.Tx, settings *billbridge.DuplicateSettings, r customerRow) (ImportRow, error) {
	accountID := settings.AccountID
	out := ImportRow{Row: r.row, Result: billbridge.ImportInvalid, InvalidParams: r.invalid}
	if len(r.invalid) > 0 {
		return out, nil
	}
	in := r.in
	var res *UpsertResult
	var err error
	if in.ExternalID == "" && in.CustomerNumber == "" && in.Email == "" {
		res, err = h.upsertByName(ctx, tx, accountID, &in)
	} else {
		res, err = h.match(ctx, tx, accountID, &in)
	}
	var e *billbridge.Error
	if errors.As(err, &e) && (e.Code == billbridge.EINVALID || e.Code == billbridge.ECONFLICT || e.Code == billbridge.EEXTERNALIDCONFLICT) {
		out.InvalidParams = e.Fields
		if len(out.InvalidParams) == 0 {
			out.InvalidParams = []billbridge.FieldError{{Name: "row", Reason: e.Message}}
		}
		return out, nil
	}
	if err != nil {
		return out, err
	}
	if err := h.applyDuplicateRules(ctx, tx, settings, &res.CustomerResult); err != nil {
		return out, err
	}
	out.ID, out.MatchedBy = res.ID, res.MatchedBy
	out.PossibleDuplicates, out.AutoMerged = res.PossibleDuplicates, res.AutoMerged
	switch {
	case res.Created:
		out.Result = billbridge.ImportCreated
	case res.updated:
		out.Result = billbridge.ImportUpdated
	default:
		out.Result = billbridge.ImportMatched
	}
	return out, nil
}

// upsertByName matches a row without external_id, customer_number or email
// by its name: the same name key and legal form, and the same postcode when
// both have one. One match is updated, none creates the customer, several
// make the row invalid.
func (h *Handler) upsertByName(ctx context.Context, tx billbridge.Tx, accountID string, in *CustomerInput) (*UpsertResult, error) {
	page, err := tx.FindCustomers(ctx, accountID, billbridge.CustomerFilter{NameKey: billbridge.NameKey(in.Name), PageParams: billbridge.PageParams{Limit: 100}})
	if err != nil {
		return nil, err
	}
	postcode := ""
	if in.Address != nil {
		postcode = in.Address.PostalCode
	}
	var found []billbridge.Customer
	for _, c := range page.Data {
		if billbridge.LegalForm(c.Name) != billbridge.LegalForm(in.Name) {
			continue
		}
		if postcode != "" && c.Address != nil && c.Address.PostalCode != "" && c.Address.PostalCode != postcode {
			continue
		}
		found = append(found, c)
	}
	switch len(found) {
	case 0:
		return h.match(ctx, tx, accountID, in)
	case 1:
		return h.updateMatched(ctx, tx, accountID, &found[0], in, matchedByName)
	}
	return nil, billbridge.Invalid("name", "matches "+strconv.Itoa(len(found))+" customers ("+found[0].ID+", "+found[1].ID+
		"…); add external_id, customer_number or email to tell them apart")
}
