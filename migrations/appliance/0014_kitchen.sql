-- Courses and firing, the kitchen screen and printed tickets (issue 16).

-- The course a line is served in (NULL: with its order) and the seat it is for. Fields of
-- the synced line (`dysa_domain::sync::rows::OrderLine`), written by store/orders.rs and
-- sync/apply.rs.
ALTER TABLE order_lines ADD COLUMN course TEXT CHECK (course IN ('drinks', 'starters', 'mains', 'desserts'));
ALTER TABLE order_lines ADD COLUMN seat INTEGER CHECK (seat BETWEEN 1 AND 99);

-- One kitchen ticket: the lines of one course of one order for one station, sent when
-- the course was fired ("Marchar"). Local to this appliance: the kitchen screens and
-- printers are on its LAN and must work with the cloud unreachable; the lines themselves
-- (what was ordered and charged) sync as always.
CREATE TABLE kitchen_tickets (
    id        TEXT PRIMARY KEY,
    order_id  TEXT NOT NULL REFERENCES orders (id),
    station   TEXT NOT NULL,
    course    TEXT,
    fired_at  TEXT NOT NULL,
    fired_by  TEXT REFERENCES users (id),
    bumped_at TEXT,
    bumped_by TEXT REFERENCES users (id)
) STRICT;
CREATE INDEX kitchen_tickets_open ON kitchen_tickets (station, fired_at) WHERE bumped_at IS NULL;
CREATE INDEX kitchen_tickets_bumped ON kitchen_tickets (station, bumped_at) WHERE bumped_at IS NOT NULL;
CREATE INDEX kitchen_tickets_order ON kitchen_tickets (order_id);

-- The lines of a ticket. The primary key is the line: a line reaches the kitchen once,
-- however often its course is fired (kitchens elsewhere cooked food twice).
CREATE TABLE kitchen_ticket_lines (
    line_id   TEXT PRIMARY KEY REFERENCES order_lines (id),
    ticket_id TEXT NOT NULL REFERENCES kitchen_tickets (id),
    bumped_at TEXT
) STRICT;
CREATE INDEX kitchen_ticket_lines_ticket ON kitchen_ticket_lines (ticket_id);

-- ESC/POS printers, one per station ('kitchen', 'bar') or the counter's ('counter': pre-bills
-- and receipts). Local: a printer is an address on this LAN.
CREATE TABLE printers (
    id            TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    station       TEXT    NOT NULL CHECK (station IN ('kitchen', 'bar', 'counter')),
    connection    TEXT    NOT NULL CHECK (connection IN ('tcp', 'device')),
    address       TEXT    NOT NULL,
    paper_mm      INTEGER NOT NULL CHECK (paper_mm IN (58, 80)),
    code_page     TEXT    NOT NULL CHECK (code_page IN ('pc858', 'pc850', 'wpc1252')),
    last_ok_at    TEXT,
    last_error    TEXT,
    last_error_at TEXT,
    created_at    TEXT    NOT NULL,
    deleted_at    TEXT
) STRICT;
CREATE UNIQUE INDEX printers_station ON printers (station) WHERE deleted_at IS NULL;

-- The print queue: every ticket is stored (already in ESC/POS bytes) before it is sent,
-- and stays 'queued' with its error until a printer took it, so nothing is lost while a
-- printer is off or out of paper.
CREATE TABLE print_jobs (
    id              TEXT    PRIMARY KEY,
    printer_id      TEXT    NOT NULL REFERENCES printers (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('kitchen', 'prebill', 'receipt')),
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
CREATE INDEX print_jobs_due ON print_jobs (next_attempt_at) WHERE status = 'queued';
CREATE INDEX print_jobs_created ON print_jobs (created_at);
