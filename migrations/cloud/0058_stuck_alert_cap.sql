-- A cap on the "queue stuck" owner alert (issue 18). The alert's key names the moment
-- the counter says its oldest entry was queued, so a counter (or a stolen device token)
-- that reports a different `*_oldest_at` with each pull made every round a new incident
-- and mailed the owners each minute. Now each counter and queue remembers when its
-- owners were last alerted and for which oldest entry: a queue is alerted at most once
-- per 6 hours (`owner_notices::STUCK_ALERT_EVERY_HOURS`), and never twice for the same
-- oldest entry, whatever the reports say. Written only by the alert round.
ALTER TABLE devices
    ADD COLUMN fiscal_alerted_at     timestamptz,
    ADD COLUMN fiscal_alerted_oldest timestamptz,
    ADD COLUMN print_alerted_at      timestamptz,
    ADD COLUMN print_alerted_oldest  timestamptz;
