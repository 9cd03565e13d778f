-- Sign-in attempts: the throttle's counters (shared by every node on this database) and the sign-in audit log.
CREATE TABLE login_attempts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at bigint NOT NULL,
    username text COLLATE "C" NOT NULL,
    address text COLLATE "C" NOT NULL,
    outcome text NOT NULL,
    reason text
);
CREATE INDEX login_attempts_user ON login_attempts (username, at);
CREATE INDEX login_attempts_address ON login_attempts (address, at);
CREATE INDEX login_attempts_at ON login_attempts (at);
