-- The service floor (issue 16).
--
-- A table's cell on its area's floor plan (0 to 49 across and down; NULL = not placed
-- yet), placed by drag and drop in the panel. Synced fields of
-- `dysa_domain::sync::rows::Table`: the store writes, reads and applies them by name.
ALTER TABLE dining_tables ADD COLUMN grid_x INTEGER CHECK (grid_x BETWEEN 0 AND 49);
ALTER TABLE dining_tables ADD COLUMN grid_y INTEGER CHECK (grid_y BETWEEN 0 AND 49);

-- "Por limpiar": a tab closed on the table and staff have not marked it clean yet. A
-- synced field of the table, like the cell.
ALTER TABLE dining_tables ADD COLUMN needs_cleaning INTEGER NOT NULL DEFAULT 0
    CHECK (needs_cleaning IN (0, 1));

-- A table's tab: how many people sit at it, the waiter serving it and when it asked for
-- the bill ("pidió la cuenta"). Synced fields of `dysa_domain::sync::rows::Order`.
ALTER TABLE orders ADD COLUMN covers INTEGER CHECK (covers BETWEEN 1 AND 99);
ALTER TABLE orders ADD COLUMN waiter_id TEXT;
ALTER TABLE orders ADD COLUMN bill_requested_at TEXT;
