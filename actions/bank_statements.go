package actions

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// StatementReport is what an imported bank file did: every credit it holds
// is in exactly one of matched, already_recorded, overpaid and unmatched.
type StatementReport struct {
	// camt.054 or camt.053.
	Kind string `json:"kind" example:"camt.054"`
	// The bank's id of the file (GrpHdr/MsgId).
	MessageID string `json:"message_id" example:"20261128375204000006009"`
	// Credits that became payments now.
	Matched []StatementLine `json:"matched"`
	// Credits whose entry_reference is already the external_id of a payment: nothing was counted again.
	AlreadyRecorded []StatementLine `json:"already_recorded"`
	// Credits larger than what their invoice still asked for: a payment of the amount due was recorded (the invoice is paid) and the rest is listed as surplus, to refund or keep as the customer's credit.
	Overpaid []StatementLine `json:"overpaid"`
	// Credits that paid nothing, with the reason (including credits for an invoice already paid).
	Unmatched []StatementLine `json:"unmatched"`
	// Entries that are no money received: debits, reversals, entries not yet booked, amounts of zero.
	Ignored int `json:"ignored" example:"1"`
}

// StatementLine is one credit of a bank file and what became of it.
type StatementLine struct {
	// The bank's reference of the transaction, the external_id of its payment.
	EntryReference string `json:"entry_reference" example:"261128CH0000A0Z1-1"`
	// The QR or creditor reference the payer gave, as the bank wrote it.
	Reference   string           `json:"reference,omitempty" example:"210000000003139471430009017"`
	Amount      billbridge.Money `json:"amount" swaggertype:"number" example:"1949.75"`
	Currency    string           `json:"currency" example:"CHF"`
	BookingDate billbridge.Date  `json:"booking_date" swaggertype:"string" format:"date" example:"2026-11-28"`
	DebtorName  string           `json:"debtor_name,omitempty" example:"Pia Rutschmann"`
	// The invoice the reference names, when one does.
	InvoiceID     string `json:"invoice_id,omitempty" example:"inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD"`
	InvoiceNumber string `json:"invoice_number,omitempty" example:"INV-000042"`
	// The payment recorded now (matched, overpaid) or before (already_recorded).
	PaymentID string `json:"payment_id,omitempty" example:"pay_01JDZ8Q4B7N2C5V8X1Z3M6K9HE"`
	// Overpaid: what the invoice still asked for, the amount of the payment recorded.
	AmountDue *billbridge.Money `json:"amount_due,omitempty" swaggertype:"number" example:"1000.00"`
	// Overpaid, and already_recorded of an overpaid credit: the part of amount the payment did not count (amount − amount_due).
	Surplus *billbridge.Money `json:"surplus,omitempty" swaggertype:"number" example:"949.75"`
	// Unmatched: no_reference, no_invoice, currency_mismatch, invoice_not_open or invoice_paid.
	Reason string `json:"reason,omitempty" enums:"no_reference,no_invoice,currency_mismatch,invoice_not_open,invoice_paid" example:"no_invoice"`
}

func lineOf(e billbridge.StatementEntry, inv *billbridge.Invoice) StatementLine {
	l := StatementLine{EntryReference: e.EntryReference, Reference: e.Reference, Amount: e.Amount, Currency: e.Currency,
		BookingDate: e.BookingDate, DebtorName: e.DebtorName}
	if inv != nil {
		l.InvoiceID, l.InvoiceNumber = inv.ID, inv.Number
	}
	return l
}

// ImportBankStatement records the payments of a camt.054 or camt.053 file.
//
//	@Summary		Import a bank file (camt.054 or camt.053)
//	@Description	Reads an ISO 20022 camt.054 notification or camt.053 statement (versions .001.02 to .001.08, UTF-8, at most 20 MiB, read as a stream one entry at a time) sent as the multipart field file. Every booked credit whose QR or creditor reference (RmtInf/Strd/CdtrRefInf/Ref) is the payment_reference of an open, partially paid or overdue invoice in the same currency becomes a payment on it, with the bank's reference of the transaction (AcctSvcrRef) as external_id and the booking date as paid_at, emitting payment.received and, when it settles the invoice, invoice.paid. The same file again (or another holding the same transaction) records nothing twice: the transaction is listed under already_recorded. A credit above the amount due pays the invoice with the amount due (a payment of that amount, the invoice paid) and is listed under overpaid with amount_due and the surplus, to refund or keep as the customer's credit; importing it again lists it under already_recorded with the same surplus. Credits that pay nothing are listed under unmatched with the reason: no_reference, no_invoice, currency_mismatch, invoice_not_open (cancelled) or invoice_paid (nothing left to pay). The whole file is one transaction: a file that cannot be read changes nothing. A DOCTYPE (entities, XML bombs) is refused.
//	@Tags			Payments
//	@ID				importBankStatement
//	@Accept			mpfd
//	@Produce		json
//	@Param			file	formData	file	true	"The camt.054 or camt.053 XML file."
//	@Success		200		{object}	actions.StatementReport	"What each credit of the file became."
//	@Failure		413		{object}	routes.Problem			"The request is over 20 MiB, the bank files' own limit (code request_too_large)."
//	@Failure		422		{object}	routes.Problem			"The file is missing, not camt.054/053, not well-formed, or has a DOCTYPE; invalid_params names file (code validation_failed)."
//	@Router			/v1/bank-statements [post]
func (h *Handler) ImportBankStatement(c *gin.Context) error {
	file, err := uploadedFile(c, "file")
	if err != nil {
		return err
	}
	st, err := h.Statements.ReadStatement(file)
	if err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		r, err := h.importStatement(ctx, tx, acct, st)
		return http.StatusOK, r, err
	})
}

