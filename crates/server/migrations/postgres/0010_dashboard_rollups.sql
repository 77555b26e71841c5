-- PostgreSQL twin of ../sqlite/0010_dashboard_rollups.sql. Differences, and
-- why: triggers are PL/pgSQL (refuse() from 0002 for the "never" rules, same
-- messages; purchases also refuse TRUNCATE); ledger_hours' columns are
-- BIGINT and it has no WITHOUT ROWID (SQLite storage); the upsert names the
-- table in `ledger_hours.points + EXCLUDED.points`.

-- Purchases are facts, like ledger entries: never deleted, never moved to
-- another member or time (returns are recorded in returned_minor). The
-- in-memory activity index (store/activity.rs) relies on it.
CREATE TRIGGER purchases_no_delete BEFORE DELETE ON purchases
FOR EACH ROW EXECUTE FUNCTION refuse('purchases are kept');
CREATE TRIGGER purchases_no_truncate BEFORE TRUNCATE ON purchases
FOR EACH STATEMENT EXECUTE FUNCTION refuse('purchases are kept');
CREATE TRIGGER purchases_fixed BEFORE UPDATE OF id, member_id, purchased_at ON purchases
FOR EACH ROW EXECUTE FUNCTION refuse('a purchase''s member and time are fixed');

-- Points moved per UTC hour and kind, kept by the ledger inserts: the
-- dashboard sums a year from ~35,000 rows instead of ~500,000 entries, and
-- reads the entries themselves only for the part of an hour at a period's
-- edge (time zones with a half-hour offset).
CREATE TABLE ledger_hours (
    hour BIGINT NOT NULL,
    kind TEXT NOT NULL,
    points BIGINT NOT NULL,
    PRIMARY KEY (hour, kind)
);
INSERT INTO ledger_hours (hour, kind, points)
SELECT created_at / 3600, kind, SUM(points) FROM ledger_entries GROUP BY 1, 2;
CREATE FUNCTION ledger_hours_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_hours (hour, kind, points) VALUES (NEW.created_at / 3600, NEW.kind, NEW.points)
    ON CONFLICT (hour, kind) DO UPDATE SET points = ledger_hours.points + EXCLUDED.points;
    RETURN NULL;
END
$$;
CREATE TRIGGER ledger_hours_on_insert AFTER INSERT ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION ledger_hours_on_insert();
