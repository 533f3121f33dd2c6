-- An owner's request, made on the cloud, to cancel an order (docs/SYNC.md, "Cancel
-- requests from the cloud"): the synced order field `cancel_request`, as JSON
-- {id, reason, requested_by, requested_at, outcome, resolved_by, resolved_at, note}.
-- Staff accept it (the order is cancelled through the state machine) or refuse it.
ALTER TABLE orders ADD COLUMN cancel_request TEXT CHECK (cancel_request IS NULL OR json_valid(cancel_request));
