-- The course a line is served in and the seat it is for (issue 16, courses and firing):
-- fields of the line nested in `dysa_domain::sync::rows::OrderLineRow`, projected by
-- `order_line_sql!` in store/sync/projection.rs. NULL: no course (served with the order)
-- or no seat given.
ALTER TABLE order_lines ADD COLUMN course text;
ALTER TABLE order_lines ADD COLUMN seat integer;
