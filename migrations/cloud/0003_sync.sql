-- Sync (docs/SYNC.md): the cloud's merged copy of every synced row, the per-tenant
-- version counter, and the answers given to pushed mutations (for idempotent replay).
--
-- The typed tables of 0001 (orders, menu_items, …) become projections of sync_rows,
-- rewritten from the merged row in the same transaction as the merge.

-- One row per tenant: the newest version handed out. Versions come from this row,
-- updated inside the writing transaction (not a sequence: sequence values are taken
-- before commit and commit out of order, so a pull could read version 12 before 11 is
-- visible and its cursor would skip 11 for ever). Every sync write of a tenant locks
-- this row first, so the tenant's writes commit in version order.
CREATE TABLE sync_versions (
    tenant_id uuid   PRIMARY KEY REFERENCES tenants (id),
    version   bigint NOT NULL DEFAULT 0 CHECK (version >= 0)
);

-- The merged state of every synced row. `entity_id` is the row's id on the wire, except
-- for settings, whose key is only unique within a location: their rows are stored under
-- `<location_id>/<key>` (see store::sync::storage_id), so two restaurants of one business
-- keep separate settings.
CREATE TABLE sync_rows (
    tenant_id        uuid   NOT NULL REFERENCES tenants (id),
    entity           text   NOT NULL,
    entity_id        text   NOT NULL,
    -- NULL for tenant-wide rows (customers); every device of the tenant sees those.
    location_id      uuid,
    row              jsonb  NOT NULL,
    -- field name → HLC of the write that set it (last writer wins per field), listing only
    -- the fields written before the row's newest HLC (`hlc`): a field missing here was
    -- written at `hlc`. A row written once (most of them) stores `{}`.
    field_hlc        jsonb  NOT NULL,
    -- HLC of the delete when the row is a tombstone.
    deleted_hlc      text,
    -- The newest HLC of the row (ChangeRecord.hlc), kept so pulls need not read field_hlc.
    hlc              text   NOT NULL,
    -- The tenant version at which the row last changed.
    version          bigint NOT NULL,
    -- Why the typed projection of this row could not be written (NULL when it was).
    -- The row itself is safe; the projection is retried whenever the row changes.
    projection_error text,
    PRIMARY KEY (tenant_id, entity, entity_id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
-- Pulls page by version.
CREATE INDEX sync_rows_version ON sync_rows (tenant_id, version);
-- The double-booking check reads the live reservations of one table at one location.
CREATE INDEX sync_rows_table_holds ON sync_rows (tenant_id, location_id, (row ->> 'table_id'))
    WHERE entity = 'reservation' AND deleted_hlc IS NULL;

-- The first answer given to each mutation id, so a replayed push gets it again and
-- changes nothing. `entity_id` is the storage id (as in sync_rows), to read the row's
-- current state for the replayed answer. Kept at least as long as tombstones (30 days).
CREATE TABLE sync_mutations (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    mutation_id text        NOT NULL,
    -- NULL for changes made on the cloud (owners' edits).
    device_id   uuid,
    entity      text        NOT NULL,
    entity_id   text        NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('applied', 'adjusted', 'rejected')),
    reason      text,
    detail      text,
    -- The row's version right after this mutation (NULL when it was rejected).
    version     bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, mutation_id)
);

-- The wall time of an HLC text (`wall_ms-counter-node`): the time of a change, for the
-- typed tables' updated_at / deleted_at.
CREATE FUNCTION sync_hlc_time(hlc text) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_timestamp(split_part(hlc, '-', 1)::bigint / 1000.0)
$$;

ALTER TABLE sync_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sync_versions
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE sync_rows ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_rows FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sync_rows
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE sync_mutations ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_mutations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sync_mutations
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- ---------------------------------------------------------------------------------------
-- Projections. A row that merged fine must never be lost because its typed copy cannot be
-- written yet, and rows arrive in any order across devices and batches (a line before its
-- order when the order sat in another device's outbox). So the foreign keys between
-- synced rows go: readers join by id, and a line whose order has not arrived is simply
-- not shown until it does. Keys to tenants and locations stay (the cloud owns those).
ALTER TABLE menu_items DROP CONSTRAINT menu_items_tenant_id_category_id_fkey;
ALTER TABLE order_lines DROP CONSTRAINT order_lines_tenant_id_order_id_fkey;
ALTER TABLE order_transitions DROP CONSTRAINT order_transitions_tenant_id_order_id_fkey;
ALTER TABLE payments DROP CONSTRAINT payments_tenant_id_order_id_fkey;

-- Fields the appliances sync that the typed tables did not hold yet.
ALTER TABLE menu_items ADD COLUMN description_en text;
ALTER TABLE orders ADD COLUMN tax_rate_bp integer;
ALTER TABLE orders ADD COLUMN created_by uuid;
ALTER TABLE order_lines ADD COLUMN station text;
ALTER TABLE order_lines ADD COLUMN void_reason text;
ALTER TABLE order_lines ADD COLUMN deleted_at timestamptz;
-- Payments keep the appliance's sign: refunds are negative amounts with kind 'refund'.
ALTER TABLE payments ADD COLUMN refund_of uuid;
ALTER TABLE payments ADD COLUMN reference text;
ALTER TABLE reservations ADD COLUMN cancel_reason text;
ALTER TABLE reservations ADD COLUMN deleted_at timestamptz;

-- Device sync state for the owners' device list: the cursor a device last pulled to
-- (lag in versions = tenant version − this) and its last push.
ALTER TABLE devices ADD COLUMN last_pulled_version bigint;
ALTER TABLE devices ADD COLUMN last_push_at timestamptz;
