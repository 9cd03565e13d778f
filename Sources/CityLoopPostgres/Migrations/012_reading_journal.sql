-- The journal of device messages taken in and not yet ingested, per owner (a node's MQTT client ID), and how far
-- each owner's journal is ingested (written with the readings, in the same transaction).
CREATE TABLE reading_journal (seq bigserial PRIMARY KEY, owner text COLLATE "C" NOT NULL, topic text NOT NULL, payload bytea NOT NULL);
CREATE INDEX reading_journal_owner ON reading_journal (owner, seq);
CREATE TABLE reading_journal_marks (owner text COLLATE "C" PRIMARY KEY, seq bigint NOT NULL);
