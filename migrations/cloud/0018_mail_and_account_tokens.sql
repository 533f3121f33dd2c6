-- Reaching people (issue 18): the outbox of emails, what the mail provider told us about
-- addresses, and the one-time links of accounts (password reset, email verification).

-- Every email the cloud sends goes through this table first, written in the same
-- transaction as the thing it tells about; a worker sends it (sync-server/src/mail).
-- Not tenant data: mails to owners are the platform's doing, and a reset request starts
-- before any tenant is known. `dedupe_key` makes each message exist once per purpose.
CREATE TABLE mail_outbox (
    id              uuid        PRIMARY KEY,
    dedupe_key      text        NOT NULL UNIQUE,
    purpose         text        NOT NULL,
    to_address      text        NOT NULL,
    lang            text        NOT NULL CHECK (lang IN ('es', 'en')),
    -- What the template needs (a link, a name). Cleared once the mail is settled, so a
    -- copy of the table holds no live reset link.
    params          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- pending: waiting (maybe after a failed try); sending: handed to a transport, not
    -- yet marked; sent; failed: gave up (permanent refusal or out of tries); suppressed:
    -- the address bounced or complained; uncertain: a worker died between handing it
    -- over and marking it, and it is never handed over again (docs/SECURITY.md).
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'suppressed', 'uncertain')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_until   timestamptz,
    transport       text,
    provider_id     text,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX mail_outbox_to ON mail_outbox (to_address, created_at DESC);

-- Addresses the provider reported as bouncing, dropped or complaining (SendGrid's event
-- webhook): the outbox stops mailing them.
CREATE TABLE mail_address_events (
    address    text        NOT NULL,
    event      text        NOT NULL CHECK (event IN ('bounce', 'dropped', 'spamreport')),
    reason     text,
    -- The provider's event id: a redelivered webhook records nothing twice.
    event_id   text        NOT NULL UNIQUE,
    outbox_id  uuid,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_address_events_address ON mail_address_events (address);

-- Email verification of an account: set when its link is followed.
ALTER TABLE accounts ADD COLUMN email_verified_at timestamptz;

-- One-time links of an account, kept only as SHA-256 of the secret. Tenant data (RLS),
-- found before the tenant is known through tenant_of_account_token.
CREATE TABLE account_tokens (
    token_hash text        PRIMARY KEY,
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    account_id uuid        NOT NULL REFERENCES accounts (id),
    purpose    text        NOT NULL CHECK (purpose IN ('password_reset', 'verify_email')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX account_tokens_account ON account_tokens (account_id, purpose, created_at DESC);
ALTER TABLE account_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON account_tokens
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

CREATE FUNCTION tenant_of_account_token(p_hash text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT tenant_id FROM account_tokens WHERE token_hash = p_hash
$$;
REVOKE EXECUTE ON FUNCTION tenant_of_account_token(text) FROM PUBLIC;
