-- How long a menu item takes to prepare (1 to 600 minutes; NULL = unknown), for the
-- kitchen screen. A synced field of `dysa_domain::sync::rows::Item`: the store writes,
-- reads and applies it by name.
ALTER TABLE menu_items ADD COLUMN prep_minutes INTEGER CHECK (prep_minutes BETWEEN 1 AND 600);
