-- The record of SQLite migration 011's repairs of control characters (which cases, how many events, the old and
-- new chain heads), kept when a city moves here with `cityloop copy` so the repair stays visible.
CREATE TABLE text_repairs (
    case_id text COLLATE "C" PRIMARY KEY,
    number text COLLATE "C" NOT NULL,
    repaired_at bigint NOT NULL,
    events_repaired bigint NOT NULL,
    case_row_repaired bigint NOT NULL,
    old_head text NOT NULL,
    new_head text NOT NULL
);
