-- Staff's replies in a chat taken over at the counter (docs/ARCHITECTURE.md, "Assistant").
--
-- The appliance posts each staff message of a relayed conversation once it is written in
-- the panel (POST /api/v1/sync/chat-messages); it is kept here, once per appliance message
-- id, until the diner's widget fetches it (GET /api/v1/public/{slug}/chat/{conversation}/
-- messages). Only the conversation's id, which the diner's widget holds, reads them.

CREATE TABLE chat_staff_messages (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    id              uuid        NOT NULL,
    location_id     uuid        NOT NULL,
    conversation_id uuid        NOT NULL,
    text            text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX chat_staff_messages_conversation
    ON chat_staff_messages (tenant_id, conversation_id, id);

ALTER TABLE chat_staff_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat_staff_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON chat_staff_messages
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- WhatsApp Business (Cloud API): each location may link one number (docs/SECURITY.md,
-- "WhatsApp"). Meta calls the webhook URL the dashboard shows, which names the link by an
-- opaque id; the link's verify token answers Meta's GET handshake and its app secret
-- checks the X-Hub-Signature-256 of every POST. Diner messages are relayed like the
-- widget's (chat_relays.channel = 'whatsapp').

ALTER TABLE chat_relays
    ADD COLUMN channel text NOT NULL DEFAULT 'widget' CHECK (channel IN ('widget', 'whatsapp'));

CREATE TABLE whatsapp_links (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    id              uuid        NOT NULL,
    location_id     uuid        NOT NULL,
    phone_number_id text        NOT NULL CHECK (phone_number_id ~ '^[0-9]{1,32}$'),
    waba_id         text        NOT NULL CHECK (waba_id ~ '^[0-9]{1,32}$'),
    -- Secrets: written by the owner, used by the cloud, never sent back by any route.
    access_token    text        NOT NULL CHECK (char_length(access_token) BETWEEN 1 AND 1000),
    app_secret      text        NOT NULL CHECK (char_length(app_secret) BETWEEN 1 AND 200),
    verify_token    text        NOT NULL CHECK (char_length(verify_token) BETWEEN 8 AND 200),
    -- The approved template sent outside the 24-hour customer service window (one body
    -- parameter: the text), and its language codes.
    template_name   text        NOT NULL
                    CHECK (char_length(template_name) BETWEEN 1 AND 512 AND template_name ~ '^[a-z0-9_]+$'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, location_id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);

-- One row per diner number and location: the conversation relayed for it and when the
-- diner last wrote (the 24-hour window runs from there).
CREATE TABLE whatsapp_contacts (
    tenant_id        uuid        NOT NULL REFERENCES tenants (id),
    location_id      uuid        NOT NULL,
    wa_id            text        NOT NULL CHECK (wa_id ~ '^[0-9]{1,32}$'),
    conversation_id  uuid        NOT NULL,
    name             text        CHECK (char_length(name) <= 200),
    last_inbound_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, location_id, wa_id),
    UNIQUE (tenant_id, conversation_id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);

-- Every message in and out, by Meta's id (wamid): a redelivered webhook finds its
-- message here and is not answered twice. Outgoing ones carry the last status Meta
-- reported (sent, delivered, read, failed).
CREATE TABLE whatsapp_messages (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    wamid        text        NOT NULL CHECK (char_length(wamid) BETWEEN 1 AND 200),
    location_id  uuid        NOT NULL,
    wa_id        text        NOT NULL,
    direction    text        NOT NULL CHECK (direction IN ('in', 'out')),
    kind         text        NOT NULL CHECK (kind IN ('text', 'template', 'other')),
    body         text        NOT NULL DEFAULT '' CHECK (char_length(body) <= 4096),
    status       text        CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
    error_code   integer,
    created_at   timestamptz NOT NULL DEFAULT now(),
    answered_at  timestamptz,
    PRIMARY KEY (tenant_id, wamid),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX whatsapp_messages_contact ON whatsapp_messages (tenant_id, location_id, wa_id, created_at);

ALTER TABLE whatsapp_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_links FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON whatsapp_links
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE whatsapp_contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_contacts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON whatsapp_contacts
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE whatsapp_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON whatsapp_messages
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The webhook knows only the link's id (from its URL): this narrow lookup answers its
-- tenant, nothing else, to the service role (which then reads the link under RLS).
CREATE FUNCTION whatsapp_link_tenant(p_link uuid)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT w.tenant_id FROM whatsapp_links w
    JOIN tenants t ON t.id = w.tenant_id AND t.status = 'active'
    WHERE w.id = p_link
$$;
REVOKE EXECUTE ON FUNCTION whatsapp_link_tenant(uuid) FROM PUBLIC;
