-- The admin console: the tier policy in full, tier locks and history,
-- earning rules, basket lines and returns, API keys, reward details and
-- code pools, and an append-only audit log.

ALTER TABLE programme ADD COLUMN tier_recalc TEXT NOT NULL DEFAULT 'nightly'
    CHECK (tier_recalc IN ('on_activity', 'nightly', 'fixed_date'));
-- 'MM-DD' when tier_recalc = 'fixed_date'.
ALTER TABLE programme ADD COLUMN tier_recalc_date TEXT;
ALTER TABLE programme ADD COLUMN tier_downgrade TEXT NOT NULL DEFAULT 'recalculate'
    CHECK (tier_downgrade IN ('drop_one', 'recalculate'));
ALTER TABLE programme ADD COLUMN tier_grace_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE programme ADD COLUMN expiry_rule TEXT NOT NULL DEFAULT 'months'
    CHECK (expiry_rule IN ('never', 'months', 'end_of_next_year'));

ALTER TABLE tiers ADD COLUMN icon TEXT NOT NULL DEFAULT '';

ALTER TABLE members ADD COLUMN tier_lock_reason TEXT;
ALTER TABLE members ADD COLUMN tier_lock_until BIGINT;
ALTER TABLE members ADD COLUMN tier_lock_by INTEGER REFERENCES users(id);
-- Set when recalculation first finds the member below their tier and a
-- grace period applies; the downgrade happens on or after it.
ALTER TABLE members ADD COLUMN downgrade_due_at BIGINT;
ALTER TABLE members ADD COLUMN block_reason TEXT;
CREATE INDEX members_joined ON members(joined_at);
CREATE INDEX members_region ON members(region);
CREATE INDEX members_name ON members(name COLLATE NOCASE);

CREATE TABLE tier_runs (
    id INTEGER PRIMARY KEY,
    trigger TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users(id),
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    members BIGINT NOT NULL,
    up BIGINT NOT NULL,
    down BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    in_grace BIGINT NOT NULL,
    locked BIGINT NOT NULL
);

CREATE TABLE tier_history (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    from_tier_id INTEGER REFERENCES tiers(id),
    to_tier_id INTEGER NOT NULL REFERENCES tiers(id),
    reason TEXT NOT NULL,
    run_id INTEGER REFERENCES tier_runs(id),
    at BIGINT NOT NULL
);
CREATE INDEX tier_history_member ON tier_history(member_id, at);

CREATE TABLE earning_rules (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- The rule's parameters as JSON (core::earning::RuleKind).
    params TEXT NOT NULL,
    priority INTEGER NOT NULL,
    stop_further BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    starts_at BIGINT,
    ends_at BIGINT
);
-- The rules that reproduce how the demo data earned: 1 point per whole
-- yuan, apparel ×1.5, beauty ×2, the tier multiplier, and the bonuses.
INSERT INTO earning_rules (name, kind, params, priority) VALUES
    ('1 point per ¥1', 'base', '{"kind":"base","points_per_unit":1,"unit_minor":100}', 0),
    ('Apparel ×1.5', 'category', '{"kind":"category","category":"apparel","multiplier_pct":150}', 10),
    ('Beauty ×2', 'category', '{"kind":"category","category":"beauty","multiplier_pct":200}', 10),
    ('Tier multiplier', 'tier_multiplier', '{"kind":"tier_multiplier"}', 20),
    ('Welcome bonus', 'sign_up', '{"kind":"sign_up","points":100}', 30),
    ('Birthday bonus', 'birthday', '{"kind":"birthday","points":200}', 31),
    ('Referral bonus', 'referral', '{"kind":"referral","friend_points":500,"referrer_points":500}', 32);

-- A purchase's basket; purchases.amount_minor is the sum and
-- purchases.category the largest line's category.
CREATE TABLE purchase_lines (
    id INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id),
    category TEXT NOT NULL,
    amount_minor BIGINT NOT NULL
);
CREATE INDEX purchase_lines_purchase ON purchase_lines(purchase_id);
ALTER TABLE purchases ADD COLUMN returned_minor BIGINT NOT NULL DEFAULT 0;

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

ALTER TABLE rewards ADD COLUMN reward_type TEXT NOT NULL DEFAULT 'custom'
    CHECK (reward_type IN ('discount_percent', 'discount_amount', 'free_shipping', 'gift', 'custom'));
ALTER TABLE rewards ADD COLUMN value BIGINT;
ALTER TABLE rewards ADD COLUMN visible_from BIGINT;
ALTER TABLE rewards ADD COLUMN visible_until BIGINT;
ALTER TABLE rewards ADD COLUMN segment_id INTEGER;
ALTER TABLE rewards ADD COLUMN code_source TEXT NOT NULL DEFAULT 'generated'
    CHECK (code_source IN ('generated', 'pool'));
ALTER TABLE rewards ADD COLUMN image_url TEXT;

CREATE TABLE reward_codes (
    id INTEGER PRIMARY KEY,
    reward_id INTEGER NOT NULL REFERENCES rewards(id),
    code TEXT NOT NULL,
    redemption_id INTEGER REFERENCES redemptions(id),
    UNIQUE (reward_id, code)
);
CREATE INDEX reward_codes_free ON reward_codes(reward_id, redemption_id);
CREATE INDEX redemptions_reward ON redemptions(reward_id, created_at);

-- Every admin write. Append-only, like the ledger.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor_user_id INTEGER REFERENCES users(id),
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    before_json TEXT,
    after_json TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX audit_at ON audit_log(at, id);
CREATE INDEX audit_entity ON audit_log(entity, at);
CREATE INDEX audit_actor ON audit_log(actor_user_id, at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log rows are append-only'); END;

-- What a recorded transaction answered, so that posting the same order
-- again answers the same (and earns nothing more).
ALTER TABLE purchases ADD COLUMN earn_result TEXT;
