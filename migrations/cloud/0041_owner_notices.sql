-- What the cloud tells owners by itself (issue 18, Build 5): the weekly summary and the
-- alerts, each on the channel the owner chose. One row per account; an account without a
-- row gets the defaults (email for both, in Spanish).
CREATE TABLE owner_notice_prefs (
    tenant_id      uuid        NOT NULL REFERENCES tenants (id),
    account_id     uuid        NOT NULL REFERENCES accounts (id),
    weekly_summary text        NOT NULL DEFAULT 'email'
                               CHECK (weekly_summary IN ('email', 'whatsapp', 'off')),
    alerts         text        NOT NULL DEFAULT 'email'
                               CHECK (alerts IN ('email', 'whatsapp', 'off')),
    whatsapp_to    text,
    lang           text        NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, account_id)
);
ALTER TABLE owner_notice_prefs ENABLE ROW LEVEL SECURITY;
ALTER TABLE owner_notice_prefs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON owner_notice_prefs
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The periodic job's one question across tenants: which are active. Ids only; each
-- tenant's summary is then built inside its own row-level security scope (see 0002).
CREATE FUNCTION active_tenants() RETURNS TABLE (tenant_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT id FROM tenants WHERE status = 'active'
$$;
REVOKE EXECUTE ON FUNCTION active_tenants() FROM PUBLIC;
