-- The platform operator (super_admin): its sign-in and sessions, and the few views across
-- tenants it needs (the tenant list with counts, the demo requests).
--
-- Design. super_admin accounts have no tenant (tenant_id NULL, see 0001), and neither do
-- their sessions and refresh tokens (made nullable below). The tenant_isolation policies
-- compare tenant_id to app_tenant(), which never equals NULL, so the service role can
-- neither see nor write any of these rows. Everything the platform does across tenants
-- goes through the SECURITY DEFINER functions below, which run as the owner of this
-- migration (a superuser or BYPASSRLS role) and each answer one fixed question.
--
-- Rejected alternative: a policy that opens rows when the transaction sets
-- `app.platform = 'on'`. The service role can set any setting, so one stray or injected
-- set_config in any code path would lift tenant isolation for every table the policy
-- covers; RLS would then bound a request to its tenant only as long as the Rust code is
-- right. With functions, the tenant tables keep exactly one policy each, the platform's
-- whole reach is listed in this file (aggregates of tenants, leads, its own accounts and
-- sessions: never a restaurant's orders, customers or menus), and:
--   * reading across tenants needs the id of an open super_admin session as well, which
--     only a signed platform access token carries (platform_session_open). This guards
--     against a code path that forgets the platform check; it does not stop someone who
--     holds the service role's own credentials (they could open a session with
--     platform_open_session, which trusts the caller to have checked the password), but
--     even they reach only the aggregates and leads listed here;
--   * creating a super_admin needs the owner connection (`dysa-cloud
--     create-platform-admin`); no function here creates one;
--   * suspending or reactivating a tenant needs no new privilege at all: the service
--     updates the tenant's row inside that tenant's own RLS scope (app.tenant_id = it).

ALTER TABLE sessions ALTER COLUMN tenant_id DROP NOT NULL;
ALTER TABLE refresh_tokens ALTER COLUMN tenant_id DROP NOT NULL;

-- The super_admin with this (normalised) email, for sign-in: the only function that
-- answers a password hash, and only a super_admin's.
CREATE FUNCTION platform_login_account(p_email text)
RETURNS TABLE (id uuid, tenant_id uuid, name text, email text, role text,
               password_hash text, active boolean, created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT a.id, a.tenant_id, a.name, a.email, a.role, a.password_hash, a.active, a.created_at
    FROM accounts a
    WHERE a.email = p_email AND a.role = 'super_admin' AND a.tenant_id IS NULL
$$;

-- Opens a session (with its first refresh token, by hash) for an active super_admin.
-- False when the account is not one. The caller has checked the password.
CREATE FUNCTION platform_open_session(p_family uuid, p_account uuid, p_token_hash text,
                                      p_expires timestamptz)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = p_account
                   AND a.role = 'super_admin' AND a.tenant_id IS NULL AND a.active) THEN
        RETURN false;
    END IF;
    INSERT INTO sessions (family_id, tenant_id, account_id) VALUES (p_family, NULL, p_account);
    INSERT INTO refresh_tokens (token_hash, tenant_id, family_id, expires_at)
    VALUES (p_token_hash, NULL, p_family, p_expires);
    RETURN true;
END
$$;

