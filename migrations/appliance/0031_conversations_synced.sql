-- Conversations and their messages become synced rows (issue 20; docs/SYNC.md): a
-- counter that dies no longer takes the restaurant's chats with it. Their rows are
-- `dysa_domain::sync::rows::{Conversation, ConversationMessage}`, whose fields are these
-- columns.
--
-- `updated_at` becomes what it is on every synced table, the HLC of the row's last change;
-- the wall time of the last activity, which the list sorts by and the retention counts
-- from, moves to `last_activity_at`. Rows from before get an HLC made from that time
-- (counter 0, node 0): older than any change made from now on, so a later edit wins.
ALTER TABLE conversations ADD COLUMN last_activity_at TEXT NOT NULL DEFAULT '';
UPDATE conversations SET last_activity_at = updated_at;
UPDATE conversations SET updated_at = printf('%015d-%06d-%016x',
    CAST(round((julianday(last_activity_at) - 2440587.5) * 86400000) AS INTEGER), 0, 0);
DROP INDEX conversations_recent;
CREATE INDEX conversations_recent ON conversations (last_activity_at DESC);
-- Retention (90 days of silence, the privacy page) deletes old conversations by this.
CREATE INDEX conversation_messages_by_time ON conversation_messages (created_at);
