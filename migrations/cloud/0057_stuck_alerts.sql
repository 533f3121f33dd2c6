-- The owner's channel for the alert "a fiscal document or the printer queue is stuck",
-- chosen on the "Notificaciones" page like the others (email by default).
ALTER TABLE owner_notice_prefs
    ADD COLUMN stuck_alerts text NOT NULL DEFAULT 'email'
                            CHECK (stuck_alerts IN ('email', 'whatsapp', 'off'));
