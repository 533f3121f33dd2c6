-- Issue 16: the split plan syncs. Which bill of its tab a line is on becomes a synced field
-- of the line (`OrderLine.bill`, NULL: bill 1, the tab's own), so a second counter that
-- pulls the tab shows the same bills. It replaces the local `tab_bill_lines` of 0017,
-- whose rows move onto their lines here. A plan moved here is not pushed by itself (no
-- outbox row): it reaches the cloud with the line's next write (a re-split, a void); only
-- tabs open during the upgrade can hold one.
ALTER TABLE order_lines ADD COLUMN bill INTEGER CHECK (bill BETWEEN 1 AND 99);

UPDATE order_lines
SET bill = (SELECT t.bill FROM tab_bill_lines t WHERE t.line_id = order_lines.id)
WHERE id IN (SELECT line_id FROM tab_bill_lines WHERE bill > 1);

DROP TABLE tab_bill_lines;

-- The line of another tab a merged line is the copy of (`OrderLine.moved_from`), synced so
-- every counter finds two copies of one line made by two counters merging the same tab
-- offline (docs/SYNC.md, "Tabs").
ALTER TABLE order_lines ADD COLUMN moved_from TEXT;
