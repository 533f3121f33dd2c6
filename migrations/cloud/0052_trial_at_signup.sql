-- Plans and billing, the leftovers of issue 19: the 14-day trial starts at sign-up, and a
-- periodic sweep records when a tenant's standing changes (grace → read-only when the
-- grace period ends; trial → read-only when a trial ends with no subscription authorised).
--
-- A sign-up now stores its subscription row at once: the plan chosen, its amount, the
-- trial's end, and no preapproval yet (`preapproval_id` NULL, `provider_status` 'none').
-- `/checkout/payment` later fills the preapproval in, with a free trial of the days left.
ALTER TABLE subscriptions ALTER COLUMN preapproval_id DROP NOT NULL;
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_provider_status_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_provider_status_check
    CHECK (provider_status IN ('none', 'pending', 'authorized', 'paused', 'cancelled'));
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_preapproval_unless_none
    CHECK ((provider_status = 'none') = (preapproval_id IS NULL));

-- The standing as the sweep (`billing::sweep`) last recorded it, and since when. The
-- gate still derives the standing from the facts at each request (never late); these two
-- say when a change happened, for the Plan page and the operator, and let two cloud
-- instances record a change once (the row is locked and compared before it is written).
ALTER TABLE subscriptions
    ADD COLUMN standing text NOT NULL DEFAULT 'trial'
        CHECK (standing IN ('pending', 'trial', 'active', 'grace', 'cancelled', 'read_only')),
    ADD COLUMN standing_since timestamptz NOT NULL DEFAULT now();

-- The sweep's one question across tenants: which have a subscription. Ids only; each is
-- then read and written inside its own row-level security scope (see 0002).
CREATE FUNCTION billing_tenants() RETURNS TABLE (tenant_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT tenant_id FROM subscriptions
$$;
REVOKE EXECUTE ON FUNCTION billing_tenants() FROM PUBLIC;
