-- The audit log (docs/SECURITY.md, "Audit log"): one row per sensitive action, written in
-- the action's own transaction, synced insert-only (`dysa_domain::sync::rows::AuditEvent`:
-- the columns are its fields, `before`/`after` as JSON text). Rows are never changed or
-- removed: the triggers below refuse it even to code that tries.
CREATE TABLE audit_events (
    id           TEXT PRIMARY KEY NOT NULL,
    at           TEXT NOT NULL,
    actor_id     TEXT,
    actor_name   TEXT,
    device_id    TEXT NOT NULL,
    client       TEXT,
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT,
    before       TEXT,
    after        TEXT
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_actor ON audit_events (actor_id, at);
CREATE INDEX audit_events_action ON audit_events (action, at);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
