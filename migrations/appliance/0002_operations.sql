-- Restaurant operations: menu, customers, tables, orders, payments, reservations.
-- Same conventions as 0001: UUIDv7 TEXT ids, `updated_at` HLC, `deleted_at` HLC
-- tombstones, one outbox row per change. Money is INTEGER pesos (IVA included).
-- Instants are RFC 3339 UTC text (`2026-11-27T19:00:00Z`), which sorts as time.

CREATE TABLE menu_categories (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    name_en    TEXT,
    position   INTEGER NOT NULL DEFAULT 0,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    deleted_at TEXT
) STRICT;

-- A modifier group carries its options as a JSON array
-- [{id, name, name_en, price_delta, available}] so it syncs as one entity.
CREATE TABLE menu_modifier_groups (
    id          TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    name_en     TEXT,
    min_choices INTEGER NOT NULL CHECK (min_choices >= 0),
    max_choices INTEGER NOT NULL CHECK (max_choices >= 1 AND max_choices >= min_choices),
    options     TEXT    NOT NULL CHECK (json_valid(options)),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    deleted_at  TEXT
) STRICT;

CREATE TABLE menu_items (
    id                 TEXT    PRIMARY KEY,
    category_id        TEXT    NOT NULL REFERENCES menu_categories (id),
    name               TEXT    NOT NULL,
    name_en            TEXT,
    description        TEXT,
    description_en     TEXT,
    price              INTEGER NOT NULL CHECK (price >= 0),
    station            TEXT    NOT NULL DEFAULT 'kitchen' CHECK (station IN ('kitchen', 'bar')),
    tags               TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    allergens          TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(allergens)),
    -- Ordered ids of the modifier groups attached to the item.
    modifier_group_ids TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(modifier_group_ids)),
    available          INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
    position           INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    deleted_at         TEXT
) STRICT;
CREATE INDEX menu_items_category ON menu_items (category_id, position);

CREATE TABLE customers (
    id                TEXT    PRIMARY KEY,
    name              TEXT    NOT NULL,
    phone             TEXT,
    email             TEXT,
    rut               TEXT,
    notes             TEXT,
    marketing_consent INTEGER NOT NULL DEFAULT 0 CHECK (marketing_consent IN (0, 1)),
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    deleted_at        TEXT
) STRICT;
CREATE UNIQUE INDEX customers_phone_live ON customers (phone) WHERE deleted_at IS NULL AND phone IS NOT NULL;
CREATE UNIQUE INDEX customers_email_live ON customers (email) WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE INDEX customers_name ON customers (name COLLATE NOCASE);

CREATE TABLE dining_tables (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    seats      INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 100),
    area       TEXT,
    position   INTEGER NOT NULL DEFAULT 0,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX dining_tables_name_live ON dining_tables (name) WHERE deleted_at IS NULL;

-- Daily order numbers (#1, #2, …) restart each local day of the restaurant.
CREATE TABLE order_counters (
    business_date TEXT    PRIMARY KEY,
    last_number   INTEGER NOT NULL
) STRICT;

CREATE TABLE orders (
    id              TEXT    PRIMARY KEY,
    number          INTEGER NOT NULL,
    business_date   TEXT    NOT NULL,
    -- Local hour (0–23) in the restaurant's time zone when the order was taken, so
    -- reports by hour stay right across DST changes without time-zone math in SQL.
    local_hour      INTEGER NOT NULL DEFAULT 0 CHECK (local_hour BETWEEN 0 AND 23),
    channel         TEXT    NOT NULL CHECK (channel IN ('counter', 'dine_in', 'takeaway', 'delivery', 'widget', 'chat', 'phone')),
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
    deleted_at      TEXT
) STRICT;
CREATE UNIQUE INDEX orders_daily_number ON orders (business_date, number);
CREATE INDEX orders_created ON orders (created_at);
CREATE INDEX orders_status ON orders (status, created_at);
CREATE INDEX orders_customer ON orders (customer_id, created_at);
CREATE INDEX orders_table_open ON orders (table_id) WHERE status NOT IN ('completed', 'cancelled');

-- Lines are appended and voided, never edited: the kitchen saw what it saw.
CREATE TABLE order_lines (
    id          TEXT    PRIMARY KEY,
    order_id    TEXT    NOT NULL REFERENCES orders (id),
    position    INTEGER NOT NULL,
    item_id     TEXT    NOT NULL REFERENCES menu_items (id),
    name        TEXT    NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 999),
    unit_price  INTEGER NOT NULL CHECK (unit_price >= 0),
    line_total  INTEGER NOT NULL,
    modifiers   TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(modifiers)),
    note        TEXT,
    station     TEXT    NOT NULL DEFAULT 'kitchen',
    voided_at   TEXT,
    void_reason TEXT,
    voided_by   TEXT    REFERENCES users (id),
    created_by  TEXT    REFERENCES users (id),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
) STRICT;
CREATE INDEX order_lines_order ON order_lines (order_id, position);
CREATE INDEX order_lines_item ON order_lines (item_id);

-- Every status change of an order, with who and when.
CREATE TABLE order_transitions (
    id          TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL REFERENCES orders (id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    reason      TEXT,
    by_user     TEXT REFERENCES users (id),
    at          TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX order_transitions_order ON order_transitions (order_id, at);

-- `Idempotency-Key` of order creation: the same key and body give the same order.
CREATE TABLE idempotency_keys (
    key          TEXT PRIMARY KEY,
    scope        TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    resource_id  TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

-- Append-only ledger: refunds are new rows with a negative amount.
CREATE TABLE payments (
    id         TEXT    PRIMARY KEY,
    order_id   TEXT    NOT NULL REFERENCES orders (id),
    method     TEXT    NOT NULL CHECK (method IN ('cash', 'debit', 'credit', 'transfer', 'mercado_pago')),
    amount     INTEGER NOT NULL,
    tip        INTEGER NOT NULL DEFAULT 0,
    received   INTEGER,
    change     INTEGER,
    refund_of  TEXT    REFERENCES payments (id),
    reference  TEXT,
    created_by TEXT    REFERENCES users (id),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
) STRICT;
CREATE INDEX payments_order ON payments (order_id, created_at);
CREATE INDEX payments_created ON payments (created_at);

CREATE TABLE reservations (
    id               TEXT    PRIMARY KEY,
    customer_id      TEXT    REFERENCES customers (id),
    name             TEXT    NOT NULL,
    phone            TEXT,
    party_size       INTEGER NOT NULL CHECK (party_size BETWEEN 1 AND 100),
    starts_at        TEXT    NOT NULL,
    ends_at          TEXT    NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 15 AND 720),
    table_id         TEXT    NOT NULL REFERENCES dining_tables (id),
    status           TEXT    NOT NULL CHECK (status IN ('booked', 'confirmed', 'seated', 'completed', 'no_show', 'cancelled')),
    channel          TEXT    NOT NULL DEFAULT 'counter',
    notes            TEXT,
    cancel_reason    TEXT,
    created_by       TEXT    REFERENCES users (id),
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    deleted_at       TEXT
) STRICT;
CREATE INDEX reservations_time ON reservations (starts_at);
CREATE INDEX reservations_table_time ON reservations (table_id, starts_at);
CREATE INDEX reservations_customer ON reservations (customer_id);
