-- Issue 21/18 (polish): a discount on one order line, nested in the synced line
-- (`dysa_domain::order::LineDiscount` as JSON; NULL: none). The cloud keeps it inside the
-- line's row document, so no cloud column is needed.
ALTER TABLE order_lines ADD COLUMN discount TEXT CHECK (discount IS NULL OR json_valid(discount));

-- The sole admin's recovery code (issue 18, Build 2): only its hash, one per counter
-- (the row with id 1), replaced whenever a new code is issued (at setup, by an admin, or
-- after it was used). Local and never synced: it opens this counter only.
CREATE TABLE recovery_code (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    code_hash TEXT    NOT NULL,
    issued_at TEXT    NOT NULL
) STRICT;
