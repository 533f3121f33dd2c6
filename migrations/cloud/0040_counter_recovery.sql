-- Recovery of a counter's sole admin through the owner's cloud account (issue 18, Build 2;
-- docs/SECURITY.md, "Admin recovery through the owner"). The owner asks the dashboard for
-- a code for one counter; the counter redeems it with its device token before it sets a
-- new password. Only the code's SHA-256 is kept; a code is for one device of one
-- location, lives ten minutes and works once (`used_at`, set by the one UPDATE that
-- redeems it).
CREATE TABLE counter_recovery_codes (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    location_id uuid        NOT NULL,
    device_id   uuid        NOT NULL REFERENCES devices (id),
    code_hash   text        NOT NULL UNIQUE,
    issued_by   uuid        NOT NULL REFERENCES accounts (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX counter_recovery_codes_device ON counter_recovery_codes (tenant_id, device_id);

ALTER TABLE counter_recovery_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE counter_recovery_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON counter_recovery_codes
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
CREATE POLICY location_scope ON counter_recovery_codes AS RESTRICTIVE
    USING (app_locations() IS NULL OR location_id IS NULL
           OR location_id = ANY (app_locations()));

-- The cloud's own side of each recovery (code issued, redeemed, refused) goes to the
-- owners' audit log beside the counters' events, with `device_id = 'cloud'` and an empty
-- `hlc`: the log was the projection of the counters' rows only (0013), and these are the
-- first rows the cloud writes there itself, still insert-only.
