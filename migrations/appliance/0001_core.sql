-- The appliance's core tables: device identity, settings, staff, sessions and the outbox.
--
-- Conventions for every synced table (see docs/ARCHITECTURE.md):
--   id          TEXT UUIDv7 made where the row is born
--   updated_at  TEXT HLC timestamp of the last change (sortable as text)
--   deleted_at  TEXT HLC timestamp of the tombstone, NULL while the row lives
-- and every change writes one `outbox` row in the same transaction.

-- One row: who this appliance is, for the HLC and for sync.
CREATE TABLE device (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id  TEXT    NOT NULL,
    hlc_node   INTEGER NOT NULL,
    -- The newest HLC issued before outbox rows were pruned; the clock resumes after it.
    last_hlc   TEXT    NOT NULL,
    created_at TEXT    NOT NULL
) STRICT;

-- Restaurant settings as JSON values by key (synced: entity `setting`).
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL CHECK (json_valid(value)),
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;

-- Staff accounts (synced: entity `user`), so a second counter PC knows the same people.
CREATE TABLE users (
    id            TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'manager', 'waiter', 'viewer')),
    password_hash TEXT    NOT NULL,
    pin_hash      TEXT,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    deleted_at    TEXT
) STRICT;
CREATE UNIQUE INDEX users_email_live ON users (email) WHERE deleted_at IS NULL;

-- A login: every refresh token of one login shares the family; reuse revokes it (local only).
CREATE TABLE sessions (
    family_id      TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id),
    method         TEXT NOT NULL CHECK (method IN ('password', 'pin', 'setup')),
    created_at     TEXT NOT NULL,
    revoked_at     TEXT,
    revoked_reason TEXT
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

-- Refresh tokens, stored as SHA-256 hashes; a used token stays to detect its reuse.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    family_id  TEXT NOT NULL REFERENCES sessions (family_id),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Failed logins, per account and per client, for the lockout window (local only).
CREATE TABLE auth_failures (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT    NOT NULL,
    at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX auth_failures_scope ON auth_failures (scope, at_ms);

-- Every change to a synced table, in commit order, until the cloud confirms it.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id     TEXT NOT NULL UNIQUE,
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    op              TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    payload         TEXT NOT NULL CHECK (json_valid(payload)),
    hlc             TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    pushed_at       TEXT,
    rejected_reason TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox (seq) WHERE pushed_at IS NULL AND rejected_reason IS NULL;
