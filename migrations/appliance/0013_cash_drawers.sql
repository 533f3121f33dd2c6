-- Cash drawers (docs/ARCHITECTURE.md, "Cash drawers"). A drawer belongs to this counter
-- (local, never synced: each counter PC has its own); its sessions, movements and counts
-- are synced rows of `dysa_domain::sync::rows` kept column for column (`store::rows`).
CREATE TABLE drawers (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL
) STRICT;

-- One session of a drawer. Sessions of other counters' drawers arrive by sync; only one
-- session per drawer may be unclosed, so two opens racing cannot both win.
CREATE TABLE drawer_sessions (
    id                   TEXT    PRIMARY KEY,
    drawer_id            TEXT    NOT NULL,
    drawer_name          TEXT    NOT NULL,
    status               TEXT    NOT NULL CHECK (status IN ('open', 'counted', 'recount', 'closed')),
    opening_float        INTEGER NOT NULL CHECK (opening_float >= 0),
    opened_by            TEXT,
    opened_at            TEXT    NOT NULL,
    counted_total        INTEGER,
    expected_total       INTEGER,
    difference           INTEGER,
    recount_requested_by TEXT,
    closed_by            TEXT,
    closed_at            TEXT,
    updated_at           TEXT    NOT NULL
) STRICT;
CREATE UNIQUE INDEX drawer_sessions_one_unclosed ON drawer_sessions (drawer_id)
    WHERE status <> 'closed';
CREATE INDEX drawer_sessions_opened ON drawer_sessions (opened_at);

-- The cash ledger of a session: insert-only; `amount` is positive, the kind gives the sign.
CREATE TABLE drawer_movements (
    id         TEXT    PRIMARY KEY,
    session_id TEXT    NOT NULL REFERENCES drawer_sessions (id),
    kind       TEXT    NOT NULL CHECK (kind IN ('sale', 'refund', 'pay_in', 'pay_out')),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    payment_id TEXT,
    reason     TEXT,
    created_by TEXT,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
) STRICT;
CREATE INDEX drawer_movements_session ON drawer_movements (session_id, created_at);

-- Blind counts: insert-only; a second count is a new row.
CREATE TABLE drawer_counts (
    id         TEXT    PRIMARY KEY,
    session_id TEXT    NOT NULL REFERENCES drawer_sessions (id),
    counts     TEXT    NOT NULL,
    total      INTEGER NOT NULL CHECK (total >= 0),
    expected   INTEGER NOT NULL,
    difference INTEGER NOT NULL,
    counted_by TEXT,
    counted_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
) STRICT;
CREATE INDEX drawer_counts_session ON drawer_counts (session_id, counted_at);
