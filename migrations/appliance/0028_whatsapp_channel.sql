-- no-transaction
-- Orders from WhatsApp carry their own channel, `whatsapp` (issue 18): until now the cloud
-- placed them as `chat`, because the CHECK below took no other value, and the counter and
-- the reports could not tell a WhatsApp order from one taken by the counter's own chat.
--
-- SQLite cannot change a CHECK constraint in place, so `orders` is rebuilt with the
-- documented procedure (https://www.sqlite.org/lang_altertable.html#otheralter), as 0025
-- did: foreign keys off (order_lines, payments, kitchen tickets, bill parts and cancel
-- requests reference orders), one transaction that creates the new table, copies every
-- row, drops the old one and renames the new one, puts back its indexes, and checks every
-- foreign key before it commits. `PRAGMA foreign_keys` is a no-op inside a transaction,
-- which is why this file opts out of sqlx's own transaction (the first line).
--
-- Columns keep their order (0005 appended `cancel_request`, 0015 `covers`, `waiter_id`
-- and `bill_requested_at`). Rows keep their rowid too: a day close remembers the highest
-- rowid of `orders` it saw (0016's `orders_mark`), so the copy must not renumber them.

PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

CREATE TABLE orders_rebuilt (
    id              TEXT    PRIMARY KEY,
    number          INTEGER NOT NULL,
    business_date   TEXT    NOT NULL,
    -- Local hour (0–23) in the restaurant's time zone when the order was taken, so
    -- reports by hour stay right across DST changes without time-zone math in SQL.
    local_hour      INTEGER NOT NULL DEFAULT 0 CHECK (local_hour BETWEEN 0 AND 23),
    channel         TEXT    NOT NULL CHECK (channel IN ('counter', 'dine_in', 'takeaway', 'delivery', 'widget', 'chat', 'phone', 'whatsapp')),
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'confirmed', 'preparing', 'ready', 'completed', 'cancelled')),
    customer_id     TEXT    REFERENCES customers (id),
    table_id        TEXT    REFERENCES dining_tables (id),
    note            TEXT,
    subtotal        INTEGER NOT NULL,
    discount        INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0),
    total           INTEGER NOT NULL,
    net             INTEGER NOT NULL,
    tax             INTEGER NOT NULL,
    tax_rate_bp     INTEGER NOT NULL,
    tip             INTEGER NOT NULL DEFAULT 0 CHECK (tip >= 0),
    amount_due      INTEGER NOT NULL,
    cancel_reason   TEXT,
    created_by      TEXT    REFERENCES users (id),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    deleted_at      TEXT,
    cancel_request  TEXT    CHECK (cancel_request IS NULL OR json_valid(cancel_request)),
    covers          INTEGER CHECK (covers BETWEEN 1 AND 99),
    waiter_id       TEXT,
    bill_requested_at TEXT
) STRICT;
INSERT INTO orders_rebuilt
    (rowid, id, number, business_date, local_hour, channel, status, customer_id, table_id,
     note, subtotal, discount, total, net, tax, tax_rate_bp, tip, amount_due, cancel_reason,
     created_by, created_at, updated_at, deleted_at, cancel_request, covers, waiter_id,
     bill_requested_at)
SELECT rowid, id, number, business_date, local_hour, channel, status, customer_id, table_id,
       note, subtotal, discount, total, net, tax, tax_rate_bp, tip, amount_due, cancel_reason,
       created_by, created_at, updated_at, deleted_at, cancel_request, covers, waiter_id,
       bill_requested_at
FROM orders;
DROP TABLE orders;
ALTER TABLE orders_rebuilt RENAME TO orders;
CREATE UNIQUE INDEX orders_daily_number ON orders (business_date, number);
CREATE INDEX orders_created ON orders (created_at);
CREATE INDEX orders_status ON orders (status, created_at);
CREATE INDEX orders_customer ON orders (customer_id, created_at);
CREATE INDEX orders_table_open ON orders (table_id) WHERE status NOT IN ('completed', 'cancelled');

-- Refuse to commit a database whose foreign keys no longer hold: the CHECK below fails the
-- insert (and so this migration) when the check finds any row pointing at nothing.
CREATE TEMP TABLE whatsapp_channel_fk_guard (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO whatsapp_channel_fk_guard SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE whatsapp_channel_fk_guard;

COMMIT;

PRAGMA foreign_keys = ON;
