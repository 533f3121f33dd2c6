-- Staff credentials stay in the restaurant (docs/SECURITY.md): a user row travels with its
-- secrets sealed with the location key (`credentials`), never a password or PIN hash in
-- clear. Local accounts keep their hashes here; these columns say which seal the appliance
-- holds for each account, so a pulled account is taken only when its seal is newer, and
-- accounts sealed with no key (or another one) are re-sealed at start.
ALTER TABLE users ADD COLUMN credentials_sealed_at TEXT;
ALTER TABLE users ADD COLUMN credentials_key TEXT;

-- Changes recorded before this version carried the hashes: nothing in the outbox may send
-- them now (the cloud refuses them as `unauthorised_field`). The re-seal at start records
-- each account's sealed credentials instead.
UPDATE outbox
SET payload = json_remove(payload, '$.password_hash', '$.pin_hash')
WHERE entity = 'user';
