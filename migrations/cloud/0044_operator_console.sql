-- The operator's console (issue 19, Build 4): why a tenant is suspended, and the website's
-- leads as a sales pipeline that is forgotten after 12 months.
--
-- Suspension keeps needing no privilege across tenants: the service writes the reason in
-- the tenant's own RLS scope, as it writes the status (0002). The owners read it in their
-- refusal; the platform reads it through platform_tenants.
ALTER TABLE tenants
    ADD COLUMN suspension_reason text CHECK (length(suspension_reason) <= 500),
    ADD COLUMN suspended_at timestamptz;

-- Leads come from /demo or /contacto; the operator moves each along the pipeline
-- (new → contacted → demo → won | lost), writes notes and a follow-up date. The service
-- still may only insert (store::GRANTS): every read and change goes through the
-- platform_* functions below, which answer nothing without an open super_admin session.
ALTER TABLE leads
    ADD COLUMN source text NOT NULL DEFAULT 'demo' CHECK (source IN ('demo', 'contact')),
    ADD COLUMN stage text NOT NULL DEFAULT 'new'
        CHECK (stage IN ('new', 'contacted', 'demo', 'won', 'lost')),
    ADD COLUMN notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    ADD COLUMN follow_up_on date,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX leads_created_at ON leads (created_at);

DROP FUNCTION platform_tenants(uuid, uuid, uuid, integer, integer);
CREATE FUNCTION platform_tenants(p_family uuid, p_account uuid, p_tenant uuid,
                                 p_limit integer, p_offset integer)
RETURNS TABLE (id uuid, slug text, name text, plan text, status text,
               created_at timestamptz, locations bigint, devices bigint,
               last_device_seen_at timestamptz, counters_online bigint,
               last_sync_at timestamptz, suspension_reason text, suspended_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT t.id, t.slug, t.name, t.plan, t.status, t.created_at,
           (SELECT count(*) FROM locations l WHERE l.tenant_id = t.id),
           (SELECT count(*) FROM devices d WHERE d.tenant_id = t.id AND d.revoked_at IS NULL),
           (SELECT max(d.last_seen_at) FROM devices d WHERE d.tenant_id = t.id),
           (SELECT count(*) FROM devices d
            WHERE d.tenant_id = t.id AND d.revoked_at IS NULL
              AND d.last_seen_at > now() - interval '5 minutes'),
           (SELECT max(d.last_sync_at) FROM devices d WHERE d.tenant_id = t.id),
           t.suspension_reason, t.suspended_at
    FROM tenants t
    WHERE platform_session_open(p_family, p_account)
      AND (p_tenant IS NULL OR t.id = p_tenant)
    ORDER BY t.created_at DESC, t.id DESC
    LIMIT p_limit OFFSET p_offset
$$;

DROP FUNCTION platform_leads(uuid, uuid, integer, integer);
-- Leads, newest first; only those at p_stage when it is given. Empty unless
-- (p_family, p_account) is an open super_admin session.
CREATE FUNCTION platform_leads(p_family uuid, p_account uuid, p_stage text,
                               p_limit integer, p_offset integer)
RETURNS TABLE (id uuid, name text, restaurant text, email text, phone text,
               message text, created_at timestamptz, source text, stage text, notes text,
               follow_up_on date, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT l.id, l.name, l.restaurant, l.email, l.phone, l.message, l.created_at,
           l.source, l.stage, l.notes, l.follow_up_on, l.updated_at
    FROM leads l
    WHERE platform_session_open(p_family, p_account)
      AND (p_stage IS NULL OR l.stage = p_stage)
    ORDER BY l.created_at DESC, l.id DESC
    LIMIT p_limit OFFSET p_offset
$$;

-- Moves a lead along the pipeline: its stage, notes and follow-up date; answers it, or
-- nothing when the lead does not exist or the session is not an open super_admin's.
CREATE FUNCTION platform_update_lead(p_family uuid, p_account uuid, p_id uuid,
                                     p_stage text, p_notes text, p_follow_up date)
RETURNS TABLE (id uuid, name text, restaurant text, email text, phone text,
               message text, created_at timestamptz, source text, stage text, notes text,
               follow_up_on date, updated_at timestamptz)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    UPDATE leads l
    SET stage = p_stage, notes = p_notes, follow_up_on = p_follow_up, updated_at = now()
    WHERE l.id = p_id AND platform_session_open(p_family, p_account)
    RETURNING l.id, l.name, l.restaurant, l.email, l.phone, l.message, l.created_at,
              l.source, l.stage, l.notes, l.follow_up_on, l.updated_at
$$;

-- The privacy page's promise: demo requests and contact messages are kept up to 12
-- months. Deletes the leads that arrived before p_before; answers how many. A fixed
-- question like purge_expired: the service runs it on a schedule and learns a number.
CREATE FUNCTION purge_old_leads(p_before timestamptz)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH gone AS (DELETE FROM leads WHERE created_at < p_before RETURNING 1)
    SELECT count(*) FROM gone
$$;

REVOKE EXECUTE ON FUNCTION
    platform_tenants(uuid, uuid, uuid, integer, integer),
    platform_leads(uuid, uuid, text, integer, integer),
    platform_update_lead(uuid, uuid, uuid, text, text, date),
    purge_old_leads(timestamptz)
FROM PUBLIC;
