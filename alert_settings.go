package billbridge

import "time"

// DefaultSilenceHours is how long an alert stays quiet after its mail when
// the account set nothing: at most one mail a day per alert.
const DefaultSilenceHours = 24

// MaxAlertEmails is the most recipients an account's alerts go to.
const MaxAlertEmails = 10

// AlertSettings are who gets an account's alert mails and how often.
type AlertSettings struct {
	AccountID string `json:"-"`
	// The recipients; none means no mail.
	Emails []string `json:"emails" example:"owner@dupont.ch"`
	// Hours an alert stays quiet after its mail while it keeps firing (default 24).
	SilenceHours int `json:"silence_hours" example:"24"`
	// Alert when no API call arrived for this many hours; null turns it off.
	NoAPICallHours *int `json:"no_api_call_hours" example:"48"`
	// When the settings were last set; null while they are the defaults.
	UpdatedAt *time.Time `json:"updated_at" example:"2026-12-02T09:00:00Z"`
}

// DefaultAlertSettings are an account's settings before it sets any.
func DefaultAlertSettings(accountID string) *AlertSettings {
	return &AlertSettings{AccountID: accountID, Emails: []string{}, SilenceHours: DefaultSilenceHours}
}
