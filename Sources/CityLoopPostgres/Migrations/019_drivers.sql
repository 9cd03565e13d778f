-- The fleet registry's drivers, listed by company.
CREATE TABLE drivers (id text COLLATE "C" PRIMARY KEY, company_id text COLLATE "C", data text NOT NULL);
CREATE INDEX drivers_company ON drivers (company_id, id);
