-- How long a menu item takes to prepare (1 to 600 minutes; NULL = unknown). A synced
-- field of `dysa_domain::sync::rows::Item`, projected by name (store/sync/projection.rs,
-- generic fields).
ALTER TABLE menu_items ADD COLUMN prep_minutes integer CHECK (prep_minutes BETWEEN 1 AND 600);
