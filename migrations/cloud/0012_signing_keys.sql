-- Access-token signing keys, shared by every instance of the cloud on this database.
--
-- A key signs during [signs_from, signs_until) and keeps verifying until verify_until
-- (signs_until plus the longest a token lives), then it is deleted. The next key is
-- written well before it starts signing, so every instance has loaded it by the time
-- any instance signs with it. A token's `kid` header names its key. Not tenant data: no
-- tenant_id and no row-level security; the service role reads it like the service's own
-- configuration.
CREATE TABLE signing_keys (
    kid          text        PRIMARY KEY CHECK (length(kid) BETWEEN 1 AND 64),
    secret       bytea       NOT NULL CHECK (length(secret) >= 32),
    signs_from   timestamptz NOT NULL,
    signs_until  timestamptz NOT NULL CHECK (signs_until > signs_from),
    verify_until timestamptz NOT NULL CHECK (verify_until >= signs_until),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signing_keys_signs_until ON signing_keys (signs_until);

-- How far behind each live device is, for /metrics: seconds since its last completed
-- sync (since enrolment when it never synced) and versions it has not pulled yet. One
-- fixed question across tenants, like purge_expired: the service role cannot read
-- across tenants itself, and this answers ids and numbers only.
CREATE FUNCTION device_sync_lag(p_now timestamptz)
RETURNS TABLE (device_id uuid, lag_seconds double precision, versions_behind bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT d.id,
           greatest(extract(epoch FROM p_now - coalesce(d.last_sync_at, d.created_at)), 0)::double precision,
           greatest(coalesce(v.version, 0) - coalesce(d.last_pulled_version, 0), 0)
    FROM devices d
    LEFT JOIN sync_versions v ON v.tenant_id = d.tenant_id
    WHERE d.revoked_at IS NULL
$$;
REVOKE EXECUTE ON FUNCTION device_sync_lag(timestamptz) FROM PUBLIC;
