package qrbill

// texts are the words printed on a QR-bill and an invoice, per language
// (de, fr, it, en); the slip's are the IG's own.
type texts struct {
	PaymentPart, Receipt, AccountPayableTo, Reference, AdditionalInformation string
	Currency, Amount, AcceptancePoint, PayableBy, PayableByNameAddress       string
	SeparateBeforePaying                                                     string

	// Invoice.
	Invoice, Number, IssueDate, DueDate, CustomerNumber, YourReference string
	Description, Quantity, UnitPrice, VAT, LineAmount                  string
	Subtotal, VATAt, Total, Paid, AmountDue, VATNumber, PayableWithin  string
	Paid0, Cancelled, Page                                             string
}

var textsByLang = map[string]*texts{
	"de": {
		PaymentPart: "Zahlteil", Receipt: "Empfangsschein", AccountPayableTo: "Konto / Zahlbar an", Reference: "Referenz",
		AdditionalInformation: "Zusätzliche Informationen", Currency: "Währung", Amount: "Betrag", AcceptancePoint: "Annahmestelle",
		PayableBy: "Zahlbar durch", PayableByNameAddress: "Zahlbar durch (Name/Adresse)", SeparateBeforePaying: "Vor der Einzahlung abzutrennen",
		Invoice: "Rechnung", Number: "Rechnungsnummer", IssueDate: "Rechnungsdatum", DueDate: "Zahlbar bis", CustomerNumber: "Kundennummer",
		YourReference: "Ihre Referenz", Description: "Beschreibung", Quantity: "Menge", UnitPrice: "Preis", VAT: "MWST", LineAmount: "Betrag",
		Subtotal: "Zwischentotal", VATAt: "MWST %s %% auf %s", Total: "Total", Paid: "Bezahlt", AmountDue: "Offener Betrag",
		VATNumber: "MWST-Nr.", PayableWithin: "Zahlbar innert %d Tagen.", Paid0: "Diese Rechnung ist bezahlt. Vielen Dank.",
		Cancelled: "Diese Rechnung ist storniert.", Page: "Seite %d von %d",
	},
	"fr": {
		PaymentPart: "Section paiement", Receipt: "Récépissé", AccountPayableTo: "Compte / Payable à", Reference: "Référence",
		AdditionalInformation: "Informations supplémentaires", Currency: "Monnaie", Amount: "Montant", AcceptancePoint: "Point de dépôt",
		PayableBy: "Payable par", PayableByNameAddress: "Payable par (nom/adresse)", SeparateBeforePaying: "A détacher avant le versement",
		Invoice: "Facture", Number: "Numéro de facture", IssueDate: "Date de facture", DueDate: "Payable jusqu'au", CustomerNumber: "Numéro de client",
		YourReference: "Votre référence", Description: "Description", Quantity: "Quantité", UnitPrice: "Prix", VAT: "TVA", LineAmount: "Montant",
		Subtotal: "Sous-total", VATAt: "TVA %s %% sur %s", Total: "Total", Paid: "Payé", AmountDue: "Montant dû",
		VATNumber: "N° TVA", PayableWithin: "Payable dans les %d jours.", Paid0: "Cette facture est payée. Merci beaucoup.",
		Cancelled: "Cette facture est annulée.", Page: "Page %d sur %d",
	},
	"it": {
		PaymentPart: "Sezione pagamento", Receipt: "Ricevuta", AccountPayableTo: "Conto / Pagabile a", Reference: "Riferimento",
		AdditionalInformation: "Informazioni supplementari", Currency: "Valuta", Amount: "Importo", AcceptancePoint: "Punto di accettazione",
		PayableBy: "Pagabile da", PayableByNameAddress: "Pagabile da (nome/indirizzo)", SeparateBeforePaying: "Da staccare prima del versamento",
		Invoice: "Fattura", Number: "Numero fattura", IssueDate: "Data fattura", DueDate: "Pagabile entro il", CustomerNumber: "Numero cliente",
		YourReference: "Vostro riferimento", Description: "Descrizione", Quantity: "Quantità", UnitPrice: "Prezzo", VAT: "IVA", LineAmount: "Importo",
		Subtotal: "Subtotale", VATAt: "IVA %s %% su %s", Total: "Totale", Paid: "Pagato", AmountDue: "Importo dovuto",
		VATNumber: "N. IVA", PayableWithin: "Pagabile entro %d giorni.", Paid0: "Questa fattura è pagata. Grazie mille.",
		Cancelled: "Questa fattura è annullata.", Page: "Pagina %d di %d",
	},
	"en": {
		PaymentPart: "Payment part", Receipt: "Receipt", AccountPayableTo: "Account / Payable to", Reference: "Reference",
		AdditionalInformation: "Additional information", Currency: "Currency", Amount: "Amount", AcceptancePoint: "Acceptance point",
		PayableBy: "Payable by", PayableByNameAddress: "Payable by (name/address)", SeparateBeforePaying: "Separate before paying in",
		Invoice: "Invoice", Number: "Invoice number", IssueDate: "Invoice date", DueDate: "Due date", CustomerNumber: "Customer number",
		YourReference: "Your reference", Description: "Description", Quantity: "Quantity", UnitPrice: "Price", VAT: "VAT", LineAmount: "Amount",
		Subtotal: "Subtotal", VATAt: "VAT %s %% on %s", Total: "Total", Paid: "Paid", AmountDue: "Amount due",
		VATNumber: "VAT no.", PayableWithin: "Payable within %d days.", Paid0: "This invoice is paid. Thank you.",
		Cancelled: "This invoice is cancelled.", Page: "Page %d of %d",
	},
}

// textsFor returns the texts of lang, German for a language it does not know.
func textsFor(lang string) *texts {
	if t, ok := textsByLang[lang]; ok {
		return t
	}
	return textsByLang["de"]
}
