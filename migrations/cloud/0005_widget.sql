-- The diners' widget: which restaurants are online right now (presence), each tenant's
-- widget settings, the answers given to public requests with an Idempotency-Key, the
-- hashed status tokens of widget orders, and the one narrow lookup that turns a public
-- slug into a tenant.

-- One row per open live stream (`GET /sync/live`) of a device: marked when the stream
-- opens, refreshed while it stays open, deleted when it closes. A row whose instance
-- crashed is never deleted, so readers only count rows seen recently (presence.rs
-- decides how recent); keyed by stream, so two streams of one device never clear each
-- other.
CREATE TABLE live_presence (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    stream_id   uuid        NOT NULL,
    location_id uuid        NOT NULL,
    device_id   uuid        NOT NULL REFERENCES devices (id),
    seen_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, stream_id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX live_presence_location ON live_presence (tenant_id, location_id, seen_at);

-- The owners' widget settings, one document per tenant (validated by the service;
-- absent means the defaults of widget_settings.rs).
CREATE TABLE widget_settings (
    tenant_id  uuid        PRIMARY KEY REFERENCES tenants (id),
    settings   jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid        REFERENCES accounts (id)
);

-- The first successful answer to a public request with an Idempotency-Key, by scope
-- (`orders`, `reservations`): a retry with the same key and the same body gets it again
-- and creates nothing; the same key with another body is a conflict.
CREATE TABLE public_requests (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    scope        text        NOT NULL,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    resource_id  uuid        NOT NULL,
    response     jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, scope, key)
);

-- Status tokens of widget orders (SHA-256 of the random token; the token itself is only
-- ever in the diner's hands). An order may have several (a replayed request gets a new
-- one; every token given out keeps working).
CREATE TABLE widget_order_tokens (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    token_hash text        NOT NULL,
    order_id   uuid        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, token_hash)
);
CREATE INDEX widget_order_tokens_order ON widget_order_tokens (tenant_id, order_id);

ALTER TABLE live_presence ENABLE ROW LEVEL SECURITY;
ALTER TABLE live_presence FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON live_presence
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE widget_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE widget_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON widget_settings
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE public_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE public_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON public_requests
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE widget_order_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE widget_order_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON widget_order_tokens
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The public face of a restaurant for its slug: tenant, name, status, and one location
-- (`p_location` when it is one of the tenant's, else the tenant's first). Public
-- requests know only the slug; this answers exactly what the widget shows anyway and
-- nothing else, so the service role still never reads across tenants. The caller then
-- opens a transaction with app.tenant_id set to the answered tenant, as every request
-- does. No row: unknown slug (or a location that is not the tenant's).
CREATE FUNCTION public_restaurant(p_slug text, p_location uuid)
RETURNS TABLE (tenant_id uuid, name text, status text, location_id uuid,
               location_name text, time_zone text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT t.id, t.name, t.status, l.id, l.name, l.time_zone
    FROM tenants t
    JOIN LATERAL (
        SELECT loc.id, loc.name, loc.time_zone FROM locations loc
        WHERE loc.tenant_id = t.id AND (p_location IS NULL OR loc.id = p_location)
        ORDER BY loc.created_at, loc.id
        LIMIT 1
    ) l ON true
    WHERE t.slug = p_slug
$$;
REVOKE EXECUTE ON FUNCTION public_restaurant(text, uuid) FROM PUBLIC;
