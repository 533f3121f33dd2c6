-- A new counter joins a location by approval, and parked changes staff can see and resolve
-- (docs/SYNC.md, "Joining a location" and "Parked and refused changes").

-- The joining counter's one request while it waits for an admin at another counter. The
-- X25519 secret key opens the sealed location key once approved; it is dropped as soon as
-- the key is taken (it is worth nothing after that).
CREATE TABLE sync_join (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    request_id  TEXT    NOT NULL,
    secret_key  BLOB    CHECK (secret_key IS NULL OR length(secret_key) = 32),
    public_key  TEXT    NOT NULL,
    device_name TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'refused', 'expired', 'joined')),
    detail      TEXT,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
) STRICT;

-- Parked rows: how many times they were tried and since when (parked_at moves with every
-- retry; `since` stays at the first time).
ALTER TABLE sync_parked ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sync_parked ADD COLUMN since TEXT;

-- A parked change staff threw away: kept whole, with who and when, for the record.
CREATE TABLE sync_discarded (
    seq          INTEGER PRIMARY KEY,
    entity       TEXT    NOT NULL,
    entity_id    TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    change       TEXT    NOT NULL CHECK (json_valid(change)),
    reason       TEXT    NOT NULL,
    discarded_by TEXT    NOT NULL,
    discarded_at TEXT    NOT NULL
) STRICT;

-- A refused push staff have seen and dismissed leaves the list (the row stays, for the
-- record).
ALTER TABLE outbox ADD COLUMN rejected_dismissed_at TEXT;
