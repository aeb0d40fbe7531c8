package actions

import (
	"context"
	"net/http"
	"strings"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// IncidentInput is the body of POST /v1/sync/incidents: what an
// automation's error handler knows about a failed run.
type IncidentInput struct {
	// Who reports: zapier, make, n8n or script.
	Source string `json:"source" binding:"required,oneof=zapier make n8n script" enums:"zapier,make,n8n,script" example:"n8n"`
	// The workflow, scenario or Zap that failed (n8n: workflow.name).
	Workflow string `json:"workflow" binding:"max=200" example:"CRM deal won → invoice"`
	// A link to the failed execution (n8n: execution.url), an absolute http(s) URL.
	ExecutionURL string `json:"execution_url" binding:"omitempty,http_url,max=2048" format:"uri" example:"https://n8n.example.ch/workflow/12/executions/3456"`
	// What went wrong (n8n: error.message); line breaks and tabs are kept.
	Message string `json:"message" binding:"required,max=4000" text:"multiline" example:"422 validation_failed: email must be an email address"`
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (in *IncidentInput) Normalize() {
	for _, p := range []*string{&in.Source, &in.Workflow, &in.ExecutionURL, &in.Message} {
		*p = strings.TrimSpace(*p)
	}
}

// ReportIncident stores a sync failure an automation reported.
//
//	@Summary		Report a sync error
//	@Description	An automation's error handler (n8n Error Trigger, a Make error route, a halted Zap, a script's catch) reports a failed run; it is kept per account for the sync health. source and message are required; workflow and execution_url help find the run. Refused with 422 naming the field: an unknown source, an execution_url that is not an absolute http(s) URL, a message over 4000 characters.
//	@Tags			Sync
//	@ID				reportIncident
//	@Accept			json
//	@Produce		json
//	@Param			body	body	actions.IncidentInput	true	"The failed run."
//	@Success		201	{object}	billbridge.Incident	"The incident as stored."
//	@Failure		422	{object}	routes.Problem	"A field failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/sync/incidents [post]
func (h *Handler) ReportIncident(c *gin.Context) error {
	var in IncidentInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	acct := web.Account(c)
	return web.Commit(c, h.Store, func(ctx context.Context, tx billbridge.Tx) (int, any, error) {
		inc := &billbridge.Incident{
			ID: billbridge.NewID(billbridge.PrefixIncident), AccountID: acct.ID, Source: in.Source,
			Workflow: in.Workflow, ExecutionURL: in.ExecutionURL, Message: in.Message, CreatedAt: h.Clock.Now(),
		}
		if err := tx.InsertIncident(ctx, inc); err != nil {
			return 0, nil, err
		}
		if err := billbridge.FireAlert(ctx, tx, inc.Alert(), inc.CreatedAt); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, inc, nil
	})
}
