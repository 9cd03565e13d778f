-- Each vehicle event names the company the vehicle belonged to when it was raised (its credit and notice), read by
-- company and time. Events stored before are charged to the vehicle's company now, the best there is.
ALTER TABLE vehicle_events ADD COLUMN company_id text COLLATE "C";
UPDATE vehicle_events e SET company_id = v.data::jsonb ->> 'companyID' FROM vehicles v WHERE v.id = e.vehicle_id;
CREATE INDEX vehicle_events_company ON vehicle_events (company_id, at);
