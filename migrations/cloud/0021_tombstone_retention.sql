-- Tombstones are kept 30 days (docs/SYNC.md, "Retention"), then purged with the other
-- short-lived records. A device whose cursor is older than the newest purged tombstone
-- would never hear of that delete, so the tenant's horizon is recorded and such a pull is
-- answered 410 `snapshot_required` (the device reloads from a snapshot and removes what
-- the snapshot no longer has).

-- When the row became a tombstone: the clock of the purge (a delete's HLC is the
-- device's clock, which may be wrong by days).
ALTER TABLE sync_rows ADD COLUMN tombstoned_at timestamptz;
UPDATE sync_rows SET tombstoned_at = now() WHERE deleted_hlc IS NOT NULL;

-- Fired only when a row becomes (or stops being) a tombstone, so pushes of live rows pay
-- nothing.
CREATE FUNCTION stamp_tombstoned_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.tombstoned_at := CASE WHEN NEW.deleted_hlc IS NULL THEN NULL ELSE now() END;
    RETURN NEW;
END
$$;
CREATE TRIGGER sync_rows_tombstoned_on_insert BEFORE INSERT ON sync_rows
    FOR EACH ROW WHEN (NEW.deleted_hlc IS NOT NULL) EXECUTE FUNCTION stamp_tombstoned_at();
CREATE TRIGGER sync_rows_tombstoned_on_update BEFORE UPDATE ON sync_rows
    FOR EACH ROW WHEN (OLD.deleted_hlc IS DISTINCT FROM NEW.deleted_hlc)
    EXECUTE FUNCTION stamp_tombstoned_at();
CREATE INDEX sync_rows_tombstoned ON sync_rows (tombstoned_at) WHERE tombstoned_at IS NOT NULL;

-- The newest version of a purged tombstone, per tenant: a pull from a cursor below it
-- could miss a delete.
CREATE TABLE sync_purge_horizons (
    tenant_id      uuid   PRIMARY KEY REFERENCES tenants (id),
    purged_through bigint NOT NULL CHECK (purged_through >= 0)
);
ALTER TABLE sync_purge_horizons ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_purge_horizons FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sync_purge_horizons
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The sweep now also purges tombstones and moves the horizons, in the same transaction.
DROP FUNCTION purge_expired(timestamptz);
CREATE FUNCTION purge_expired(p_before timestamptz)
RETURNS TABLE (push_answers bigint, public_requests bigint, status_tokens bigint, tombstones bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    answers bigint;
    requests bigint;
    tokens bigint;
    stones bigint;
BEGIN
    DELETE FROM sync_mutations m WHERE m.created_at < p_before;
    GET DIAGNOSTICS answers = ROW_COUNT;
    DELETE FROM public_requests r WHERE r.created_at < p_before;
    GET DIAGNOSTICS requests = ROW_COUNT;
    DELETE FROM widget_order_tokens t WHERE t.created_at < p_before;
    GET DIAGNOSTICS tokens = ROW_COUNT;
    WITH gone AS (
        DELETE FROM sync_rows s WHERE s.tombstoned_at < p_before
        RETURNING s.tenant_id, s.version
    ), newest AS (
        SELECT g.tenant_id, max(g.version) AS version, count(*) AS n FROM gone g GROUP BY g.tenant_id
    ), moved AS (
        INSERT INTO sync_purge_horizons AS h (tenant_id, purged_through)
        SELECT n.tenant_id, n.version FROM newest n
        ON CONFLICT (tenant_id) DO UPDATE
            SET purged_through = greatest(h.purged_through, excluded.purged_through)
        RETURNING 1
    )
    SELECT coalesce(sum(n.n), 0)::bigint INTO stones FROM newest n;
    RETURN QUERY SELECT answers, requests, tokens, stones;
END
$$;
REVOKE EXECUTE ON FUNCTION purge_expired(timestamptz) FROM PUBLIC;