// importStatement records st's payments in tx; see ImportBankStatement.
func (h *Handler) importStatement(ctx context.Context, tx billbridge.Tx, acct *billbridge.Account, st *billbridge.BankStatement) (*StatementReport, error) {
	r := &StatementReport{Kind: st.Kind, MessageID: st.MessageID, Matched: []StatementLine{}, AlreadyRecorded: []StatementLine{},
		Overpaid: []StatementLine{}, Unmatched: []StatementLine{}}
	invoices, err := lockReferenced(ctx, tx, acct.ID, st.Entries)
	if err != nil {
		return nil, err
	}
	now, later := h.Clock.Now(), ratings{}
	for _, e := range st.Entries {
		if !e.Counts() {
			r.Ignored++
			continue
		}
		inv := invoices[billbridge.NormalizeReference(e.Reference)]
		line := lineOf(e, inv)
		existing, err := paymentByExternalID(ctx, tx, acct.ID, e.EntryReference)
		if err != nil {
			return nil, err
		}
		if existing != nil {
			line.PaymentID, line.InvoiceID = existing.ID, existing.InvoiceID
			if inv == nil || inv.ID != existing.InvoiceID {
				line.InvoiceNumber = ""
			}
			if surplus := billbridge.StatementSurplus(e, existing.Amount); surplus > 0 && existing.Currency == e.Currency {
				line.Surplus = &surplus
			}
			r.AlreadyRecorded = append(r.AlreadyRecorded, line)
			continue
		}
		switch outcome := billbridge.StatementOutcome(e, inv); outcome {
		case "", billbridge.OutcomeOverpaid:
			booked := min(e.Amount, inv.AmountDue)
			p := &billbridge.Payment{
				ID: billbridge.NewID(billbridge.PrefixPayment), AccountID: acct.ID, InvoiceID: inv.ID, CustomerID: inv.CustomerID,
				ExternalID: e.EntryReference, Amount: booked, Currency: e.Currency, PaidAt: e.BookingDate,
				Method: "bank_transfer", Reference: inv.PaymentReference, CreatedAt: now,
			}
			if err := h.countPayment(ctx, tx, acct, inv, p, later); err != nil {
				return nil, err
			}
			line.PaymentID = p.ID
			if outcome == "" {
				r.Matched = append(r.Matched, line)
				continue
			}
			surplus := billbridge.StatementSurplus(e, booked)
			line.AmountDue, line.Surplus = &booked, &surplus
			r.Overpaid = append(r.Overpaid, line)
		default:
			line.Reason = outcome
			r.Unmatched = append(r.Unmatched, line)
		}
	}
	return r, later.refresh(ctx, tx, acct, now)
}

// lockReferenced finds the invoices the entries' references name and locks
// them in the order of their ids, so two imports touching the same
// invoices wait for each other instead of deadlocking. It returns them by
// normalized reference.
func lockReferenced(ctx context.Context, tx billbridge.Tx, accountID string, entries []billbridge.StatementEntry) (map[string]*billbridge.Invoice, error) {
	idOf := map[string]string{}
	for _, e := range entries {
		ref := billbridge.NormalizeReference(e.Reference)
		if _, seen := idOf[ref]; seen || ref == "" || !e.Counts() {
			continue
		}
		inv, err := tx.FindInvoiceByPaymentReference(ctx, accountID, ref)
		switch {
		case billbridge.ErrorCode(err) == billbridge.ENOTFOUND:
			idOf[ref] = ""
		case err != nil:
			return nil, err
		default:
			idOf[ref] = inv.ID
		}
	}
	ids := make([]string, 0, len(idOf))
	for _, id := range idOf {
		if id != "" {
			ids = append(ids, id)
		}
	}
	invs, err := billbridge.LockInvoices(ctx, tx, accountID, ids)
	if err != nil {
		return nil, err
	}
	locked := make(map[string]*billbridge.Invoice, len(invs))
	for _, inv := range invs {
		locked[inv.ID] = inv
	}
	out := make(map[string]*billbridge.Invoice, len(idOf))
	for ref, id := range idOf {
		if id != "" {
			out[ref] = locked[id]
		}
	}
	return out, nil
}

// uploadedFile returns the content of the multipart/form-data field name as
// a stream over the request body, not a copy. A body that is not multipart
// is EMALFORMED; a missing field EINVALID naming it.
func uploadedFile(c *gin.Context, name string) (io.Reader, error) {
	body, err := web.Body(c)
	if err != nil {
		return nil, err
	}
	mt, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, billbridge.Errorf(billbridge.EMALFORMED, "Send the file as multipart/form-data in the field %q.", name)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, billbridge.Invalid(name, "is required: send the file in the multipart field "+name)
		}
		if err != nil {
			return nil, billbridge.Errorf(billbridge.EMALFORMED, "The multipart body could not be read: %v.", err)
		}
		if part.FormName() != name {
			continue
		}
		return part, nil
	}
}
