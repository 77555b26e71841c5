-- Patron reference schema. Portable SQL (SQLite now, PostgreSQL next):
-- integer ids, BIGINT unix-second timestamps, money and points as integers.

CREATE TABLE programme (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    -- Money value of one point in 1/100 of a minor unit (50 = half a cent).
    point_value_centi_minor BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    tier_basis TEXT NOT NULL CHECK (tier_basis IN ('points_earned', 'amount_spent')),
    tier_window TEXT NOT NULL CHECK (tier_window IN ('rolling_months', 'calendar_year', 'lifetime')),
    tier_window_months INTEGER,
    pending_days INTEGER NOT NULL,
    expiry_months INTEGER
);

CREATE TABLE tiers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    rank INTEGER NOT NULL UNIQUE,
    threshold BIGINT NOT NULL,
    earn_multiplier_pct INTEGER NOT NULL,
    colour TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    card_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    region TEXT NOT NULL,
    city TEXT NOT NULL,
    age_band TEXT NOT NULL,
    gender TEXT NOT NULL,
    occupation TEXT NOT NULL,
    education TEXT NOT NULL,
    joined_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
    tier_id INTEGER NOT NULL REFERENCES tiers(id),
    tier_locked_id INTEGER REFERENCES tiers(id),
    last_purchase_at BIGINT
);
CREATE INDEX members_tier ON members(tier_id);
CREATE INDEX members_last_purchase ON members(last_purchase_at);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'admin', 'support')),
    password_hash TEXT NOT NULL,
    member_id INTEGER UNIQUE REFERENCES members(id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);

-- Only a hash of the session token is stored: a copy of the database does
-- not let anyone sign in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE purchases (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    order_ref TEXT NOT NULL UNIQUE,
    amount_minor BIGINT NOT NULL,
    category TEXT NOT NULL,
    purchased_at BIGINT NOT NULL
);
CREATE INDEX purchases_member ON purchases(member_id, purchased_at);

-- Append-only: a mistake is corrected by a new entry referencing the old one.
CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL CHECK (kind IN ('earn', 'spend', 'adjust', 'expire', 'reverse')),
    points BIGINT NOT NULL CHECK (points <> 0),
    created_at BIGINT NOT NULL,
    available_at BIGINT,
    expires_at BIGINT,
    purchase_id INTEGER REFERENCES purchases(id),
    ref_entry_id INTEGER REFERENCES ledger_entries(id),
    reason TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users(id)
);
CREATE INDEX ledger_member_time ON ledger_entries(member_id, created_at, id);

-- Which lots (positive entries) each negative entry consumed.
CREATE TABLE lot_allocations (
    entry_id INTEGER NOT NULL REFERENCES ledger_entries(id),
    lot_id INTEGER NOT NULL REFERENCES ledger_entries(id),
    points BIGINT NOT NULL CHECK (points > 0),
    PRIMARY KEY (entry_id, lot_id)
);
CREATE INDEX lot_allocations_lot ON lot_allocations(lot_id);

CREATE TABLE rewards (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    cost_points BIGINT NOT NULL CHECK (cost_points > 0),
    stock BIGINT,
    per_member_limit INTEGER,
    min_tier_id INTEGER REFERENCES tiers(id),
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE redemptions (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    reward_id INTEGER NOT NULL REFERENCES rewards(id),
    entry_id INTEGER NOT NULL REFERENCES ledger_entries(id),
    code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('issued', 'used', 'expired', 'cancelled')),
    created_at BIGINT NOT NULL
);
CREATE INDEX redemptions_member ON redemptions(member_id, created_at);
