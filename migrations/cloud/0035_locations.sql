-- Several locations per business (issue 19, Build 3): a location gets a slug (its path in
-- the widget and the hosted page), an address and a soft close; dashboard accounts can be
-- limited to some locations, and the database enforces that limit the way it enforces the
-- tenant: a restrictive policy on every table with a location_id.

ALTER TABLE locations
    ADD COLUMN slug      text,
    ADD COLUMN address   text,
    ADD COLUMN closed_at timestamptz;

-- Existing locations get a slug from their name ("Café Ñuñoa" → "cafe-nunoa"), numbered
-- when two of one tenant would collide, "local" when nothing of the name is left.
WITH base AS (
    SELECT id, tenant_id, created_at,
           coalesce(nullif(left(trim(BOTH '-' FROM regexp_replace(
               translate(lower(name), 'áàäâéèëêíìïîóòöôúùüûñç', 'aaaaeeeeiiiioooouuuunc'),
               '[^a-z0-9]+', '-', 'g')), 30), ''), 'local') AS stem
    FROM locations
), numbered AS (
    SELECT id, stem,
           row_number() OVER (PARTITION BY tenant_id, stem ORDER BY created_at, id) AS n
    FROM base
)
UPDATE locations l
SET slug = trim(BOTH '-' FROM numbered.stem) || CASE WHEN numbered.n = 1 THEN '' ELSE '-' || numbered.n END
FROM numbered
WHERE numbered.id = l.id;

ALTER TABLE locations
    ALTER COLUMN slug SET NOT NULL,
    ADD CONSTRAINT locations_slug_shape CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'),
    ADD CONSTRAINT locations_tenant_slug UNIQUE (tenant_id, slug),
    ADD CONSTRAINT locations_name_length CHECK (char_length(name) BETWEEN 1 AND 80),
    ADD CONSTRAINT locations_address_length CHECK (address IS NULL OR char_length(address) <= 200);

-- The locations an account is limited to. No row for an account: it sees every location
-- (owners always do). Rows are kept for closed locations (a reopened one is seen again).
CREATE TABLE account_locations (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    account_id  uuid NOT NULL REFERENCES accounts (id),
    location_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, account_id, location_id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX account_locations_account ON account_locations (account_id);
ALTER TABLE account_locations ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_locations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON account_locations
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The locations this transaction may see, or NULL for all of them: set (local to the
-- transaction) by requests of an account limited to some locations, never by devices,
-- sign-in or background work.
CREATE FUNCTION app_locations() RETURNS uuid[]
LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.location_ids', true), '')::uuid[]
$$;

-- Every table holding location_id gets the same restrictive policy (ANDed with the
-- tenant's): outside the account's locations a row does not exist, for reads and writes.
-- Rows with no location (tenant-wide settings of sync) stay visible. A test checks from
-- the catalog that no table with location_id lacks it, so a later table cannot forget.
DO $$
DECLARE t text;
BEGIN
    FOR t IN
        SELECT c.table_name FROM information_schema.columns c
        JOIN information_schema.tables tb
          ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
        WHERE c.table_schema = 'public' AND c.column_name = 'location_id'
          AND tb.table_type = 'BASE TABLE'
    LOOP
        EXECUTE format(
            'CREATE POLICY location_scope ON %I AS RESTRICTIVE
                 USING (app_locations() IS NULL OR location_id IS NULL
                        OR location_id = ANY (app_locations()))', t);
    END LOOP;
END
$$;
CREATE POLICY location_scope ON locations AS RESTRICTIVE
    USING (app_locations() IS NULL OR id = ANY (app_locations()));

-- The public face of a restaurant now says whether the location is closed, and finds a
-- location by its slug too; without one it serves the first open location.
DROP FUNCTION public_restaurant(text, uuid);
CREATE FUNCTION public_restaurant(p_slug text, p_location uuid, p_location_slug text DEFAULT NULL)
RETURNS TABLE (tenant_id uuid, name text, status text, location_id uuid,
               location_name text, time_zone text, location_slug text, closed boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT t.id, t.name, t.status, l.id, l.name, l.time_zone, l.slug, l.closed_at IS NOT NULL
    FROM tenants t
    JOIN LATERAL (
        SELECT loc.id, loc.name, loc.time_zone, loc.slug, loc.closed_at FROM locations loc
        WHERE loc.tenant_id = t.id
          AND (p_location IS NULL OR loc.id = p_location)
          AND (p_location_slug IS NULL OR loc.slug = p_location_slug)
        ORDER BY loc.closed_at IS NOT NULL, loc.created_at, loc.id
        LIMIT 1
    ) l ON true
    WHERE t.slug = p_slug
$$;
REVOKE EXECUTE ON FUNCTION public_restaurant(text, uuid, text) FROM PUBLIC;
