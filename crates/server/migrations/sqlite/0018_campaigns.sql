-- Campaigns to segments, measured against a holdout (issue 19).
--
-- A campaign is edited as a draft; its variants (one to four, each in en
-- and zh) and its schedule are JSON of patron_core::campaigns types.
-- `starts_at` is when the job starts it (for a schedule in members' own
-- zones: the first zone to reach that local time).
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    goal TEXT NOT NULL,
    segment_id INTEGER REFERENCES segments(id) ON DELETE SET NULL,
    segment_name TEXT,
    topic TEXT NOT NULL,
    variants TEXT NOT NULL,
    holdout_percent BIGINT NOT NULL,
    test_percent BIGINT NOT NULL,
    winner_metric TEXT NOT NULL,
    winner_after_hours BIGINT NOT NULL,
    schedule TEXT NOT NULL,
    starts_at BIGINT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'sent', 'cancelled')),
    audience BIGINT,
    held_out BIGINT,
    winner BIGINT,
    created_by INTEGER REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    started_at BIGINT
);
CREATE INDEX campaigns_due ON campaigns(starts_at) WHERE status IN ('scheduled', 'sending');

-- The audience as frozen when the campaign started: each member's arm (-1
-- held out, -2 waiting for the A/B winner, 0… the variant) and when their
-- message goes (or, held out, would have gone).
CREATE TABLE campaign_members (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    arm BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, member_id)
);
CREATE INDEX campaign_members_member ON campaign_members(member_id);

-- A campaign's messages name it (the renderer takes the variant's text,
-- the report counts them).
ALTER TABLE messages ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
CREATE INDEX messages_campaign ON messages(campaign_id, member_id) WHERE campaign_id IS NOT NULL;
