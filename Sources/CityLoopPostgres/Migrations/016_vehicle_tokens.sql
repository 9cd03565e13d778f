-- Each tracker row carries the token of the batch that wrote it, so a node keeping trackers in memory knows whether
-- the stored one is still its own; the contractors' credit counts vehicle events by time.
ALTER TABLE vehicle_trackers ADD COLUMN token bigint NOT NULL DEFAULT 0;
CREATE INDEX vehicle_events_at ON vehicle_events (at);
