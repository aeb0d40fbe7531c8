package billbridge

import (
	"strings"
	"time"
)

// PrefixIncident starts the id of an incident.
const PrefixIncident = "inc"

// Incident sources: the automation platform (or a plain script) whose error
// handler reported the failure.
const (
	SourceZapier = "zapier"
	SourceMake   = "make"
	SourceN8n    = "n8n"
	SourceScript = "script"
)

// IncidentSources lists the sources an incident may name, in documentation order.
var IncidentSources = []string{SourceZapier, SourceMake, SourceN8n, SourceScript}

// Incident is a sync failure an automation reported on its own side (n8n's
// Error Trigger, a Make error route, a halted Zap): it counts into the
// account's sync health beside what the gateway saw itself.
type Incident struct {
	ID        string `json:"id" example:"inc_01JDZ9A1B2C3D4E5F6G7H8J9K0"`
	AccountID string `json:"-"`
	// Who reported it: zapier, make, n8n or script.
	Source string `json:"source" enums:"zapier,make,n8n,script" example:"n8n"`
	// The workflow, scenario or Zap that failed, as the platform names it; empty when not given.
	Workflow string `json:"workflow" example:"CRM deal won → invoice"`
	// A link to the failed execution on the platform; empty when not given.
	ExecutionURL string `json:"execution_url" example:"https://n8n.example.ch/workflow/12/executions/3456"`
	// What went wrong, as the platform reported it.
	Message   string    `json:"message" example:"422 validation_failed: email must be an email address"`
	CreatedAt time.Time `json:"created_at" example:"2026-12-02T09:00:00Z"`
}

// Alert is the incident alert it fires: one per source and workflow.
func (in *Incident) Alert() Alert {
	subject := in.Source
	if in.Workflow != "" {
		subject += "/" + in.Workflow
	}
	var d strings.Builder
	d.WriteString(in.Source + " reported a failed run")
	if in.Workflow != "" {
		d.WriteString(" of " + in.Workflow)
	}
	d.WriteString(": " + in.Message)
	if in.ExecutionURL != "" {
		d.WriteString(" (" + in.ExecutionURL + ")")
	}
	return Alert{AccountID: in.AccountID, Kind: AlertIncident, Subject: subject, Detail: d.String()}
}
