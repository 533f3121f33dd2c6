-- WhatsApp bookings and their status messages (issue 18, Build 3).
--
-- A diner who confirms a booking in a WhatsApp conversation (the restaurant's assistant
-- gathered it and checked the tables) gets a real booking, made by the cloud like a widget
-- booking (`bookings::book`, channel `whatsapp`): pending while the counter is connected
-- (the counter seats it or declines it), confirmed by the cloud within the online quota
-- while it is not. This table remembers which booking came from which diner (and from
-- which of their messages, so that message answered again books nothing new); the row is
-- written before the booking in the same transaction, so a booking the cloud confirms at
-- once already finds its diner.
CREATE TABLE whatsapp_bookings (
    tenant_id      uuid        NOT NULL REFERENCES tenants (id),
    reservation_id uuid        NOT NULL,
    location_id    uuid        NOT NULL,
    wa_id          text        NOT NULL CHECK (wa_id ~ '^[0-9]{1,32}$'),
    -- The diner's confirming message (Meta's id).
    wamid          text        NOT NULL CHECK (char_length(wamid) BETWEEN 1 AND 200),
    lang           text        NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, reservation_id),
    UNIQUE (tenant_id, wamid),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
ALTER TABLE whatsapp_bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_bookings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON whatsapp_bookings
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
-- Migration 0035's location scope, as every table holding location_id has.
CREATE POLICY location_scope ON whatsapp_bookings AS RESTRICTIVE
    USING (app_locations() IS NULL OR location_id IS NULL
           OR location_id = ANY (app_locations()));

-- The booking's answer reaches the diner once per step, queued in the transaction that
-- projects it (a device's push, or the cloud's own booking): `confirmed` (the counter
-- seated it, or the cloud confirmed it while the counter was offline) is "confirmada"; a
-- pending booking (no table yet) cancelled is the counter declining it, "rechazada"; any
-- other cancellation is "cancelada". Keyed `booking:{id}:{step}`, so sync replaying a
-- status queues nothing.
CREATE FUNCTION whatsapp_booking_status_message() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    step text;
    diner whatsapp_bookings%ROWTYPE;
    zone text;
    local_start timestamp;
BEGIN
    step := CASE
        WHEN NEW.status = 'confirmed' THEN 'confirmed'
        WHEN NEW.status = 'cancelled' AND TG_OP = 'UPDATE'
             AND OLD.status = 'booked' AND OLD.table_id IS NULL THEN 'declined'
        WHEN NEW.status = 'cancelled' THEN 'cancelled'
    END;
    IF step IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT * INTO diner FROM whatsapp_bookings w
    WHERE w.tenant_id = NEW.tenant_id AND w.reservation_id = NEW.id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- The diner reads the restaurant's wall clock, not UTC.
    SELECT l.time_zone INTO zone FROM locations l
    WHERE l.tenant_id = NEW.tenant_id AND l.id = NEW.location_id;
    local_start := NEW.starts_at AT TIME ZONE coalesce(zone, 'America/Santiago');
    INSERT INTO whatsapp_outbox (tenant_id, id, location_id, wa_id, dedupe_key, lang, params)
    VALUES (NEW.tenant_id, gen_random_uuid(), diner.location_id, diner.wa_id,
            'booking:' || NEW.id || ':' || step, diner.lang,
            jsonb_build_object('kind', 'booking_status', 'step', step,
                               'date', to_char(local_start, 'YYYY-MM-DD'),
                               'time', to_char(local_start, 'HH24:MI'),
                               'party_size', NEW.party_size, 'reason', NEW.cancel_reason))
    ON CONFLICT (tenant_id, dedupe_key) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER reservations_whatsapp_status_update
    AFTER UPDATE OF status ON reservations
    FOR EACH ROW
    WHEN (NEW.status IS DISTINCT FROM OLD.status
          AND NEW.status IN ('confirmed', 'cancelled'))
    EXECUTE FUNCTION whatsapp_booking_status_message();

CREATE TRIGGER reservations_whatsapp_status_insert
    AFTER INSERT ON reservations
    FOR EACH ROW
    WHEN (NEW.status IN ('confirmed', 'cancelled'))
    EXECUTE FUNCTION whatsapp_booking_status_message();
