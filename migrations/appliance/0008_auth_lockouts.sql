-- Sign-in lockouts: one counter per scope (an account's email, a user's PIN, a client
-- address), raised in the same write transaction that decides whether the attempt may be
-- checked at all (see dysa_domain::lockout). The old one-row-per-failure table was read,
-- then the hash checked, then the failure written: parallel guesses all read the same count.
CREATE TABLE auth_lockouts (
    scope           TEXT    PRIMARY KEY,
    attempts        INTEGER NOT NULL,
    locks           INTEGER NOT NULL,
    locked_until_ms INTEGER,
    last_attempt_ms INTEGER NOT NULL
) STRICT;

DROP TABLE auth_failures;
