-- Points expire as time passes: a job writes one `expire` entry per lapsed
-- lot for what is left of it. The rules that keep that exact live here, in
-- the schema, not only in the job's code.

-- An expiry names the lot it ends and takes points away.
CREATE TRIGGER ledger_expire_names_its_lot BEFORE INSERT ON ledger_entries
WHEN NEW.kind = 'expire' AND (NEW.ref_entry_id IS NULL OR NEW.points >= 0)
BEGIN SELECT RAISE(ABORT, 'an expire entry takes points from the lot it references'); END;

-- One expiry per lot, ever: a second run, a concurrent run or a rerun after
-- a crash cannot expire a lot twice.
CREATE UNIQUE INDEX ledger_one_expiry_per_lot ON ledger_entries(ref_entry_id) WHERE kind = 'expire';

-- No lot gives more than it holds (spends, returns and expiry alike).
CREATE TRIGGER lot_allocations_within_lot BEFORE INSERT ON lot_allocations
WHEN NEW.points > (SELECT points FROM ledger_entries WHERE id = NEW.lot_id)
    - COALESCE((SELECT SUM(points) FROM lot_allocations WHERE lot_id = NEW.lot_id), 0)
BEGIN SELECT RAISE(ABORT, 'an allocation takes more than is left of the lot'); END;

-- An expiry takes all that is left of its own lot, and its entry says how
-- much: never half a lot.
CREATE TRIGGER lot_allocations_expiry_whole BEFORE INSERT ON lot_allocations
WHEN (SELECT kind FROM ledger_entries WHERE id = NEW.entry_id) = 'expire'
 AND (NEW.lot_id IS NOT (SELECT ref_entry_id FROM ledger_entries WHERE id = NEW.entry_id)
      OR NEW.points <> -(SELECT points FROM ledger_entries WHERE id = NEW.entry_id)
      OR NEW.points <> (SELECT points FROM ledger_entries WHERE id = NEW.lot_id)
          - COALESCE((SELECT SUM(points) FROM lot_allocations WHERE lot_id = NEW.lot_id), 0))
BEGIN SELECT RAISE(ABORT, 'an expiry takes all that is left of its own lot'); END;

-- Finding lapsed lots without reading every entry.
CREATE INDEX ledger_lot_expiry ON ledger_entries(expires_at) WHERE points > 0 AND expires_at IS NOT NULL;

-- Each run of the job, like tier_runs and score_runs, plus its state while
-- it runs. `through` is the instant lots had to lapse by; `scanned_to_id`
-- the newest entry that existed when it began. The next run looks only at
-- lots lapsing after `through` or written after `scanned_to_id`.
CREATE TABLE expiry_runs (
    id INTEGER PRIMARY KEY,
    trigger TEXT NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
    actor_user_id INTEGER REFERENCES users(id),
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    finished_at BIGINT,
    through_at BIGINT NOT NULL,
    scanned_to_id BIGINT NOT NULL,
    lots BIGINT NOT NULL DEFAULT 0,
    members BIGINT NOT NULL DEFAULT 0,
    points BIGINT NOT NULL DEFAULT 0,
    error TEXT
);
-- At most one run at a time, across every server sharing the database.
CREATE UNIQUE INDEX expiry_runs_one_running ON expiry_runs(status) WHERE status = 'running';
