-- Closed business days with their Z report: the projection of the appliances'
-- insert-only `day_close` rows (dysa_domain::sync::rows::DayClose), tenant- and
-- location-scoped. The projection inserts and never updates (ON CONFLICT DO NOTHING);
-- the owner's dashboard reads the Z per location and day.
CREATE TABLE day_closes (
    tenant_id      uuid        NOT NULL REFERENCES tenants (id),
    location_id    uuid        NOT NULL,
    id             uuid        NOT NULL,
    business_date  date        NOT NULL,
    device_id      text        NOT NULL,
    closed_by      uuid,
    closed_by_name text,
    closed_at      timestamptz NOT NULL,
    report         jsonb       NOT NULL,
    hlc            text        NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX day_closes_by_location ON day_closes (tenant_id, location_id, business_date DESC);

ALTER TABLE day_closes ENABLE ROW LEVEL SECURITY;
ALTER TABLE day_closes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON day_closes
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- A closed day is a fact: nothing may rewrite one.
CREATE FUNCTION day_closes_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a closed day never changes';
END;
$$;
CREATE TRIGGER day_closes_no_update BEFORE UPDATE ON day_closes
    FOR EACH ROW EXECUTE FUNCTION day_closes_refuse_update();
