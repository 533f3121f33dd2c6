-- Plans and billing (issue 19, Build 2): each tenant's subscription to its plan through
-- Mercado Pago's subscriptions (preapproval) API, charged on the platform's own account,
-- and the charges Mercado Pago made for it (its "authorized payments").

-- The tenant's subscription: the preapproval made at `/checkout/payment`, its plan and
-- monthly amount, what Mercado Pago last said of it (`pending`, `authorized`, `paused`,
-- `cancelled`), the trial's end and the next charge, and since when a charge has failed
-- (NULL: nothing owed). The standing the dashboard and the gate use is derived from these
-- facts (`billing::standing`): 7 days of grace after a failed charge, then read-only
-- until a charge succeeds.
CREATE TABLE subscriptions (
    tenant_id        uuid        PRIMARY KEY REFERENCES tenants (id),
    preapproval_id   text        NOT NULL UNIQUE,
    plan             text        NOT NULL CHECK (plan IN ('basic', 'pro', 'enterprise')),
    amount           bigint      NOT NULL CHECK (amount > 0),
    provider_status  text        NOT NULL
        CHECK (provider_status IN ('pending', 'authorized', 'paused', 'cancelled')),
    checkout_url     text,
    trial_ends_at    timestamptz,
    next_payment_at  timestamptz,
    past_due_since   timestamptz,
    cancelled_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON subscriptions
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- One charge of the subscription (an authorized payment), keyed by Mercado Pago's id: a
-- replayed notification, or the same charge retried by Mercado Pago, updates its one row.
CREATE TABLE subscription_invoices (
    tenant_id              uuid        NOT NULL REFERENCES tenants (id),
    authorized_payment_id  text        NOT NULL,
    preapproval_id         text        NOT NULL,
    amount                 bigint      NOT NULL CHECK (amount >= 0),
    status                 text        NOT NULL CHECK (status IN ('paid', 'failed', 'pending')),
    provider_status        text        NOT NULL,
    payment_id             text,
    charged_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, authorized_payment_id)
);
CREATE INDEX subscription_invoices_recent ON subscription_invoices (tenant_id, charged_at DESC);
ALTER TABLE subscription_invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscription_invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON subscription_invoices
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
