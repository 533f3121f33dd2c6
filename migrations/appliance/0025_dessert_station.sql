-- no-transaction
-- A third kitchen station, desserts ("postres"), for menu items and station printers.
--
-- SQLite cannot change a CHECK constraint in place, so both tables are rebuilt with the
-- documented procedure (https://www.sqlite.org/lang_altertable.html#otheralter): foreign
-- keys off, one transaction that creates the new table, copies every row, drops the old one
-- and renames the new one, puts back its indexes, and checks every foreign key before it
-- commits. `PRAGMA foreign_keys` is a no-op inside a transaction, which is why this file
-- opts out of sqlx's own transaction (the first line) and opens its own.
--
-- Columns keep their order (0011 and 0021 appended `prep_minutes` and `paper`), so rows
-- read by position still read the same; order_lines and print_jobs keep
-- referring to the tables by name and see the same ids.

PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

CREATE TABLE menu_items_rebuilt (
    id                 TEXT    PRIMARY KEY,
    category_id        TEXT    NOT NULL REFERENCES menu_categories (id),
    name               TEXT    NOT NULL,
    name_en            TEXT,
    description        TEXT,
    description_en     TEXT,
    price              INTEGER NOT NULL CHECK (price >= 0),
    station            TEXT    NOT NULL DEFAULT 'kitchen' CHECK (station IN ('kitchen', 'bar', 'dessert')),
    tags               TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    allergens          TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(allergens)),
    -- Ordered ids of the modifier groups attached to the item.
    modifier_group_ids TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(modifier_group_ids)),
    available          INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
    position           INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    deleted_at         TEXT,
    prep_minutes       INTEGER CHECK (prep_minutes BETWEEN 1 AND 600)
) STRICT;
INSERT INTO menu_items_rebuilt
    (id, category_id, name, name_en, description, description_en, price, station, tags,
     allergens, modifier_group_ids, available, position, created_at, updated_at, deleted_at,
     prep_minutes)
SELECT id, category_id, name, name_en, description, description_en, price, station, tags,
       allergens, modifier_group_ids, available, position, created_at, updated_at, deleted_at,
       prep_minutes
FROM menu_items;
DROP TABLE menu_items;
ALTER TABLE menu_items_rebuilt RENAME TO menu_items;
CREATE INDEX menu_items_category ON menu_items (category_id, position);

-- One printer per station ('kitchen', 'bar', 'dessert') or the counter's.
CREATE TABLE printers_rebuilt (
    id            TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    station       TEXT    NOT NULL CHECK (station IN ('kitchen', 'bar', 'dessert', 'counter')),
    connection    TEXT    NOT NULL CHECK (connection IN ('tcp', 'device')),
    address       TEXT    NOT NULL,
    paper_mm      INTEGER NOT NULL CHECK (paper_mm IN (58, 80)),
    code_page     TEXT    NOT NULL CHECK (code_page IN ('pc858', 'pc850', 'wpc1252')),
    last_ok_at    TEXT,
    last_error    TEXT,
    last_error_at TEXT,
    created_at    TEXT    NOT NULL,
    deleted_at    TEXT,
    paper         TEXT    CHECK (paper IN ('ok', 'low', 'out'))
) STRICT;
INSERT INTO printers_rebuilt
    (id, name, station, connection, address, paper_mm, code_page, last_ok_at, last_error,
     last_error_at, created_at, deleted_at, paper)
SELECT id, name, station, connection, address, paper_mm, code_page, last_ok_at, last_error,
       last_error_at, created_at, deleted_at, paper
FROM printers;
DROP TABLE printers;
ALTER TABLE printers_rebuilt RENAME TO printers;
CREATE UNIQUE INDEX printers_station ON printers (station) WHERE deleted_at IS NULL;

-- Refuse to commit a database whose foreign keys no longer hold: the CHECK below fails the
-- insert (and so this migration) when the check finds any row pointing at nothing.
CREATE TEMP TABLE dessert_station_fk_guard (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO dessert_station_fk_guard SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE dessert_station_fk_guard;

COMMIT;

PRAGMA foreign_keys = ON;
