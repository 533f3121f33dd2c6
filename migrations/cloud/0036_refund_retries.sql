-- Refunds Mercado Pago refused or never answered are retried by a periodic sweep, with
-- back-off, instead of only on the tenant's next push (a restaurant that rejects an order
-- paid online and then closes for the night would otherwise leave the diner unrefunded).

ALTER TABLE online_payments
    ADD COLUMN refund_attempts integer NOT NULL DEFAULT 0 CHECK (refund_attempts >= 0),
    ADD COLUMN refund_retry_at timestamptz;

-- The sweep's one question across tenants: which have a refund due now. Ids only; each
-- refund then runs inside its tenant's own row-level security scope (see 0002 for why
-- cross-tenant reads go through functions like this one).
CREATE FUNCTION tenants_with_refunds_due() RETURNS TABLE (tenant_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT p.tenant_id
    FROM online_payments p
    JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id
    WHERE p.paid_at IS NOT NULL AND p.refunded_at IS NULL AND o.status = 'cancelled'
      AND (p.refund_retry_at IS NULL OR p.refund_retry_at <= now())
$$;
REVOKE EXECUTE ON FUNCTION tenants_with_refunds_due() FROM PUBLIC;
