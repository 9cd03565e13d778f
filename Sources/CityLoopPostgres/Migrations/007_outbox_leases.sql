-- A node claims due notices for a while (a lease) before delivering them, so nodes sharing the database never
-- deliver the same notice at once, and a dead node's notices are claimed again when its lease ends.
ALTER TABLE notice_outbox ADD COLUMN leased_by text;
ALTER TABLE notice_outbox ADD COLUMN lease_until bigint;
