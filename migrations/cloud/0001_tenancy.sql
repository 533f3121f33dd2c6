-- The cloud service's schema: tenants and their locations, owner accounts and sessions,
-- devices and enrolment codes, leads, and the tables sync fills.
--
-- Isolation lives in the database: every table with a tenant_id has row-level security
-- ENABLEd and FORCEd, with a policy comparing tenant_id to the transaction's
-- `app.tenant_id` (set with set_config(..., true)). With no tenant set,
-- current_setting('app.tenant_id', true) is NULL or '' and no row matches.
-- The service role (created by the service at start, not here) owns nothing and has
-- NOBYPASSRLS. The test suite checks these facts from the catalog.

-- The current tenant of this transaction, or NULL.
CREATE FUNCTION app_tenant() RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid
$$;

CREATE TABLE tenants (
    id         uuid        PRIMARY KEY,
    slug       text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$'),
    name       text        NOT NULL,
    plan       text        NOT NULL CHECK (plan IN ('basic', 'pro', 'enterprise')),
    status     text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE locations (
    id         uuid        PRIMARY KEY,
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    name       text        NOT NULL,
    time_zone  text        NOT NULL DEFAULT 'America/Santiago',
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, id)
);

-- People of a restaurant business who use the cloud dashboard. super_admin (the platform
-- operator) has no tenant; the service role never sees those rows.
CREATE TABLE accounts (
    id            uuid        PRIMARY KEY,
    tenant_id     uuid        REFERENCES tenants (id),
    name          text        NOT NULL,
    email         text        NOT NULL UNIQUE,
    role          text        NOT NULL CHECK (role IN ('owner', 'manager', 'viewer', 'super_admin')),
    password_hash text        NOT NULL,
    active        boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'super_admin') = (tenant_id IS NULL))
);
CREATE INDEX accounts_tenant ON accounts (tenant_id);

