-- API keys' request budgets (token buckets), shared by every node on this database.
CREATE TABLE rate_budgets (key text COLLATE "C" PRIMARY KEY, tokens double precision NOT NULL, at bigint NOT NULL, granted boolean NOT NULL);
CREATE INDEX rate_budgets_at ON rate_budgets (at);
-- Early-warning alerts as rows (they were one setting, rewritten whole by the scan and by each task made from an
-- alert, so two nodes could lose each other's writes), moved over in their order: newest first is highest seq.
CREATE TABLE early_warnings (
    seq bigserial PRIMARY KEY, id text COLLATE "C" NOT NULL UNIQUE, record text NOT NULL, task_case_id text, task_case_number text
);
INSERT INTO early_warnings (id, record, task_case_id, task_case_number)
    SELECT e.value ->> 'id', e.value::text, e.value ->> 'taskCaseID', e.value ->> 'taskCaseNumber'
    FROM settings s CROSS JOIN LATERAL json_array_elements(s.value::json) WITH ORDINALITY AS e(value, n)
    WHERE s.key = 'analytics.alerts'
    ORDER BY e.n DESC;
DELETE FROM settings WHERE key = 'analytics.alerts';
