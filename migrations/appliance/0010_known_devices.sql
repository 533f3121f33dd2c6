-- Browsers that signed in at this appliance at least once (docs/SECURITY.md, "The LAN").
-- The device keeps a long-lived random cookie; only its SHA-256 is stored here, so this
-- table alone lets nobody pass as a known device. Local to this appliance: never synced.
-- A known device may read the PIN pad's list of staff from the LAN.
CREATE TABLE known_devices (
    token_hash   TEXT PRIMARY KEY NOT NULL CHECK (length(token_hash) = 64),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX known_devices_last_seen ON known_devices (last_seen_at);
