-- Each case's evaluation facts by day (`EvaluationFacts.encode`), their sums by day, subject and counter, and
-- reported cases per day by area and class prefix (trends and forecasts).
CREATE TABLE case_facts (
    day bigint NOT NULL,
    case_id text COLLATE "C" NOT NULL,
    grid_code text COLLATE "C" NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (day, case_id)
);
CREATE TABLE eval_counts (
    day bigint NOT NULL,
    kind bigint NOT NULL,
    subject text COLLATE "C" NOT NULL,
    counter bigint NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (day, kind, subject, counter)
);
CREATE TABLE case_counts (
    area text COLLATE "C" NOT NULL,
    matter text COLLATE "C" NOT NULL,
    day bigint NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (area, matter, day)
);
