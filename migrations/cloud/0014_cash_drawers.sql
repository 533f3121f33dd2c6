-- Cash drawer sessions, their movements and their blind counts, projected from the synced
-- rows of `dysa_domain::sync::rows::{DrawerSession, DrawerMovement, DrawerCount}` (the
-- statements in store/sync/projection.rs name the keys; every other field is projected
-- by name into the column of the same name). Movements and counts are append-only.
CREATE TABLE drawer_sessions (
    tenant_id            uuid        NOT NULL REFERENCES tenants (id),
    location_id          uuid        NOT NULL,
    id                   uuid        NOT NULL,
    drawer_id            uuid        NOT NULL,
    drawer_name          text        NOT NULL,
    status               text        NOT NULL CHECK (status IN ('open', 'counted', 'recount', 'closed')),
    opening_float        bigint      NOT NULL,
    opened_by            uuid,
    opened_at            timestamptz NOT NULL,
    counted_total        bigint,
    expected_total       bigint,
    difference           bigint,
    recount_requested_by uuid,
    closed_by            uuid,
    closed_at            timestamptz,
    hlc                  text        NOT NULL,
    updated_at           timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX drawer_sessions_by_location ON drawer_sessions (tenant_id, location_id, opened_at);

CREATE TABLE drawer_movements (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    id          uuid        NOT NULL,
    session_id  uuid        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('sale', 'refund', 'pay_in', 'pay_out')),
    amount      bigint      NOT NULL CHECK (amount > 0),
    payment_id  uuid,
    reason      text,
    created_by  uuid,
    created_at  timestamptz NOT NULL,
    hlc         text        NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX drawer_movements_by_session ON drawer_movements (tenant_id, session_id);

CREATE TABLE drawer_counts (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    id          uuid        NOT NULL,
    session_id  uuid        NOT NULL,
    counts      jsonb       NOT NULL,
    total       bigint      NOT NULL,
    expected    bigint      NOT NULL,
    difference  bigint      NOT NULL,
    counted_by  uuid,
    counted_at  timestamptz NOT NULL,
    hlc         text        NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX drawer_counts_by_session ON drawer_counts (tenant_id, session_id);

ALTER TABLE drawer_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE drawer_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON drawer_sessions
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE drawer_movements ENABLE ROW LEVEL SECURITY;
ALTER TABLE drawer_movements FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON drawer_movements
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE drawer_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE drawer_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON drawer_counts
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
