-- SMS by Twilio and diners' opt-outs (issue 18, Builds 4 and 5).
--
-- The tenant's Twilio account: the Account SID (not a secret: it names the account in
-- every URL) and the Auth Token sealed with the cloud's `credentials_key` like Mercado
-- Pago's (XChaCha20-Poly1305, tenant id and field name as associated data). The token
-- both authenticates the Messages API and keys `X-Twilio-Signature`; no route answers it.
CREATE TABLE twilio_accounts (
    tenant_id              uuid        PRIMARY KEY REFERENCES tenants (id),
    account_sid            text        NOT NULL CHECK (account_sid ~ '^AC[0-9a-fA-F]{32}$'),
    auth_token             bytea       NOT NULL,
    from_number            text        CHECK (from_number ~ '^\+[1-9][0-9]{6,14}$'),
    messaging_service_sid  text        CHECK (messaging_service_sid ~ '^MG[0-9a-fA-F]{32}$'),
    linked_by              uuid,
    linked_at              timestamptz NOT NULL DEFAULT now(),
    CHECK (from_number IS NOT NULL OR messaging_service_sid IS NOT NULL)
);
ALTER TABLE twilio_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE twilio_accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON twilio_accounts
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- Every SMS the cloud sends, durable like the mail and WhatsApp outboxes: written in the
-- transaction of what it tells about, sent by a worker with back-off, never twice
-- (`dedupe_key` unique; claimed `sending` and committed before it leaves; one still
-- `sending` after its lease becomes `uncertain`). The diner's number is customer data:
-- sealed under the tenant's data key (row id as associated data), with its keyed hash
-- for the opt-out check. `suppressed`: the diner had opted out when it was due.
-- `provider_status` is Twilio's, moved only forward by the status callback.
CREATE TABLE sms_outbox (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    id              uuid        NOT NULL,
    phone           bytea       NOT NULL,
    phone_hash      bytea       NOT NULL,
    dedupe_key      text        NOT NULL CHECK (char_length(dedupe_key) BETWEEN 1 AND 300),
    lang            text        NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
    body            text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 1600),
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain',
                                      'suppressed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_until   timestamptz,
    last_error      text        CHECK (char_length(last_error) <= 1000),
    message_sid     text,
    provider_status text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, dedupe_key)
);
CREATE UNIQUE INDEX sms_outbox_message_sid ON sms_outbox (tenant_id, message_sid)
    WHERE message_sid IS NOT NULL;
CREATE INDEX sms_outbox_due ON sms_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX sms_outbox_sending ON sms_outbox (claimed_until) WHERE status = 'sending';
ALTER TABLE sms_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE sms_outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sms_outbox
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- Each status callback Twilio made, once per (message, status): a replayed callback
-- inserts nothing, so it is recorded once.
CREATE TABLE sms_status_events (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    message_sid  text        NOT NULL CHECK (char_length(message_sid) BETWEEN 2 AND 64),
    status       text        NOT NULL CHECK (char_length(status) BETWEEN 1 AND 32),
    error_code   integer,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, message_sid, status)
);
ALTER TABLE sms_status_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE sms_status_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sms_status_events
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- Diners who asked not to be written to (Ley 19.628): a phone or an email, only as the
-- tenant's keyed hash (pii::TenantKeys::lookup_hash), never the number or address itself.
-- Every sender of diner messages looks here before a message leaves.
CREATE TABLE diner_opt_outs (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    kind         text        NOT NULL CHECK (kind IN ('phone', 'email')),
    hash         bytea       NOT NULL,
    source       text        NOT NULL CHECK (source IN ('sms', 'whatsapp', 'email_link')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kind, hash)
);
ALTER TABLE diner_opt_outs ENABLE ROW LEVEL SECURITY;
ALTER TABLE diner_opt_outs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON diner_opt_outs
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- Twilio's webhooks name the tenant in their URL: this narrow lookup answers whether that
-- tenant is active and has linked Twilio, nothing else, to the service role (which then
-- reads the account under RLS).
CREATE FUNCTION twilio_account_tenant(p_tenant uuid)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT a.tenant_id FROM twilio_accounts a
    JOIN tenants t ON t.id = a.tenant_id AND t.status = 'active'
    WHERE a.tenant_id = p_tenant
$$;
REVOKE EXECUTE ON FUNCTION twilio_account_tenant(uuid) FROM PUBLIC;

-- The SMS worker serves every tenant: which tenants have a row due (or a lease run out).
CREATE FUNCTION sms_outbox_tenants(p_now timestamptz)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT o.tenant_id FROM sms_outbox o
    WHERE (o.status = 'pending' AND o.next_attempt_at <= p_now)
       OR (o.status = 'sending' AND o.claimed_until < p_now)
$$;
REVOKE EXECUTE ON FUNCTION sms_outbox_tenants(timestamptz) FROM PUBLIC;
