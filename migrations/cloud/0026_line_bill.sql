-- Split bills and merged tables (issue 16), two synced fields of an order line, projected
-- by the line statement: the bill of its split tab it is on (`OrderLine.bill`, NULL: bill
-- 1, the tab's own), so owners and every counter see the same bills; and the line of
-- another tab it is the copy of when tables were merged (`OrderLine.moved_from`).
ALTER TABLE order_lines ADD COLUMN bill integer CHECK (bill BETWEEN 1 AND 99);
ALTER TABLE order_lines ADD COLUMN moved_from uuid;
