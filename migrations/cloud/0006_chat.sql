-- The widget's chat (docs/ARCHITECTURE.md, "Assistant").
--
-- chat_relays: a diner's message handed to the restaurant's appliance over the live
-- channel, and its answer. The instance that took the diner's request inserts the row and
-- notifies `dysa_chat` ('relay:<tenant>:<location>:<request>'); the device stream of any
-- instance reads the row and sends it as `event: chat`. The appliance posts the answer to
-- whichever instance it reaches, which stores it here and notifies
-- ('reply:<tenant>:<request>'); the waiting instance then reads it. Notices carry ids
-- only: the text stays in rows under RLS.
--
-- chat_conversations: what the cloud keeps when it answers itself (restaurant offline or
-- silent): the draft order of each widget conversation, so "dos completos" … "y una
-- bebida" … "sí" works across messages. No message history is kept here.

CREATE TABLE chat_conversations (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    id          uuid        NOT NULL,
    location_id uuid        NOT NULL,
    language    text        NOT NULL DEFAULT 'es' CHECK (language IN ('es', 'en')),
    draft       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    turns       integer     NOT NULL DEFAULT 0 CHECK (turns >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX chat_conversations_updated ON chat_conversations (tenant_id, updated_at);

CREATE TABLE chat_relays (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    id              uuid        NOT NULL,
    location_id     uuid        NOT NULL,
    conversation_id uuid        NOT NULL,
    message         text        NOT NULL CHECK (char_length(message) BETWEEN 1 AND 1000),
    language        text        CHECK (language IN ('es', 'en')),
    reply           jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    answered_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX chat_relays_created ON chat_relays (tenant_id, created_at);

ALTER TABLE chat_conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat_conversations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON chat_conversations
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE chat_relays ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat_relays FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON chat_relays
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
