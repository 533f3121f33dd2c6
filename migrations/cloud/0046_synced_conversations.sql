-- Conversations of the counters' assistant and their messages, synced (issue 20): the
-- projections of `dysa_domain::sync::rows::{Conversation, ConversationMessage}` (columns
-- named as the fields; `store/sync/projection.rs` names the keys, the rest is generic).
-- They are not the cloud's own relay tables (`chat_conversations`, `whatsapp_messages`):
-- these hold what each counter's assistant and staff wrote, so a counter that replaces a
-- dead one gets its chats back. Customer data: `draft`, `text` and `intent` are stored
-- sealed with the tenant's data key (`pii1.` text, `pii::sealed_fields`). Both sides
-- forget a conversation 90 days after its last activity (the privacy page).

CREATE TABLE conversations (
    tenant_id        uuid        NOT NULL REFERENCES tenants (id),
    location_id      uuid        NOT NULL,
    id               uuid        NOT NULL,
    channel          text        CHECK (channel IN ('panel', 'widget', 'whatsapp')),
    status           text        CHECK (status IN ('open', 'handoff', 'closed')),
    language         text        CHECK (language IN ('es', 'en')),
    draft            jsonb,
    customer_id      uuid,
    created_by       uuid,
    created_at       timestamptz,
    last_activity_at timestamptz,
    hlc              text        NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX conversations_by_activity ON conversations (tenant_id, location_id, last_activity_at);

CREATE TABLE conversation_messages (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    location_id     uuid        NOT NULL,
    id              uuid        NOT NULL,
    conversation_id uuid,
    role            text        CHECK (role IN ('diner', 'assistant', 'staff')),
    text            text,
    intent          jsonb,
    created_at      timestamptz,
    hlc             text        NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX conversation_messages_by_conversation
    ON conversation_messages (tenant_id, conversation_id, id);

ALTER TABLE conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversations
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY location_scope ON conversations AS RESTRICTIVE
    USING (app_locations() IS NULL OR location_id IS NULL OR location_id = ANY (app_locations()));
ALTER TABLE conversation_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversation_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversation_messages
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY location_scope ON conversation_messages AS RESTRICTIVE
    USING (app_locations() IS NULL OR location_id IS NULL OR location_id = ANY (app_locations()));

-- Retention of conversations (90 days of silence; the days are the caller's): across
-- tenants, like purge_expired, so a SECURITY DEFINER function with fixed statements. A
-- conversation goes with its messages from `sync_rows` and the typed tables, without a
-- tombstone: every counter prunes its own copy on its own clock, so there is no delete
-- to tell it about. Answers how many conversations went.
CREATE FUNCTION purge_conversations(p_before timestamptz) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    gone_tenants uuid[];
    gone_ids text[];
BEGIN
    WITH gone AS (
        DELETE FROM sync_rows s
        WHERE s.entity = 'conversation' AND sync_hlc_time(s.hlc) < p_before
        RETURNING s.tenant_id, s.entity_id
    )
    SELECT coalesce(array_agg(g.tenant_id), '{}'), coalesce(array_agg(g.entity_id), '{}')
    INTO gone_tenants, gone_ids FROM gone g;
    DELETE FROM sync_rows s
    USING UNNEST(gone_tenants, gone_ids) AS p(tenant_id, id)
    WHERE s.tenant_id = p.tenant_id AND s.entity = 'conversation_message'
      AND s.row ->> 'conversation_id' = p.id;
    DELETE FROM conversation_messages m
    USING UNNEST(gone_tenants, gone_ids) AS p(tenant_id, id)
    WHERE m.tenant_id = p.tenant_id AND m.conversation_id = p.id::uuid;
    DELETE FROM conversations c
    USING UNNEST(gone_tenants, gone_ids) AS p(tenant_id, id)
    WHERE c.tenant_id = p.tenant_id AND c.id = p.id::uuid;
    RETURN cardinality(gone_ids);
END
$$;
REVOKE EXECUTE ON FUNCTION purge_conversations(timestamptz) FROM PUBLIC;
