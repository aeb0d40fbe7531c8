-- +goose Up
-- Hook fan-out leaves the writer's transaction: an event is appended
-- pending, and the delivery dispatcher expands it into one delivery per
-- subscribed hook afterwards (sqlstore.DB.FanOut), exactly once.
ALTER TABLE events ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_pending ON events (occurred_at, account_id, seq) WHERE pending = 1;
-- A hook gets the events appended after it was subscribed: those whose seq
-- is above after_seq.
ALTER TABLE hooks ADD COLUMN after_seq BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX deliveries_hook_event ON deliveries (hook_id, event_id);

-- +goose Down
DROP INDEX deliveries_hook_event;
ALTER TABLE hooks DROP COLUMN after_seq;
DROP INDEX events_pending;
ALTER TABLE events DROP COLUMN pending;
