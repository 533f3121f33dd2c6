-- The counters' backups, held by the cloud (issue 20, docs/SECURITY.md "Backups in the
-- cloud"): each is the appliance's encrypted backup file (`DYSABAK1`, XChaCha20-Poly1305
-- under the counter's backup key), uploaded in parts of at most 8 MiB (one bytea row each,
-- so no request holds a whole database) and then completed. The cloud cannot read them:
-- it keeps the bytes, their size and sha256. A location keeps its backups of the last 30
-- days, the newest always (the sweep runs at every completion).

CREATE TABLE device_backups (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    location_id  uuid        NOT NULL,
    id           uuid        NOT NULL,
    device_id    uuid        NOT NULL,
    taken_at     timestamptz NOT NULL,
    parts        integer     NOT NULL DEFAULT 0 CHECK (parts >= 0),
    size_bytes   bigint      NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
    sha256       text,
    completed_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX device_backups_newest
    ON device_backups (tenant_id, location_id, completed_at DESC) WHERE completed_at IS NOT NULL;

CREATE TABLE device_backup_parts (
    tenant_id   uuid    NOT NULL,
    location_id uuid    NOT NULL,
    backup_id   uuid    NOT NULL,
    n           integer NOT NULL CHECK (n >= 0),
    bytes       bytea   NOT NULL,
    PRIMARY KEY (tenant_id, backup_id, n),
    FOREIGN KEY (tenant_id, backup_id) REFERENCES device_backups (tenant_id, id) ON DELETE CASCADE
);

-- The recovery copy of a location's backup key (see SECURITY.md): sealed with the
-- tenant's data key (`pii::Vault`), handed only to a device of the same location, so a
-- counter enrolled to replace a dead one can open the backups. Destroying the tenant's
-- data key (erasure) makes it unreadable with everything else.
CREATE TABLE backup_keys (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    device_id   uuid        NOT NULL,
    sealed_key  text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, location_id, device_id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);

ALTER TABLE device_backups ENABLE ROW LEVEL SECURITY;
ALTER TABLE device_backups FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON device_backups
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY location_scope ON device_backups AS RESTRICTIVE
    USING (app_locations() IS NULL OR location_id IS NULL OR location_id = ANY (app_locations()));
ALTER TABLE device_backup_parts ENABLE ROW LEVEL SECURITY;
ALTER TABLE device_backup_parts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON device_backup_parts
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY location_scope ON device_backup_parts AS RESTRICTIVE
    USING (app_locations() IS NULL OR location_id IS NULL OR location_id = ANY (app_locations()));
ALTER TABLE backup_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE backup_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON backup_keys
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY location_scope ON backup_keys AS RESTRICTIVE
    USING (app_locations() IS NULL OR location_id IS NULL OR location_id = ANY (app_locations()));
