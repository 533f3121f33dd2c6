-- Split bills ("cuenta separada") and paying chosen lines ("cobro parcial"), issue 16.
--
-- Which bill of its tab each line is on, while the tab is split (a line without a row
-- here is on bill 1, the tab's own). The line is the primary key: a line is on one bill.
-- Local to this appliance, like the kitchen tickets: the tab's waiters and counter are on
-- its LAN. What was paid for which lines syncs with the payments below.
CREATE TABLE tab_bill_lines (
    line_id  TEXT    PRIMARY KEY REFERENCES order_lines (id),
    order_id TEXT    NOT NULL REFERENCES orders (id),
    bill     INTEGER NOT NULL CHECK (bill BETWEEN 1 AND 99)
) STRICT;
CREATE INDEX tab_bill_lines_order ON tab_bill_lines (order_id);

-- The bill a payment paid and that bill's lines when it was paid. Synced fields of
-- `dysa_domain::sync::rows::Payment`, written by store/orders.rs and sync/apply.rs.
ALTER TABLE payments ADD COLUMN bill INTEGER CHECK (bill BETWEEN 1 AND 99);
ALTER TABLE payments ADD COLUMN bill_lines TEXT;
