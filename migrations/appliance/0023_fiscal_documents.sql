-- Boletas, facturas and credit notes asked of the fiscal provider (Bsale), one row per
-- payment or refund, kept on the counter that took the money. Local: the provider is the
-- record of what was issued; other counters and the cloud see the folio on the order's
-- receipt, not this queue.
--
-- `seq` is the order documents are sent in: a batch queued while the link was down goes
-- out oldest first, and a credit note always after the document it corrects.
CREATE TABLE fiscal_documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    order_id TEXT NOT NULL,
    payment_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('boleta', 'factura', 'credit_note')),
    -- The document a credit note corrects.
    corrects TEXT REFERENCES fiscal_documents (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'issued', 'rejected')),
    -- IVA included, pesos; what the document is for (the tip is not part of the sale).
    total INTEGER NOT NULL,
    net INTEGER NOT NULL,
    -- Our own reference, sent with the document and looked up before any retry, so a
    -- time-out then a retry never makes two documents.
    reference TEXT NOT NULL UNIQUE,
    order_label TEXT NOT NULL,
    receptor_rut TEXT,
    receptor_name TEXT,
    receptor_activity TEXT,
    receptor_address TEXT,
    receptor_municipality TEXT,
    reason TEXT,
    -- What the provider answered.
    provider_id INTEGER,
    folio INTEGER,
    ted TEXT,
    url_timbre TEXT,
    url_public_view TEXT,
    url_pdf TEXT,
    informed_sii INTEGER,
    sii_message TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- The last refusal or failure, in both languages, for the staff.
    error_es TEXT,
    error_en TEXT,
    created_at TEXT NOT NULL,
    issued_at TEXT
);
CREATE INDEX fiscal_documents_status ON fiscal_documents (status, seq);
CREATE INDEX fiscal_documents_order ON fiscal_documents (order_id);
