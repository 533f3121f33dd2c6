-- The audit log as the owners read it: the projection of the appliances' insert-only
-- `audit_event` rows (dysa_domain::sync::rows::AuditEvent), tenant- and location-scoped.
-- The projection inserts and never updates (ON CONFLICT DO NOTHING); no route writes here.
CREATE TABLE audit_events (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    location_id  uuid        NOT NULL,
    id           uuid        NOT NULL,
    at           timestamptz NOT NULL,
    actor_id     uuid,
    actor_name   text,
    device_id    text        NOT NULL,
    client       text,
    action       text        NOT NULL,
    subject_type text        NOT NULL,
    subject_id   text,
    before       jsonb,
    after        jsonb,
    hlc          text        NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_events_location_at ON audit_events (tenant_id, location_id, at DESC);

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_events
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- A recorded event is a fact: nothing may rewrite one. (Deleting stays possible for the
-- owner connection's tenant erasure, issue 20 build 6; no route deletes.)
CREATE FUNCTION audit_events_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_update();
