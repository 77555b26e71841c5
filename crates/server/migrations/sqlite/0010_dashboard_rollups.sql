-- Purchases are facts, like ledger entries: never deleted, never moved to
-- another member or time (returns are recorded in returned_minor). The
-- in-memory activity index (store/activity.rs) relies on it.
CREATE TRIGGER purchases_no_delete BEFORE DELETE ON purchases
BEGIN SELECT RAISE(ABORT, 'purchases are kept'); END;
CREATE TRIGGER purchases_fixed BEFORE UPDATE OF id, member_id, purchased_at ON purchases
BEGIN SELECT RAISE(ABORT, 'a purchase''s member and time are fixed'); END;

-- Points moved per UTC hour and kind, kept by the ledger inserts: the
-- dashboard sums a year from ~35,000 rows instead of ~500,000 entries, and
-- reads the entries themselves only for the part of an hour at a period's
-- edge (time zones with a half-hour offset).
CREATE TABLE ledger_hours (
    hour INTEGER NOT NULL,
    kind TEXT NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (hour, kind)
) WITHOUT ROWID;
INSERT INTO ledger_hours (hour, kind, points)
SELECT created_at / 3600, kind, SUM(points) FROM ledger_entries GROUP BY 1, 2;
CREATE TRIGGER ledger_hours_on_insert AFTER INSERT ON ledger_entries
BEGIN
    INSERT INTO ledger_hours (hour, kind, points) VALUES (NEW.created_at / 3600, NEW.kind, NEW.points)
    ON CONFLICT (hour, kind) DO UPDATE SET points = points + excluded.points;
END;
