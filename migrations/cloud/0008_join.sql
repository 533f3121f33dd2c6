-- A new counter joins a location by approval (docs/SYNC.md, "Joining a location").
--
-- location_keys: the fingerprint of the location key the first counter claimed. The key
-- itself never reaches the cloud; the fingerprint lets the cloud tell a counter holding
-- the location's key from one that made a rival key (409 `location_key_exists`).
--
-- join_requests: a new counter's public key relayed to the location's other counters, and
-- the location key sealed to it once an admin there approves. The cloud cannot open the
-- sealed key: only the joining counter's secret key does.

CREATE TABLE location_keys (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    fingerprint text        NOT NULL CHECK (char_length(fingerprint) BETWEEN 8 AND 128),
    claimed_by  uuid        NOT NULL REFERENCES devices (id),
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, location_id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);

CREATE TABLE join_requests (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    id          uuid        NOT NULL,
    location_id uuid        NOT NULL,
    device_id   uuid        NOT NULL REFERENCES devices (id),
    device_name text        NOT NULL CHECK (char_length(device_name) BETWEEN 1 AND 80),
    public_key  text        NOT NULL CHECK (char_length(public_key) = 44),
    status      text        NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'approved', 'refused')),
    sealed_key  text        CHECK (sealed_key IS NULL OR char_length(sealed_key) = 108),
    decided_by  uuid        REFERENCES devices (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    decided_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
    CHECK ((status = 'approved') = (sealed_key IS NOT NULL))
);
CREATE INDEX join_requests_location ON join_requests (tenant_id, location_id, created_at);

ALTER TABLE location_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE location_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON location_keys
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE join_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE join_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON join_requests
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
