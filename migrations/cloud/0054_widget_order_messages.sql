-- What a widget diner hears about their order, by the channel they chose (issue 18,
-- Build 5): WhatsApp (remembered in `whatsapp_orders`, whose trigger of migration 0033
-- already tells the diner each status), SMS or email (here).
--
-- The diner's contact for an order that asked for SMS or email, with their consent
-- (Ley 19.628): the number or address sealed under the tenant's data key (table
-- `order_contacts`, field `contact`, the order's id as the row), its keyed hash for the
-- opt-out check. No row: the diner chose nothing or did not consent, and hears nothing.
CREATE TABLE order_contacts (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    order_id      uuid        NOT NULL,
    location_id   uuid        NOT NULL,
    channel       text        NOT NULL CHECK (channel IN ('sms', 'email')),
    contact       bytea       NOT NULL,
    contact_hash  bytea       NOT NULL,
    lang          text        NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, order_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
ALTER TABLE order_contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE order_contacts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON order_contacts
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY location_scope ON order_contacts AS RESTRICTIVE
    USING (app_locations() IS NULL OR location_id = ANY (app_locations()));

-- Each status step such an order reached, once: the counter's status sync projects the
-- order (UPDATE of `orders.status`) and this trigger writes the step in the same
-- transaction; `ON CONFLICT DO NOTHING` makes a replayed or repeated status write nothing
-- new. The cloud then seals and queues the SMS or mail (`crate::diner_messages::flush`,
-- in the push's transaction and by a worker) and stamps `queued_at`; the outboxes'
-- `dedupe_key` (`order:{id}:{step}`) is the second guard.
CREATE TABLE order_contact_steps (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    order_id    uuid        NOT NULL,
    step        text        NOT NULL CHECK (step IN ('accepted', 'ready', 'rejected')),
    number      bigint,
    reason      text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    queued_at   timestamptz,
    PRIMARY KEY (tenant_id, order_id, step),
    FOREIGN KEY (tenant_id, order_id) REFERENCES order_contacts (tenant_id, order_id)
);
CREATE INDEX order_contact_steps_waiting ON order_contact_steps (tenant_id)
    WHERE queued_at IS NULL;
ALTER TABLE order_contact_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE order_contact_steps FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON order_contact_steps
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

CREATE FUNCTION order_contact_status_step() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    -- Not named `step`: that is a column of the INSERT's conflict target.
    v_step text;
BEGIN
    v_step := CASE NEW.status
        WHEN 'confirmed' THEN 'accepted'
        WHEN 'preparing' THEN 'accepted'
        WHEN 'ready' THEN 'ready'
        WHEN 'cancelled' THEN 'rejected'
    END;
    IF v_step IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO order_contact_steps (tenant_id, order_id, step, number, reason)
    SELECT NEW.tenant_id, NEW.id, v_step, NEW.number, NEW.cancel_reason
    FROM order_contacts c
    WHERE c.tenant_id = NEW.tenant_id AND c.order_id = NEW.id
    ON CONFLICT (tenant_id, order_id, step) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER orders_contact_status
    AFTER UPDATE OF status ON orders
    FOR EACH ROW
    WHEN (NEW.status IS DISTINCT FROM OLD.status
          AND NEW.status IN ('confirmed', 'preparing', 'ready', 'cancelled'))
    EXECUTE FUNCTION order_contact_status_step();

-- The worker serves every tenant: which tenants have a step not yet queued (nothing
-- else), read then under RLS.
CREATE FUNCTION order_contact_step_tenants()
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT s.tenant_id FROM order_contact_steps s WHERE s.queued_at IS NULL
$$;
REVOKE EXECUTE ON FUNCTION order_contact_step_tenants() FROM PUBLIC;
