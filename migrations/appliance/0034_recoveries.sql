-- "Recuperar este local" made retryable (issue 20; docs/SYNC.md, "Replacing a dead
-- counter"). The backup's rows are copied in one transaction that also writes this row;
-- the steps after the copy (numbering, the first sync, the report) mark it finished. A
-- recovery that failed after the copy (or a counter that stopped then) finds its row
-- unfinished: `POST /setup/recover` again goes on from the copy instead of answering
-- "already set up", and copies nothing twice. Never synced (this counter's own).
CREATE TABLE recoveries (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    backup_id TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    dead_device_id TEXT NOT NULL,
    -- JSON object: the counts as the backup held them (the report's `from_backup`).
    from_backup TEXT NOT NULL,
    copied_at TEXT NOT NULL,
    finished_at TEXT
);
