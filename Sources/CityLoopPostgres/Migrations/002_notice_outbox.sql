-- Notices to reporters, queued in the transaction of the change they tell of, then delivered and retried from
-- here; the rows are the delivery log.
CREATE TABLE notice_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    data text NOT NULL,
    attempts bigint NOT NULL DEFAULT 0,
    next_attempt_at bigint,
    delivered_at bigint,
    last_error text
);
CREATE INDEX notice_outbox_due ON notice_outbox (next_attempt_at, id) WHERE delivered_at IS NULL;
