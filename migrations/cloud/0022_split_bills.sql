-- Split bills ("cuenta separada", issue 16): the bill of its tab a payment paid and that
-- bill's lines (a JSON array of line ids). Synced fields of
-- `dysa_domain::sync::rows::Payment`, projected by name (projection::generic_fields).
ALTER TABLE payments ADD COLUMN bill integer CHECK (bill BETWEEN 1 AND 99);
ALTER TABLE payments ADD COLUMN bill_lines jsonb;
