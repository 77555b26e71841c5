-- Invitations by email; an invitee who joins (with or without the code)
-- is credited to the first member who invited them.
CREATE TABLE referral_invites (
    id INTEGER PRIMARY KEY,
    referrer_id INTEGER NOT NULL REFERENCES members(id),
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (referrer_id, email)
);
CREATE INDEX referral_invites_email ON referral_invites(email);