CREATE TABLE sessions (
    family_id      uuid        PRIMARY KEY,
    tenant_id      uuid        NOT NULL REFERENCES tenants (id),
    account_id     uuid        NOT NULL REFERENCES accounts (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz,
    revoked_reason text
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE refresh_tokens (
    token_hash text        PRIMARY KEY,
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    family_id  uuid        NOT NULL REFERENCES sessions (family_id),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Failed sign-ins per scope (account email, client address), for the lockout. Not
-- tenant data: the scope is known before any tenant is.
CREATE TABLE auth_failures (
    id    bigserial   PRIMARY KEY,
    scope text        NOT NULL,
    at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_failures_scope ON auth_failures (scope, at);

CREATE TABLE devices (
    id           uuid        PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    location_id  uuid        NOT NULL,
    name         text        NOT NULL,
    token_hash   text        NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    last_sync_at timestamptz,
    revoked_at   timestamptz,
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX devices_tenant ON devices (tenant_id, location_id);

CREATE TABLE enrollment_codes (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    code_hash   text        NOT NULL UNIQUE,
    created_by  uuid        REFERENCES accounts (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    used_by     uuid        REFERENCES devices (id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);

-- Demo requests from the public website. Not tenant data; the service may only insert.
CREATE TABLE leads (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL,
    restaurant text        NOT NULL,
    email      text        NOT NULL,
    phone      text,
    message    text,
    client     text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Which tenant a secret belongs to. Sign-in, refresh, enrolment and device
-- authentication start before the tenant is known; these functions run as their owner
-- and answer only the tenant id for an exact match, so the service role never needs a
-- view across tenants.
CREATE FUNCTION tenant_of_login(p_email text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT tenant_id FROM accounts WHERE email = p_email AND tenant_id IS NOT NULL
$$;
CREATE FUNCTION tenant_of_refresh_token(p_hash text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT tenant_id FROM refresh_tokens WHERE token_hash = p_hash
$$;
CREATE FUNCTION tenant_of_enrollment_code(p_hash text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT tenant_id FROM enrollment_codes WHERE code_hash = p_hash
$$;
CREATE FUNCTION tenant_of_device_token(p_hash text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT tenant_id FROM devices WHERE token_hash = p_hash
$$;
REVOKE EXECUTE ON FUNCTION tenant_of_login(text), tenant_of_refresh_token(text),
    tenant_of_enrollment_code(text), tenant_of_device_token(text) FROM PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Synced tables: filled by sync from the appliances (and by owners' edits here).
-- Every row carries tenant_id and, where a row belongs to one restaurant, location_id.
-- `hlc` is the change's HLC stamp (text, sorts as time); deletes are tombstones.

CREATE TABLE menu_categories (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    id          uuid        NOT NULL,
    name        text        NOT NULL,
    name_en     text,
    position    integer     NOT NULL DEFAULT 0,
    active      boolean     NOT NULL DEFAULT true,
    hlc         text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);

CREATE TABLE menu_modifier_groups (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    id          uuid        NOT NULL,
    name        text        NOT NULL,
    name_en     text,
    min_choices integer     NOT NULL DEFAULT 0,
    max_choices integer     NOT NULL DEFAULT 1,
    options     jsonb       NOT NULL DEFAULT '[]',
    hlc         text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);

CREATE TABLE menu_items (
    tenant_id          uuid        NOT NULL REFERENCES tenants (id),
    location_id        uuid        NOT NULL,
    id                 uuid        NOT NULL,
    category_id        uuid        NOT NULL,
    name               text        NOT NULL,
    name_en            text,
    description        text,
    price              bigint      NOT NULL CHECK (price >= 0),
    station            text        NOT NULL DEFAULT 'kitchen',
    tags               jsonb       NOT NULL DEFAULT '[]',
    allergens          jsonb       NOT NULL DEFAULT '[]',
    modifier_group_ids jsonb       NOT NULL DEFAULT '[]',
    available          boolean     NOT NULL DEFAULT true,
    position           integer     NOT NULL DEFAULT 0,
    hlc                text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    deleted_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
    FOREIGN KEY (tenant_id, category_id) REFERENCES menu_categories (tenant_id, id)
);

CREATE TABLE customers (
    tenant_id         uuid        NOT NULL REFERENCES tenants (id),
    id                uuid        NOT NULL,
    name              text        NOT NULL,
    phone             text,
    email             text,
    rut               text,
    notes             text,
    marketing_consent boolean     NOT NULL DEFAULT false,
    hlc               text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    deleted_at        timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE dining_tables (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    id          uuid        NOT NULL,
    name        text        NOT NULL,
    seats       integer     NOT NULL,
    area        text,
    position    integer     NOT NULL DEFAULT 0,
    active      boolean     NOT NULL DEFAULT true,
    hlc         text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);

CREATE TABLE orders (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    location_id   uuid        NOT NULL,
    id            uuid        NOT NULL,
    number        integer     NOT NULL,
    business_date date        NOT NULL,
    channel       text        NOT NULL,
    status        text        NOT NULL,
    customer_id   uuid,
    table_id      uuid,
    note          text,
    subtotal      bigint      NOT NULL,
    discount      bigint      NOT NULL DEFAULT 0,
    total         bigint      NOT NULL,
    net           bigint      NOT NULL,
    tax           bigint      NOT NULL,
    tip           bigint      NOT NULL DEFAULT 0,
    amount_due    bigint      NOT NULL,
    cancel_reason text,
    hlc           text        NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX orders_by_date ON orders (tenant_id, business_date, location_id);
CREATE INDEX orders_by_time ON orders (tenant_id, location_id, created_at);

CREATE TABLE order_lines (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    order_id   uuid        NOT NULL,
    position   integer     NOT NULL,
    item_id    uuid        NOT NULL,
    name       text        NOT NULL,
    quantity   integer     NOT NULL,
    unit_price bigint      NOT NULL,
    line_total bigint      NOT NULL,
    modifiers  jsonb       NOT NULL DEFAULT '[]',
    note       text,
    voided_at  timestamptz,
    hlc        text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX order_lines_order ON order_lines (tenant_id, order_id);

CREATE TABLE order_transitions (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    id          uuid        NOT NULL,
    order_id    uuid        NOT NULL,
    from_status text,
    to_status   text        NOT NULL,
    reason      text,
    at          timestamptz NOT NULL,
    hlc         text        NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

CREATE TABLE payments (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    id          uuid        NOT NULL,
    order_id    uuid        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('payment', 'refund')),
    method      text        NOT NULL,
    amount      bigint      NOT NULL,
    tip         bigint      NOT NULL DEFAULT 0,
    hlc         text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

CREATE TABLE reservations (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    location_id   uuid        NOT NULL,
    id            uuid        NOT NULL,
    customer_id   uuid,
    customer_name text        NOT NULL,
    phone         text,
    party_size    integer     NOT NULL,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    table_id      uuid,
    status        text        NOT NULL,
    source        text        NOT NULL DEFAULT 'staff',
    notes         text,
    hlc           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX reservations_by_time ON reservations (tenant_id, starts_at);

CREATE TABLE location_settings (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    key         text        NOT NULL,
    value       jsonb       NOT NULL,
    hlc         text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    PRIMARY KEY (tenant_id, location_id, key),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);

-- Staff accounts of the appliances (names and roles; no secrets leave the restaurant).
CREATE TABLE staff_users (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    id          uuid        NOT NULL,
    name        text        NOT NULL,
    email       text        NOT NULL,
    role        text        NOT NULL,
    active      boolean     NOT NULL DEFAULT true,
    hlc         text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);

-- ---------------------------------------------------------------------------------------
-- Row-level security: ENABLE + FORCE and one policy per tenant table.

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = app_tenant()) WITH CHECK (id = app_tenant());

DO $$
DECLARE
    t text;
BEGIN
    FOR t IN
        SELECT c.relname FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE n.nspname = 'public' AND c.relkind = 'r'
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())',
            t);
    END LOOP;
END
$$;
