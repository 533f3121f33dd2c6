-- Closing the day (docs/ARCHITECTURE.md, "Closing the day").
--
-- A closed business day with its frozen Z report: the synced insert-only row
-- `dysa_domain::sync::rows::DayClose` (the first columns are its fields, `report` as JSON
-- text). One per business day on this counter; the triggers refuse any change.
-- `orders_mark` and `payments_mark` are local, never synced: the highest rowid of
-- `orders` and `payments` when this counter closed the day (or learned that another
-- counter had). A row dated in the day with a higher rowid arrived after the close: it is
-- counted in the next open day as a late correction, so the closed figures never move.
CREATE TABLE day_closes (
    id             TEXT    PRIMARY KEY NOT NULL,
    business_date  TEXT    NOT NULL UNIQUE,
    device_id      TEXT    NOT NULL,
    closed_by      TEXT,
    closed_by_name TEXT,
    closed_at      TEXT    NOT NULL,
    report         TEXT    NOT NULL CHECK (json_valid(report)),
    orders_mark    INTEGER NOT NULL,
    payments_mark  INTEGER NOT NULL
) STRICT;

CREATE TRIGGER day_closes_no_update BEFORE UPDATE ON day_closes
BEGIN
    SELECT RAISE(ABORT, 'a closed day never changes');
END;
CREATE TRIGGER day_closes_no_delete BEFORE DELETE ON day_closes
BEGIN
    SELECT RAISE(ABORT, 'a closed day never changes');
END;

-- The Z (and X) report printed at the counter is a print job of its own kind: SQLite
-- cannot widen a CHECK, so the queue's table is rebuilt with the same rows.
CREATE TABLE print_jobs_next (
    id              TEXT    PRIMARY KEY,
    printer_id      TEXT    NOT NULL REFERENCES printers (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('kitchen', 'prebill', 'receipt', 'report')),
    reference       TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    copy            INTEGER NOT NULL DEFAULT 0 CHECK (copy IN (0, 1)),
    body            BLOB    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('queued', 'printed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    printed_at      TEXT
) STRICT;
INSERT INTO print_jobs_next SELECT id, printer_id, kind, reference, title, copy, body, status,
    attempts, last_error, next_attempt_at, created_at, printed_at FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_next RENAME TO print_jobs;
CREATE INDEX print_jobs_due ON print_jobs (next_attempt_at) WHERE status = 'queued';
CREATE INDEX print_jobs_created ON print_jobs (created_at);
