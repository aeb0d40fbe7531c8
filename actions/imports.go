package actions

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// ImportQuery chooses how an import applies its rows.
type ImportQuery struct {
	// Validate and match every row and answer what would happen, writing nothing.
	DryRun bool `form:"dry_run" json:"dry_run" example:"true"`
	// Write nothing when any row is invalid (422 naming the rows); default: apply every valid row.
	Atomic bool `form:"atomic" json:"atomic" example:"false"`
}

// ImportResult is the answer of an import.
type ImportResult struct {
	// True when nothing was written (dry_run=true).
	DryRun  bool          `json:"dry_run"`
	Summary ImportSummary `json:"summary"`
	// One entry per data row that is not blank, in file order.
	Rows []ImportRow `json:"rows"`
	// Header cells that name no field; their columns were not read.
	IgnoredColumns []string `json:"ignored_columns"`
}

// ImportSummary counts the rows of an import by result.
type ImportSummary struct {
	Rows    int `json:"rows"`
	Created int `json:"created"`
	Matched int `json:"matched"`
	Updated int `json:"updated"`
	Invalid int `json:"invalid"`
	// Rows whose customer was merged automatically (auto_merge exact); they are counted as created, matched or updated too.
	AutoMerged int `json:"auto_merged"`
}

// ImportRow is what an import did with one row.
type ImportRow struct {
	// The row's number in the file, the header being row 1.
	Row int `json:"row" example:"2"`
	// created, matched (an existing record, already equal), updated (an existing record, changed) or invalid (nothing written).
	Result string `json:"result" enums:"created,matched,updated,invalid" example:"created"`
	// The record the row created or matched; empty when invalid.
	ID string `json:"id,omitempty" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"`
	// The key that matched an existing record: external_id, customer_number, email, alias (a merged customer's key), or name (a customer row without those keys, matched by its name and postcode); number for an invoice matched by its number.
	MatchedBy *string `json:"matched_by" enums:"external_id,customer_number,email,alias,name,number"`
	// Why the row is invalid: fields by name (the export's English header), the file's column in the reason.
	InvalidParams []billbridge.FieldError `json:"invalid_params,omitempty"`
	// Other customers that may be the row's (as on the upsert; left out when none): earlier rows of the file included.
	PossibleDuplicates []PossibleDuplicate `json:"possible_duplicates,omitempty"`
	// Set when the account's auto_merge is exact and the row gave its customer the UID of another: the newer was merged into the older, and id is the survivor.
	AutoMerged *billbridge.Merge `json:"auto_merged,omitempty"`
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// ImportCustomers creates and updates customers from a CSV or XLSX file.
//
//	@Summary		Import customers from CSV or XLSX
//	@Description	Creates or updates one customer per row of a CSV file or of the first worksheet of an XLSX workbook, sent as the body (text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) or as the field file of a multipart form (a .xlsx name or zip content is read as a workbook). Rows match existing customers like the upsert (external_id, then customer_number, then email); a row without any of these matches a customer of the same name (legal form included) and postcode, and is invalid when several do. Importing a file again creates nothing new. The duplicate rules apply to every row as to the upsert: a row answers its possible_duplicates (earlier rows of the file included), and under auto_merge exact a row giving its customer the UID of another merges the newer into the older (auto_merged on the row, counted in summary.auto_merged; a dry run reports it and writes nothing). Headers may be the export's field names or German, French and English labels (Firma / Name 1 / Company, E-Mail, Strasse, Hausnummer, PLZ / NPA, Ort / Localité, Land / Pays, Kundennummer, UID / MWST-Nr.); other columns are ignored and listed. Country names become ISO codes (Schweiz → CH). A UTF-8 BOM is dropped, the separator (; , TAB |) detected, CRLF accepted, Windows-1252 and UTF-16 decoded. The import runs in one transaction: every valid row is applied (invalid rows are listed with the fields they break), or with atomic=true nothing when any row is invalid; dry_run=true answers the same report and writes nothing. One Idempotency-Key covers the whole import. At most 16 MiB and 50,000 rows (413 beyond).
//	@Tags			Imports
//	@ID				importCustomers
//	@Accept			text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,multipart/form-data
//	@Produce		json
//	@Param			query	query		actions.ImportQuery	false	"Dry run and atomicity."
//	@Param			body	body		string				true	"The CSV or XLSX file as the body, or a multipart form with the file in the field file."
//	@Success		200		{object}	actions.ImportResult	"What the import did (or would do) with every row."
//	@Failure		400		{object}	routes.Problem		"The file is not valid CSV (the problem names the line) or not a readable XLSX workbook (code malformed_request)."
//	@Failure		413		{object}	routes.Problem		"The file is over 16 MiB or 50,000 rows (code request_too_large)."
//	@Failure		422		{object}	routes.Problem		"Not a CSV or XLSX body, no column holds the name, or (atomic=true) invalid rows, named rows[N].field in invalid_params (code validation_failed)."
//	@Router			/v1/imports/customers [post]
func (h *Handler) ImportCustomers(c *gin.Context) error {
	return h.runImport(c, func(t *billbridge.Table) (importer, []string, error) {
		rows, ignored, err := customerRows(t)
		if err != nil {
			return nil, nil, err
		}
		acct := web.Account(c)
		return func(ctx context.Context, tx billbridge.Tx, res *ImportResult) error {
			settings, err := tx.FindDuplicateSettings(ctx, acct.ID)
			if err != nil {
				return err
			}
			for _, r := range rows {
				out, err := h.importCustomer(ctx, tx, settings, r)
				if err != nil {
					return err
				}
				res.add(out)
			}
			return nil
		}, ignored, nil
	})
}

// importer applies the rows of an import inside its transaction, adding
// each row's outcome to res.
type importer func(ctx context.Context, tx billbridge.Tx, res *ImportResult) error

// runImport reads the uploaded file into a table, lets read turn it into
// an importer (and the ignored columns), and runs that: for a dry run in a
// transaction rolled back, else in one committed under the request's
// Idempotency-Key, with nothing written when atomic=true and a row is invalid.
func (h *Handler) runImport(c *gin.Context, read func(*billbridge.Table) (importer, []string, error)) error {
	var q ImportQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	data, format, err := importFile(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	table, err := h.Sheets.ReadTable(ctx, data, format, billbridge.MaxImportRows)
	if err != nil {
		return err
	}
	apply, ignored, err := read(table)
	if err != nil {
		return err
	}
	run := func(ctx context.Context, tx billbridge.Tx) (*ImportResult, error) {
		res := &ImportResult{DryRun: q.DryRun, Rows: make([]ImportRow, 0, len(table.Rows)), IgnoredColumns: ignored}
		return res, apply(ctx, tx, res)
	}
	if q.DryRun {
		var res *ImportResult
		err := h.Store.Atomic(ctx, func(tx billbridge.Tx) error {
			var err error
			if res, err = run(ctx, tx); err != nil {
				return err
			}
			return errDryRun
		})
		if !errors.Is(err, errDryRun) {
			return err
		}
		return web.JSON(c, http.StatusOK, res)
	}
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		res, err := run(ctx, tx)
		if err != nil {
			return 0, nil, err
		}
		if q.Atomic && res.Summary.Invalid > 0 {
			return 0, nil, res.atomicError()
		}
		return http.StatusOK, res, nil
	})
}

