-- The link to the cloud and the sync loop's bookkeeping (docs/SYNC.md, "Appliance").
-- Local only: none of these tables is synced, so they follow no outbox convention.

-- At most one row: the cloud this appliance is enrolled with. The device token itself is
-- not here: it lives in the OS keyring, or in a 0600 file beside the database where no
-- keyring exists (`token_storage` says which).
CREATE TABLE cloud_link (
    singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
    cloud_url      TEXT NOT NULL,
    -- The cloud's ids for this device, its tenant and its location (UUIDs as text).
    device_id      TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    location_id    TEXT NOT NULL,
    token_storage  TEXT NOT NULL CHECK (token_storage IN ('keyring', 'file')),
    connected_at   TEXT NOT NULL,
    -- Set when the cloud refused the token as revoked: the loop stops until staff reconnect.
    revoked_at     TEXT,
    revoked_reason TEXT
) STRICT;

-- One row: where the pull stands and how the last attempt went.
CREATE TABLE sync_state (
    singleton       INTEGER PRIMARY KEY CHECK (singleton = 1),
    -- The version after which the next pull starts.
    cursor          INTEGER NOT NULL DEFAULT 0,
    last_success_at TEXT,
    last_error      TEXT,
    last_attempt_at TEXT
) STRICT;
INSERT INTO sync_state (singleton) VALUES (1);

-- The cloud version of every row this device took from the cloud, so a pull applies a
-- change only when it is newer than what the device holds.
CREATE TABLE sync_row_versions (
    entity    TEXT    NOT NULL,
    entity_id TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id)
) STRICT, WITHOUT ROWID;

-- Cloud rows that could not be applied yet: a row whose parent has not arrived (an order
-- line before its order, when the order changed later and so comes later in the pull), or
-- one that clashes with a local row (two tables named alike). They are retried after every
-- pulled page, and replaced when a newer version of the same row arrives.
CREATE TABLE sync_parked (
    entity    TEXT    NOT NULL,
    entity_id TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    change    TEXT    NOT NULL CHECK (json_valid(change)),
    reason    TEXT    NOT NULL,
    parked_at TEXT    NOT NULL,
    PRIMARY KEY (entity, entity_id)
) STRICT, WITHOUT ROWID;

-- A rejected mutation keeps the cloud's human-readable detail for staff.
ALTER TABLE outbox ADD COLUMN rejected_detail TEXT;
ALTER TABLE outbox ADD COLUMN rejected_at TEXT;
CREATE INDEX outbox_rejected ON outbox (seq) WHERE rejected_reason IS NOT NULL;
-- Applying a cloud row first asks whether a local change to it still waits to be pushed.
CREATE INDEX outbox_pending_row ON outbox (entity, entity_id)
    WHERE pushed_at IS NULL AND rejected_reason IS NULL;
