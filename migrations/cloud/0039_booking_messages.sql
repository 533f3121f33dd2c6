-- Messages about bookings (issue 18, Build 5): the confirmation with its cancel link and
-- the reminders (24 and 2 hours before by default), by WhatsApp where the diner wrote from
-- it, else SMS.
--
-- One row per message a booking was sent, keyed by its kind: the reminder worker writes
-- the row in the transaction that queues the message, so each is sent once however often
-- the worker runs. A diner's SI or NO (by SMS or WhatsApp) answers the most recent notice
-- sent to their number (by keyed hash) for a booking still ahead.
CREATE TABLE booking_notices (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    reservation_id  uuid        NOT NULL,
    location_id     uuid        NOT NULL,
    kind            text        NOT NULL CHECK (kind ~ '^(confirmation|reminder:[0-9]{1,3})$'),
    channel         text        NOT NULL CHECK (channel IN ('whatsapp', 'sms')),
    phone_hash      bytea       NOT NULL,
    lang            text        NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    answered_at     timestamptz,
    answer          text        CHECK (answer IN ('yes', 'no')),
    PRIMARY KEY (tenant_id, reservation_id, kind),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX booking_notices_phone ON booking_notices (tenant_id, phone_hash, created_at);
ALTER TABLE booking_notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_notices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON booking_notices
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY location_scope ON booking_notices AS RESTRICTIVE
    USING (app_locations() IS NULL OR location_id IS NULL
           OR location_id = ANY (app_locations()));

-- The diner's consent given with a booking made on the widget (Ley 19.628): whether they
-- accepted messages about it, as they answered; NULL when the widget did not ask.
CREATE TABLE booking_consents (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    reservation_id  uuid        NOT NULL,
    consented       boolean     NOT NULL,
    lang            text        NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, reservation_id)
);
ALTER TABLE booking_consents ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_consents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON booking_consents
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The reminder worker serves every tenant: which tenants have a booking still to come
-- within the window (nothing else), read then under RLS.
CREATE FUNCTION booking_reminder_tenants(p_from timestamptz, p_until timestamptz)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT r.tenant_id FROM reservations r
    JOIN tenants t ON t.id = r.tenant_id AND t.status = 'active'
    WHERE r.starts_at > p_from AND r.starts_at <= p_until
      AND r.status IN ('booked', 'confirmed') AND r.deleted_at IS NULL
$$;
REVOKE EXECUTE ON FUNCTION booking_reminder_tenants(timestamptz, timestamptz) FROM PUBLIC;
