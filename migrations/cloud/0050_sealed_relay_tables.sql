-- The cloud's own relay tables sealed like customer data (issue 20; docs/SECURITY.md,
-- "Customer data at rest"; `sync-server/src/pii/relay.rs`).
--
-- What a diner wrote (the widget's `chat_relays.message`, WhatsApp's
-- `whatsapp_messages.body`), what staff and the restaurant answered
-- (`chat_staff_messages.text`, outgoing bodies, the words of `whatsapp_outbox.params`),
-- the widget's draft order (`chat_conversations.draft`, a JSON string once sealed) and
-- every diner's WhatsApp number (`wa_id`, a phone) are written sealed with the tenant's
-- data key (`pii1.` + base64, as in `sync_rows`). A sealed text is longer than the clear
-- one, so the length checks move to the code that takes the text (it bounds it before
-- sealing) and `wa_id` loses its digits-only check.
--
-- Lookups by number go through `wa_hash`, HMAC-SHA256 of the digits under the tenant's
-- lookup key (as `customers.phone_hash`): a diner's contact is unique by it, the outbox
-- keeps a diner's messages in order by it, one diner's erasure finds their rows by it.
-- SQL cannot compute it: rows written before this migration get it, and are sealed, by
-- the binary's start-up pass (`pii::backfill`), until then `wa_hash` is NULL.

ALTER TABLE chat_relays DROP CONSTRAINT chat_relays_message_check;
ALTER TABLE chat_staff_messages DROP CONSTRAINT chat_staff_messages_text_check;
ALTER TABLE whatsapp_messages DROP CONSTRAINT whatsapp_messages_body_check;

ALTER TABLE whatsapp_contacts DROP CONSTRAINT whatsapp_contacts_wa_id_check;
ALTER TABLE whatsapp_contacts DROP CONSTRAINT whatsapp_contacts_pkey;
ALTER TABLE whatsapp_contacts ADD COLUMN wa_hash bytea;
ALTER TABLE whatsapp_contacts
    ADD CONSTRAINT whatsapp_contacts_diner UNIQUE (tenant_id, location_id, wa_hash);

ALTER TABLE whatsapp_messages ADD COLUMN wa_hash bytea;
DROP INDEX whatsapp_messages_contact;
CREATE INDEX whatsapp_messages_contact
    ON whatsapp_messages (tenant_id, location_id, wa_hash, created_at);

ALTER TABLE whatsapp_orders DROP CONSTRAINT whatsapp_orders_wa_id_check;
ALTER TABLE whatsapp_orders ADD COLUMN wa_hash bytea;
CREATE INDEX whatsapp_orders_diner ON whatsapp_orders (tenant_id, wa_hash);

ALTER TABLE whatsapp_bookings DROP CONSTRAINT whatsapp_bookings_wa_id_check;
ALTER TABLE whatsapp_bookings ADD COLUMN wa_hash bytea;
CREATE INDEX whatsapp_bookings_diner ON whatsapp_bookings (tenant_id, wa_hash);

ALTER TABLE whatsapp_outbox DROP CONSTRAINT whatsapp_outbox_wa_id_check;
ALTER TABLE whatsapp_outbox ADD COLUMN wa_hash bytea;
CREATE INDEX whatsapp_outbox_diner ON whatsapp_outbox (tenant_id, location_id, wa_hash);

-- Migration 0033's and 0037's triggers, copying the diner's hash with their (sealed)
-- number: the number is sealed to its location, not to a row, so the outbox opens it.
CREATE OR REPLACE FUNCTION whatsapp_order_status_message() RETURNS trigger
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
    INSERT INTO whatsapp_outbox
        (tenant_id, id, location_id, wa_id, wa_hash, dedupe_key, lang, params)
    VALUES (NEW.tenant_id, gen_random_uuid(), diner.location_id, diner.wa_id, diner.wa_hash,
            'order:' || NEW.id || ':' || step, diner.lang,
            jsonb_build_object('kind', 'order_status', 'step', step, 'number', NEW.number,
                               'reason', NEW.cancel_reason))
    ON CONFLICT (tenant_id, dedupe_key) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION whatsapp_booking_status_message() RETURNS trigger
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
    INSERT INTO whatsapp_outbox
        (tenant_id, id, location_id, wa_id, wa_hash, dedupe_key, lang, params)
    VALUES (NEW.tenant_id, gen_random_uuid(), diner.location_id, diner.wa_id, diner.wa_hash,
            'booking:' || NEW.id || ':' || step, diner.lang,
            jsonb_build_object('kind', 'booking_status', 'step', step,
                               'date', to_char(local_start, 'YYYY-MM-DD'),
                               'time', to_char(local_start, 'HH24:MI'),
                               'party_size', NEW.party_size, 'reason', NEW.cancel_reason))
    ON CONFLICT (tenant_id, dedupe_key) DO NOTHING;
    RETURN NULL;
END
$$;
