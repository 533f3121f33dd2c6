-- Customer data protected at rest (issue 20, Build 6; docs/SECURITY.md, "Customer data at
-- rest").
--
-- Each tenant gets a random 256-bit data key, kept here only sealed by the cloud's master
-- key (`data_key`, from the environment or a key file, never in the database). The
-- diners' and customers' phone, email, RUT and notes, and the notes of reservations and
-- orders (a widget order's note carries the diner's name, phone, email and address), are
-- stored sealed with the tenant's key in `sync_rows.row` and in the typed projections
-- (`pii1.` + base64 of nonce ‖ XChaCha20-Poly1305 ciphertext, the tenant, entity, field
-- and row id as associated data). SQL cannot encrypt: rows written before this migration
-- are sealed by the binary at start, in batches (`pii::backfill`), and their plaintext is
-- gone once rewritten.

CREATE TABLE tenant_data_keys (
    tenant_id     uuid        PRIMARY KEY REFERENCES tenants (id),
    -- Which master key sealed `sealed_key` (its fingerprint): a rotated master key
    -- re-seals every tenant key whose id is the previous one's.
    master_key_id text        NOT NULL,
    sealed_key    bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    resealed_at   timestamptz
);
ALTER TABLE tenant_data_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_data_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_data_keys
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- Lookups without plaintext: HMAC-SHA256 under a key derived from the tenant's data key,
-- of the normalised phone (+569…) and of the lower-cased email.
ALTER TABLE customers ADD COLUMN phone_hash bytea, ADD COLUMN email_hash bytea;
CREATE INDEX customers_phone_hash ON customers (tenant_id, phone_hash) WHERE phone_hash IS NOT NULL;
CREATE INDEX customers_email_hash ON customers (tenant_id, email_hash) WHERE email_hash IS NOT NULL;
ALTER TABLE reservations ADD COLUMN phone_hash bytea;
CREATE INDEX reservations_phone_hash ON reservations (tenant_id, phone_hash)
    WHERE phone_hash IS NOT NULL;

-- Every tenant's id, for the start-up pass that seals rows written before this
-- migration (the service role sees no tenant rows outside a tenant transaction).
CREATE FUNCTION pii_tenants() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT id FROM tenants ORDER BY id
$$;
