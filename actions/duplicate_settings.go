package actions

import (
	"context"
	"strings"
	"time"

	"billbridge"

	"github.com/gin-gonic/gin"
)

// DuplicateSettingsInput is the body of PUT /v1/settings/duplicates.
type DuplicateSettingsInput struct {
	// off (default): duplicates are only suggested. exact: a write that gives two customers an identical Swiss UID merges the newer into the older at once; fuzzy matches are only ever suggested.
	AutoMerge string `json:"auto_merge" binding:"required,oneof=off exact" example:"exact" enums:"off,exact"`
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (in *DuplicateSettingsInput) Normalize() { in.AutoMerge = strings.TrimSpace(in.AutoMerge) }

// GetDuplicateSettings returns the account's duplicate settings.
//
//	@Summary		Get the duplicate settings
//	@Description	The account's rules for duplicate customers: auto_merge off (the default) or exact.
//	@Tags			Settings
//	@ID				getDuplicateSettings
//	@Produce		json
//	@Success		200	{object}	billbridge.DuplicateSettings	"The settings."
//	@Router			/v1/settings/duplicates [get]
func (h *Handler) GetDuplicateSettings(c *gin.Context) error {
	return getSettings(c, h.Store.FindDuplicateSettings)
}

// PutDuplicateSettings replaces the account's duplicate settings.
//
//	@Summary		Set the duplicate settings
//	@Description	auto_merge exact merges at write time, and only on an identical Swiss UID (vat_number in any spelling): a customer created, upserted or patched with the UID of an existing customer is merged into the older of the two (as POST /v1/customers/merge would, with its events), and the write answers the survivor with auto_merged. Fuzzy matches ("Dupont AG" and "Dupont GmbH", "Migros Zürich" and "Migros Bern", similar names or emails) are only ever suggested in possible_duplicates. Identical external_id, customer_number and email already match in the upsert. Customers written before the change are not merged retroactively.
//	@Tags			Settings
//	@ID				putDuplicateSettings
//	@Accept			json
//	@Produce		json
//	@Param			body	body	actions.DuplicateSettingsInput	true	"The settings."
//	@Success		200	{object}	billbridge.DuplicateSettings	"The settings as stored."
//	@Failure		422	{object}	routes.Problem	"auto_merge is neither off nor exact (code validation_failed)."
//	@Router			/v1/settings/duplicates [put]
func (h *Handler) PutDuplicateSettings(c *gin.Context) error {
	var in DuplicateSettingsInput
	build := func(accountID string) (*billbridge.DuplicateSettings, error) {
		return &billbridge.DuplicateSettings{AccountID: accountID, AutoMerge: in.AutoMerge}, nil
	}
	return putSettings(c, h, &in, build, func(ctx context.Context, tx billbridge.Tx, s *billbridge.DuplicateSettings, now time.Time) error {
		s.UpdatedAt = now
		return tx.SaveDuplicateSettings(ctx, s)
	})
}

// afterWrite completes the answer of a customer write inside its
// transaction: when the account's auto_merge is exact and the written
// customer shares an identical UID with another, the newer of the two is
// merged into the older and res becomes the survivor with auto_merged;
// then res gets its possible duplicates.
func (h *Handler) afterWrite(ctx context.Context, tx billbridge.Tx, accountID string, res *CustomerResult) error {
	s, err := tx.FindDuplicateSettings(ctx, accountID)
	if err != nil {
		return err
	}
	return h.applyDuplicateRules(ctx, tx, s, res)
}

// applyDuplicateRules is afterWrite under settings s already read (an
// import reads them once for all its rows).
func (h *Handler) applyDuplicateRules(ctx context.Context, tx billbridge.Tx, s *billbridge.DuplicateSettings, res *CustomerResult) error {
	accountID := s.AccountID
	var err error
	if s.AutoMerge == billbridge.AutoMergeExact {
		pairs, err := tx.FindPairsOf(ctx, accountID, res.ID, 1, maxPossibleDuplicates)
		if err != nil {
			return err
		}
		for _, p := range pairs {
			if !billbridge.AutoMergeable(s.AutoMerge, p.Match) {
				continue
			}
			// The older customer (ids sort by creation) survives.
			m, err := h.Merge(ctx, tx, accountID, min(res.ID, p.ID), max(res.ID, p.ID))
			if err != nil {
				return err
			}
			res.Customer = m.Customer
			res.AutoMerged = &billbridge.Merge{PrimaryID: m.ID, MergedID: m.MergedID, Moved: m.Moved, MergedAt: m.UpdatedAt}
			break
		}
	}
	res.PossibleDuplicates, err = possibleDuplicates(ctx, tx, accountID, res.ID)
	return err
}
