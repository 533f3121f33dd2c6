-- Sign-in lockouts: one counter per scope (an account's email, a client address), raised
-- under a row lock in the same transaction that decides whether the attempt may be
-- checked (see dysa_domain::lockout). The old one-row-per-failure table was counted, then
-- the password checked, then the failure written: parallel guesses all read the same
-- count. Not tenant data: the scope is known before any tenant is.
CREATE TABLE auth_lockouts (
    scope           text    PRIMARY KEY,
    attempts        integer NOT NULL DEFAULT 0,
    locks           integer NOT NULL DEFAULT 0,
    locked_until_ms bigint,
    last_attempt_ms bigint  NOT NULL DEFAULT 0
);

DROP TABLE auth_failures;
