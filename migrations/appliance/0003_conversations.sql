-- Chats with diners and staff, answered by the assistant. Conversations stay on the
-- appliance (not synced in this version), so they follow no outbox convention.

CREATE TABLE conversations (
    id          TEXT PRIMARY KEY,
    channel     TEXT NOT NULL CHECK (channel IN ('panel', 'widget', 'whatsapp')),
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'handoff', 'closed')),
    language    TEXT NOT NULL DEFAULT 'es' CHECK (language IN ('es', 'en')),
    -- The draft order or booking being put together: {lines, takeaway, awaiting, booking}.
    draft       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(draft)),
    customer_id TEXT REFERENCES customers (id),
    created_by  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX conversations_recent ON conversations (updated_at DESC);
CREATE INDEX conversations_status ON conversations (status, channel);

CREATE TABLE conversation_messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    role            TEXT NOT NULL CHECK (role IN ('diner', 'assistant', 'staff')),
    text            TEXT NOT NULL,
    -- The reading of a diner's message, or what a reply did: {intent, source, …}.
    intent          TEXT CHECK (intent IS NULL OR json_valid(intent)),
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX conversation_messages_by_conversation ON conversation_messages (conversation_id, id);
