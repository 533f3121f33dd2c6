-- Issue 19: WhatsApp is not relayed while the tenant's plan has no WhatsApp or the tenant
-- is read-only (checked at relay time, `billing::whatsapp_answers`). The diner then gets
-- one polite notice, at most once per 24 hours: when it was last sent to this contact.
-- Set with a conditional UPDATE, so two relays at once send it once.
ALTER TABLE whatsapp_contacts ADD COLUMN paused_notice_at timestamptz;
