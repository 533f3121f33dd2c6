-- Owners' cancel requests (docs/SYNC.md, "Cancel requests from the cloud"). A request is
-- the synced order field `cancel_request` ({id, reason, requested_by, requested_at,
-- outcome, resolved_by, resolved_at, note}); it never changes the order's status. The
-- typed `orders` table keeps a copy for the owners' API.
ALTER TABLE orders ADD COLUMN cancel_request jsonb;

-- Cloud bookings while the restaurant decides have no table yet; the quota counts the
-- cloud-born bookings of a slot, found by location and start.
CREATE INDEX reservations_by_location_start ON reservations (tenant_id, location_id, starts_at);
