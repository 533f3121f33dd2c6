-- The service floor (issue 16).
--
-- A table's cell on its area's floor plan (0 to 49 across and down; NULL = not placed
-- yet). Synced fields of `dysa_domain::sync::rows::Table`, projected by name
-- (store/sync/projection.rs, generic fields).
ALTER TABLE dining_tables ADD COLUMN grid_x integer CHECK (grid_x BETWEEN 0 AND 49);
ALTER TABLE dining_tables ADD COLUMN grid_y integer CHECK (grid_y BETWEEN 0 AND 49);

-- "Por limpiar": a tab closed on the table and staff have not marked it clean yet.
-- Nullable on purpose: the projection writes the fields a row carries by name, and a
-- counter from before the floor pushes tables without it (NULL reads as false); a NOT
-- NULL column would make every such table fail to project and vanish from bookings.
ALTER TABLE dining_tables ADD COLUMN needs_cleaning boolean;

-- A table's tab: covers, the waiter serving it and when it asked for the bill. Synced
-- fields of `dysa_domain::sync::rows::Order`, projected by name.
ALTER TABLE orders ADD COLUMN covers integer CHECK (covers BETWEEN 1 AND 99);
ALTER TABLE orders ADD COLUMN waiter_id uuid;
ALTER TABLE orders ADD COLUMN bill_requested_at timestamptz;
