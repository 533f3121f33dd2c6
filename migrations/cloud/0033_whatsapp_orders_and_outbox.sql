-- WhatsApp orders and their status messages (issue 18, Build 3).
--
-- A diner who confirms an order in a WhatsApp conversation gets a real order at the counter
-- (placed by the cloud like a widget order, Idempotency-Key `wa:{wamid}` of the confirming
-- message). This table remembers which orders came from which diner, so the counter's
-- status changes go back to them.
CREATE TABLE whatsapp_orders (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    order_id     uuid        NOT NULL,
    location_id  uuid        NOT NULL,
    wa_id        text        NOT NULL CHECK (wa_id ~ '^[0-9]{1,32}$'),
    lang         text        NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, order_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
ALTER TABLE whatsapp_orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_orders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON whatsapp_orders
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- Every message the cloud sends by WhatsApp, durable: written before it leaves (in the same
-- transaction as what it tells about), sent by a worker that retries with back-off when
-- the Graph API is down, and never sent twice: `dedupe_key` is unique (an order's status
-- message is keyed by order and step, so sync replaying a status writes nothing new), and
-- a row is marked `sending` (committed) before it leaves; one still `sending` after its
-- lease becomes `uncertain` instead of going out again.
CREATE TABLE whatsapp_outbox (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    id              uuid        NOT NULL,
    location_id     uuid        NOT NULL,
    wa_id           text        NOT NULL CHECK (wa_id ~ '^[0-9]{1,32}$'),
    dedupe_key      text        NOT NULL CHECK (char_length(dedupe_key) BETWEEN 1 AND 300),
    lang            text        NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
    -- What to say, rendered when it leaves: {"kind": "text", "text"} or
    -- {"kind": "order_status", "step", "number", "reason"}.
    params          jsonb       NOT NULL,
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_until   timestamptz,
    last_error      text        CHECK (char_length(last_error) <= 1000),
    wamid           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, dedupe_key),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX whatsapp_outbox_due ON whatsapp_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX whatsapp_outbox_sending ON whatsapp_outbox (claimed_until) WHERE status = 'sending';
ALTER TABLE whatsapp_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON whatsapp_outbox
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The worker serves every tenant: this narrow lookup answers which tenants have a row due
-- (or a lease run out) as of `p_now`, nothing else; the worker then reads each under RLS.
CREATE FUNCTION whatsapp_outbox_tenants(p_now timestamptz)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT o.tenant_id FROM whatsapp_outbox o
    WHERE (o.status = 'pending' AND o.next_attempt_at <= p_now)
       OR (o.status = 'sending' AND o.claimed_until < p_now)
$$;
REVOKE EXECUTE ON FUNCTION whatsapp_outbox_tenants(timestamptz) FROM PUBLIC;

-- The counter moves a WhatsApp order (sync projects its row here): the diner's message
-- is queued in the same transaction, once per step. Accepting is `confirmed`, or straight
-- to `preparing`; both are the one "aceptado" message.
CREATE FUNCTION whatsapp_order_status_message() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    step text;
    diner whatsapp_orders%ROWTYPE;
BEGIN
    step := CASE NEW.status
        WHEN 'confirmed' THEN 'accepted'
        WHEN 'preparing' THEN 'accepted'
        WHEN 'ready' THEN 'ready'
        WHEN 'cancelled' THEN 'rejected'
    END;
    IF step IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT * INTO diner FROM whatsapp_orders w
    WHERE w.tenant_id = NEW.tenant_id AND w.order_id = NEW.id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    INSERT INTO whatsapp_outbox (tenant_id, id, location_id, wa_id, dedupe_key, lang, params)
    VALUES (NEW.tenant_id, gen_random_uuid(), diner.location_id, diner.wa_id,
            'order:' || NEW.id || ':' || step, diner.lang,
            jsonb_build_object('kind', 'order_status', 'step', step, 'number', NEW.number,
                               'reason', NEW.cancel_reason))
    ON CONFLICT (tenant_id, dedupe_key) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER orders_whatsapp_status
    AFTER UPDATE OF status ON orders
    FOR EACH ROW
    WHEN (NEW.status IS DISTINCT FROM OLD.status
          AND NEW.status IN ('confirmed', 'preparing', 'ready', 'cancelled'))
    EXECUTE FUNCTION whatsapp_order_status_message();