// add counts one row's outcome.
func (r *ImportResult) add(row ImportRow) {
	r.Rows = append(r.Rows, row)
	r.Summary.Rows++
	if row.AutoMerged != nil {
		r.Summary.AutoMerged++
	}
	switch row.Result {
	case billbridge.ImportCreated:
		r.Summary.Created++
	case billbridge.ImportMatched:
		r.Summary.Matched++
	case billbridge.ImportUpdated:
		r.Summary.Updated++
	default:
		r.Summary.Invalid++
	}
}

// maxListedRows bounds the invalid_params of an atomic import's 422.
const maxListedRows = 100

// atomicError is the 422 of an atomic import with invalid rows: each
// refused field named rows[N].field, N the file's row number.
func (r *ImportResult) atomicError() error {
	e := &billbridge.Error{Code: billbridge.EINVALID,
		Message: strconv.Itoa(r.Summary.Invalid) + " of " + strconv.Itoa(r.Summary.Rows) + " rows are invalid, so nothing was imported (atomic=true)."}
	listed := 0
	for _, row := range r.Rows {
		if row.Result != billbridge.ImportInvalid {
			continue
		}
		if listed == maxListedRows {
			e.Message += " The first " + strconv.Itoa(maxListedRows) + " are listed."
			break
		}
		listed++
		for _, f := range row.InvalidParams {
			e.Fields = append(e.Fields, billbridge.FieldError{Name: "rows[" + strconv.Itoa(row.Row) + "]." + f.Name, Reason: f.Reason})
		}
	}
	return e
}

// importFile returns the uploaded file and its format: the body itself
// (text/csv or the XLSX media type), or the field "file" of a multipart form.
func importFile(c *gin.Context) ([]byte, string, error) {
	body, err := web.Body(c)
	if err != nil {
		return nil, "", err
	}
	mt, params, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	name := ""
	if mt == "multipart/form-data" {
		if body, mt, name, err = formFile(body, params["boundary"]); err != nil {
			return nil, "", err
		}
	}
	format, ok := fileFormat(mt, name, body)
	if !ok {
		return nil, "", billbridge.Invalid("Content-Type", "must be text/csv, "+xlsxType+", or multipart/form-data with the CSV or XLSX file in the field file")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, "", billbridge.Invalid("file", "is empty: send a CSV or XLSX file with a header row")
	}
	return body, format, nil
}

// formFile returns the field "file" of a multipart body, its media type and file name.
func formFile(body []byte, boundary string) ([]byte, string, string, error) {
	if boundary == "" {
		return nil, "", "", billbridge.Errorf(billbridge.EMALFORMED, "The multipart body has no boundary.")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "", "", billbridge.Invalid("file", "is required: the CSV or XLSX file as the multipart field file")
		}
		if err != nil {
			return nil, "", "", billbridge.Errorf(billbridge.EMALFORMED, "The multipart body could not be read.")
		}
		if p.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, "", "", billbridge.Errorf(billbridge.EMALFORMED, "The multipart body could not be read.")
		}
		mt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		return data, mt, p.FileName(), nil
	}
}

// zipMagic starts every zip file, and so every XLSX workbook.
var zipMagic = []byte("PK\x03\x04")

// fileFormat tells CSV from XLSX by media type, or, when the media type
// says nothing (application/octet-stream), by the file name or the
// content: a zip file is taken for a workbook, anything else is not read.
func fileFormat(mediaType, fileName string, body []byte) (string, bool) {
	switch mediaType {
	case "text/csv", "application/csv", "text/plain", "application/vnd.ms-excel", "text/tab-separated-values":
		return billbridge.SheetCSV, true
	case xlsxType:
		return billbridge.SheetXLSX, true
	case "", "application/octet-stream", "application/zip":
		switch strings.ToLower(path.Ext(fileName)) {
		case ".csv", ".txt", ".tsv":
			return billbridge.SheetCSV, true
		case ".xlsx":
			return billbridge.SheetXLSX, true
		}
		if bytes.HasPrefix(body, zipMagic) {
			return billbridge.SheetXLSX, true
		}
	}
	return "", false
}
