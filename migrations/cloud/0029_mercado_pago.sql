-- Diners pay online with Mercado Pago (issue 19, Build 1).

-- The tenant's linked Mercado Pago account: its access token and its webhook secret,
-- sealed with the cloud's `credentials_key` (XChaCha20-Poly1305, the tenant id as
-- associated data), so a copy of the database alone lets nobody charge or refund on the
-- restaurant's account. No route ever answers them (docs/SECURITY.md).
CREATE TABLE mercado_pago_accounts (
    tenant_id       uuid        PRIMARY KEY REFERENCES tenants (id),
    access_token    bytea       NOT NULL,
    webhook_secret  bytea       NOT NULL,
    linked_by       uuid,
    linked_at       timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE mercado_pago_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE mercado_pago_accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON mercado_pago_accounts
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- One widget order the diner chose to pay online: its Checkout Pro preference, then the
-- approved payment (at most one per order, and a Mercado Pago payment pays at most one
-- order), then the refund when the restaurant rejects the order. The ledger rows the
-- counter sees are `payments` rows (method `mercado_pago`) pushed by the cloud; this
-- table remembers which provider ids they stand for, so a replayed notification or a
-- second rejection writes nothing again.
CREATE TABLE online_payments (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    order_id        uuid        NOT NULL,
    location_id     uuid        NOT NULL,
    amount          bigint      NOT NULL CHECK (amount > 0),
    preference_id   text,
    checkout_url    text,
    provider_payment_id text,
    payment_row_id  uuid,
    paid_at         timestamptz,
    refund_id       text,
    refund_row_id   uuid,
    refunded_at     timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, order_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    CHECK ((provider_payment_id IS NULL) = (paid_at IS NULL)),
    CHECK (refunded_at IS NULL OR paid_at IS NOT NULL)
);
CREATE UNIQUE INDEX online_payments_provider_payment
    ON online_payments (tenant_id, provider_payment_id) WHERE provider_payment_id IS NOT NULL;
-- Paid and not refunded: what the refund check after each push looks through.
CREATE INDEX online_payments_refundable
    ON online_payments (tenant_id) WHERE paid_at IS NOT NULL AND refunded_at IS NULL;
ALTER TABLE online_payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE online_payments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON online_payments
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
