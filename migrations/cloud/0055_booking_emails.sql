-- Booking messages by email (issue 18, Build 5): the address a diner gave with a widget
-- booking, when they accepted messages, kept with their consent — sealed under the
-- tenant's data key (table `booking_consents`, field `email`, the booking's id as the
-- row) with its keyed hash for the opt-out check (`diner_opt_outs`, kind `email`).
-- Until now the address lived only in the booking's sealed notes, for staff.
ALTER TABLE booking_consents
    ADD COLUMN email      bytea,
    ADD COLUMN email_hash bytea,
    ADD CONSTRAINT booking_consents_email_pair CHECK ((email IS NULL) = (email_hash IS NULL));
