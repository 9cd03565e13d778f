-- The contractors' credit counts vehicle events by time.
CREATE INDEX vehicle_events_at ON vehicle_events (at);
