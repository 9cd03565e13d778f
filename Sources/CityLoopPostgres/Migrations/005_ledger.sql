-- The city ledger (总账): one append-only chain over every event of every case.
CREATE TABLE ledger (
    seq bigint PRIMARY KEY,
    case_id text COLLATE "C" NOT NULL,
    event_seq bigint NOT NULL,
    event_hash text NOT NULL,
    hash text NOT NULL
);
CREATE INDEX ledger_event ON ledger (case_id, event_seq);
