-- Reward windows, what a redemption cost and until when its voucher is
-- valid, tier perks, and stored answers for idempotent writes.
ALTER TABLE rewards ADD COLUMN valid_from BIGINT;
ALTER TABLE rewards ADD COLUMN valid_until BIGINT;
ALTER TABLE redemptions ADD COLUMN cost_points BIGINT NOT NULL DEFAULT 0;
ALTER TABLE redemptions ADD COLUMN expires_at BIGINT;
ALTER TABLE tiers ADD COLUMN perks TEXT NOT NULL DEFAULT '';
CREATE INDEX redemptions_member_reward ON redemptions(member_id, reward_id);

-- One row per (caller, key). `state` is 'in_flight' while the first request
-- with the key runs, then 'done' with the answer that every retry gets.
CREATE TABLE idempotency_keys (
    user_id INTEGER NOT NULL REFERENCES users(id),
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
    status_code INTEGER,
    response_body TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);
