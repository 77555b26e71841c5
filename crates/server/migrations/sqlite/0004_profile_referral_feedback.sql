-- Member profile and preferences, consent history, referrals, feedback and
-- its threads.
ALTER TABLE members ADD COLUMN birthday TEXT;
ALTER TABLE members ADD COLUMN birthday_set_at BIGINT;
ALTER TABLE members ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE members ADD COLUMN time_zone TEXT;
ALTER TABLE members ADD COLUMN referral_code TEXT;
ALTER TABLE members ADD COLUMN referred_by INTEGER REFERENCES members(id);
CREATE UNIQUE INDEX members_referral_code ON members(referral_code);

-- Append-only: the newest row per (member, channel) is the current choice.
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    channel TEXT NOT NULL CHECK (channel IN ('email_offers', 'birthday_greetings', 'survey_invitations')),
    granted BOOLEAN NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX consents_member ON consents(member_id, channel, at);

CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    referrer_id INTEGER NOT NULL REFERENCES members(id),
    invitee_id INTEGER NOT NULL UNIQUE REFERENCES members(id),
    status TEXT NOT NULL CHECK (status IN ('joined', 'purchased')),
    points_awarded BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX referrals_referrer ON referrals(referrer_id);

CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL CHECK (kind IN ('nps', 'csat', 'complaint', 'suggestion')),
    score INTEGER,
    category TEXT,
    order_ref TEXT,
    subject TEXT NOT NULL,
    desired_resolution TEXT,
    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'waiting', 'resolved', 'closed')),
    priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    assignee_id INTEGER REFERENCES users(id),
    csat_score INTEGER,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE INDEX feedback_member ON feedback(member_id, created_at);
CREATE INDEX feedback_status_created ON feedback(status, created_at);

CREATE TABLE feedback_messages (
    id INTEGER PRIMARY KEY,
    feedback_id INTEGER NOT NULL REFERENCES feedback(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    from_staff BOOLEAN NOT NULL,
    internal BOOLEAN NOT NULL DEFAULT FALSE,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX feedback_messages_thread ON feedback_messages(feedback_id, created_at);
