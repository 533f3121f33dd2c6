-- What a counter last said of its own queues (issue 18, Build 5: "a fiscal document or
-- printer queue stuck"). A counter reports them with every pull (`GET /sync/pull`'s
-- `fiscal_pending`, `fiscal_oldest_at`, `print_pending`, `print_oldest_at`); a counter
-- that does not send them (older than this) leaves them NULL and is never alerted for
-- them. Written only by the pull, read only by the owners' alert round.
ALTER TABLE devices
    ADD COLUMN fiscal_pending     integer CHECK (fiscal_pending >= 0),
    ADD COLUMN fiscal_oldest_at   timestamptz,
    ADD COLUMN print_pending      integer CHECK (print_pending >= 0),
    ADD COLUMN print_oldest_at    timestamptz,
    ADD COLUMN queues_reported_at timestamptz;
