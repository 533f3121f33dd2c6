-- Staff credentials stay in the restaurant (docs/SECURITY.md): the cloud must hold nothing
-- that lets anyone check a password or PIN guess offline. Pushes carrying hashes are now
-- refused (`rejected: unauthorised_field`); this forgets every hash stored before, in the
-- merged rows and in their per-field stamps. The counters keep their accounts (and send
-- them again sealed with the location key); the `staff_users` projection never held them.
UPDATE sync_rows
SET row = row - 'password_hash' - 'pin_hash',
    field_hlc = field_hlc - 'password_hash' - 'pin_hash'
WHERE entity = 'user';
