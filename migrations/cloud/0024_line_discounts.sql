-- A discount on one order line (`OrderLine.discount`: `{percent?, amount, reason}`), as the
-- counter gave it; NULL when the line has none. Owners read it in the order's detail and
-- reports; the order's own `discount` already counts it.
ALTER TABLE order_lines ADD COLUMN discount jsonb;
