package billbridge

import (
	"fmt"
	"strings"
	"time"
)

// alertTitles name the alert kinds in mails.
var alertTitles = map[string]string{
	AlertHookFailing:     "Hook failing",
	AlertDeliveryDropped: "Delivery dropped",
	AlertHookRemoved:     "Hook removed",
	AlertIncident:        "Automation incident",
	AlertNoAPICalls:      "No API calls",
}

// AlertLink is where the owner looks at an alert: the console's hooks page
// for the kinds about a hook, its overview otherwise.
func AlertLink(publicURL, kind string) string {
	switch kind {
	case AlertHookFailing, AlertDeliveryDropped, AlertHookRemoved:
		return publicURL + "/console/hooks"
	}
	return publicURL + "/console"
}

// AlertMail is the mail an alert owes (a.Mail: MailFired or MailResolved)
// to the account's recipients: a subject saying what and whose, the
// detail, and links to the console and the sync health.
func AlertMail(a Alert, account string, s *AlertSettings, publicURL string) Mail {
	title := alertTitles[a.Kind]
	what := title
	if a.Subject != "" {
		what += " (" + a.Subject + ")"
	}
	subject := "[billbridge] " + what + " — " + account
	var b strings.Builder
	if a.Mail == MailResolved {
		subject = "[billbridge] Resolved: " + what + " — " + account
		fmt.Fprintf(&b, "Resolved: %s.\n", strings.ToLower(title[:1])+title[1:])
		if a.ResolvedAt != nil {
			fmt.Fprintf(&b, "It fired at %s and cleared at %s.\n", stamp(a.FiredAt), stamp(*a.ResolvedAt))
		}
		fmt.Fprintf(&b, "Last seen: %s\n", a.Detail)
	} else {
		fmt.Fprintf(&b, "%s\n\nSince: %s\n", a.Detail, stamp(a.FiredAt))
		if !AlertClears(a.Kind) && a.Occurrences > 1 {
			fmt.Fprintf(&b, "Occurrences since the last mail: %d\n", a.Occurrences)
		}
	}
	fmt.Fprintf(&b, "Account: %s\n\nLook at it: %s\nSync health (API): %s/v1/sync/health?window=7d\n\n", account, AlertLink(publicURL, a.Kind), publicURL)
	fmt.Fprintf(&b, "billbridge sends one mail when an alert fires, at most one every %d hours while it keeps firing, and one when it clears.\n", int(s.Silence().Hours()))
	b.WriteString("The recipients are set with PUT /v1/settings/alerts.\n")
	return Mail{To: s.Emails, Subject: subject, Text: b.String()}
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