-- The super_admin of an open platform session (the hash stays inside).
CREATE FUNCTION platform_session_account(p_family uuid, p_account uuid)
RETURNS TABLE (id uuid, tenant_id uuid, name text, email text, role text,
               password_hash text, active boolean, created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT a.id, a.tenant_id, a.name, a.email, a.role, ''::text, a.active, a.created_at
    FROM sessions s JOIN accounts a ON a.id = s.account_id
    WHERE s.family_id = p_family AND s.account_id = p_account AND s.tenant_id IS NULL
      AND s.revoked_at IS NULL
      AND a.role = 'super_admin' AND a.tenant_id IS NULL AND a.active
$$;

-- Whether (p_family, p_account) is an open super_admin session.
CREATE FUNCTION platform_session_open(p_family uuid, p_account uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM platform_session_account(p_family, p_account))
$$;

-- Exchanges a platform refresh token (by hash) for a new one, with the same rules as
-- tenant sessions: a token works once; presenting a used one closes the session.
-- outcome: ok | unknown | revoked | reused | expired.
CREATE FUNCTION platform_refresh(p_old_hash text, p_new_hash text, p_expires timestamptz)
RETURNS TABLE (outcome text, session_id uuid, account uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_family  uuid;
    v_expires timestamptz;
    v_used    timestamptz;
    v_account uuid;
    v_revoked timestamptz;
BEGIN
    SELECT r.family_id, r.expires_at, r.used_at INTO v_family, v_expires, v_used
    FROM refresh_tokens r
    WHERE r.token_hash = p_old_hash AND r.tenant_id IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unknown'::text, NULL::uuid, NULL::uuid;
        RETURN;
    END IF;
    SELECT s.account_id, s.revoked_at INTO v_account, v_revoked
    FROM sessions s WHERE s.family_id = v_family;
    IF v_revoked IS NOT NULL THEN
        RETURN QUERY SELECT 'revoked'::text, v_family, v_account;
        RETURN;
    END IF;
    IF v_used IS NOT NULL THEN
        UPDATE sessions SET revoked_at = now(), revoked_reason = 'refresh_token_reused'
        WHERE family_id = v_family AND revoked_at IS NULL;
        RETURN QUERY SELECT 'reused'::text, v_family, v_account;
        RETURN;
    END IF;
    IF v_expires <= now() THEN
        RETURN QUERY SELECT 'expired'::text, v_family, v_account;
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = v_account
                   AND a.role = 'super_admin' AND a.tenant_id IS NULL AND a.active) THEN
        UPDATE sessions SET revoked_at = now(), revoked_reason = 'account_inactive'
        WHERE family_id = v_family AND revoked_at IS NULL;
        RETURN QUERY SELECT 'revoked'::text, v_family, v_account;
        RETURN;
    END IF;
    UPDATE refresh_tokens SET used_at = now() WHERE token_hash = p_old_hash;
    INSERT INTO refresh_tokens (token_hash, tenant_id, family_id, expires_at)
    VALUES (p_new_hash, NULL, v_family, p_expires);
    RETURN QUERY SELECT 'ok'::text, v_family, v_account;
END
$$;

-- Closes a platform session named by its id and account, and/or the session of a
-- platform refresh token (by hash). Either may be NULL.
CREATE FUNCTION platform_logout(p_family uuid, p_account uuid, p_token_hash text)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    UPDATE sessions s SET revoked_at = now(), revoked_reason = 'logout'
    WHERE s.tenant_id IS NULL AND s.revoked_at IS NULL
      AND ((s.family_id = p_family AND s.account_id = p_account)
           OR s.family_id = (SELECT r.family_id FROM refresh_tokens r
                             WHERE r.token_hash = p_token_hash AND r.tenant_id IS NULL))
$$;

-- Tenants, newest first, with their numbers of locations and live (unrevoked) devices and
-- the last time any of their devices was seen; one tenant when p_tenant is given. Empty
-- unless (p_family, p_account) is an open super_admin session.
CREATE FUNCTION platform_tenants(p_family uuid, p_account uuid, p_tenant uuid,
                                 p_limit integer, p_offset integer)
RETURNS TABLE (id uuid, slug text, name text, plan text, status text,
               created_at timestamptz, locations bigint, devices bigint,
               last_device_seen_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT t.id, t.slug, t.name, t.plan, t.status, t.created_at,
           (SELECT count(*) FROM locations l WHERE l.tenant_id = t.id),
           (SELECT count(*) FROM devices d WHERE d.tenant_id = t.id AND d.revoked_at IS NULL),
           (SELECT max(d.last_seen_at) FROM devices d WHERE d.tenant_id = t.id)
    FROM tenants t
    WHERE platform_session_open(p_family, p_account)
      AND (p_tenant IS NULL OR t.id = p_tenant)
    ORDER BY t.created_at DESC, t.id DESC
    LIMIT p_limit OFFSET p_offset
$$;

-- Demo requests, newest first. Empty unless (p_family, p_account) is an open
-- super_admin session.
CREATE FUNCTION platform_leads(p_family uuid, p_account uuid, p_limit integer,
                               p_offset integer)
RETURNS TABLE (id uuid, name text, restaurant text, email text, phone text,
               message text, created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT l.id, l.name, l.restaurant, l.email, l.phone, l.message, l.created_at
    FROM leads l
    WHERE platform_session_open(p_family, p_account)
    ORDER BY l.created_at DESC, l.id DESC
    LIMIT p_limit OFFSET p_offset
$$;

REVOKE EXECUTE ON FUNCTION
    platform_login_account(text),
    platform_open_session(uuid, uuid, text, timestamptz),
    platform_session_account(uuid, uuid),
    platform_session_open(uuid, uuid),
    platform_refresh(text, text, timestamptz),
    platform_logout(uuid, uuid, text),
    platform_tenants(uuid, uuid, uuid, integer, integer),
    platform_leads(uuid, uuid, integer, integer)
FROM PUBLIC;
