-- Menu photos. `menu_items.photo` is a synced field of `dysa_domain::sync::rows::Item`
-- (the sha256 of the item's resized JPEG), projected by name (store/sync/projection.rs,
-- generic fields).
ALTER TABLE menu_items ADD COLUMN photo text CHECK (photo ~ '^[0-9a-f]{64}$');

-- The photos' bytes, once per tenant and hash: sent by a counter before the push that
-- names them (PUT /api/v1/sync/media/{hash}, hash checked) or made here from an owner's
-- upload. Served to the widget under the location's slug and to the other counters.
-- The thumbnail is derived from `jpeg` by the same code (dysa-photo) the counters use.
CREATE TABLE media (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    hash        text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    jpeg        bytea       NOT NULL,
    thumb       bytea       NOT NULL,
    width       integer     NOT NULL CHECK (width BETWEEN 1 AND 800),
    height      integer     NOT NULL CHECK (height BETWEEN 1 AND 800),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, hash)
);
ALTER TABLE media ENABLE ROW LEVEL SECURITY;
ALTER TABLE media FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON media
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
