-- Budgets and retention (docs/SECURITY.md, "Budgets on the public and device surfaces").

-- Who placed a widget order: a key of the diner's phone number (SHA-256 of its digits),
-- so "at most N pending orders per phone" is one indexed count. NULL for the other
-- scopes and for orders placed before this migration.
ALTER TABLE public_requests ADD COLUMN phone_key text;
CREATE INDEX public_requests_phone ON public_requests (tenant_id, phone_key)
    WHERE phone_key IS NOT NULL;

-- The retention sweep reads by age across tenants.
CREATE INDEX sync_mutations_created ON sync_mutations (created_at);
CREATE INDEX public_requests_created ON public_requests (created_at);
CREATE INDEX widget_order_tokens_created ON widget_order_tokens (created_at);

-- Forgets, in every tenant, what is kept only for a while: the answers given to pushed
-- mutations (a device replays a push within minutes, not weeks), the first answers to
-- widget requests with an Idempotency-Key, and widget orders' status tokens, all
-- created before `p_before`. One fixed question, like the platform's functions: the
-- service role cannot read across tenants, and this reads nothing back.
CREATE FUNCTION purge_expired(p_before timestamptz)
RETURNS TABLE (push_answers bigint, public_requests bigint, status_tokens bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    answers bigint;
    requests bigint;
    tokens bigint;
BEGIN
    DELETE FROM sync_mutations m WHERE m.created_at < p_before;
    GET DIAGNOSTICS answers = ROW_COUNT;
    DELETE FROM public_requests r WHERE r.created_at < p_before;
    GET DIAGNOSTICS requests = ROW_COUNT;
    DELETE FROM widget_order_tokens t WHERE t.created_at < p_before;
    GET DIAGNOSTICS tokens = ROW_COUNT;
    RETURN QUERY SELECT answers, requests, tokens;
END
$$;
REVOKE EXECUTE ON FUNCTION purge_expired(timestamptz) FROM PUBLIC;
