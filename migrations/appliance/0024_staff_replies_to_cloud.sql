-- A staff member's message in a conversation relayed by the cloud (widget, WhatsApp) must
-- reach the diner, who is on the cloud's side: it waits here (cloud_pending = 1) until the
-- sync loop has handed it to the cloud (POST /api/v1/sync/chat-messages), which takes it
-- once by id. Messages of the panel's own conversations never leave the counter (0).
ALTER TABLE conversation_messages
    ADD COLUMN cloud_pending INTEGER NOT NULL DEFAULT 0 CHECK (cloud_pending IN (0, 1));
CREATE INDEX conversation_messages_cloud_pending
    ON conversation_messages (id) WHERE cloud_pending = 1;
