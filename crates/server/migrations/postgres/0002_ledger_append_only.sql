-- PostgreSQL twin of ../sqlite/0002_ledger_append_only.sql: ledger rows and
-- their allocations are never edited or deleted.
-- Differences, and why:
-- * SQLite's `RAISE(ABORT, '…')` becomes one trigger function, `refuse`,
--   that raises its argument as the message (the same text) with SQLSTATE
--   23000 (integrity_constraint_violation; SQLite reports a constraint
--   error too). Later migrations use it for every "never" rule.
-- * TRUNCATE skips row triggers on PostgreSQL (SQLite has none), so the
--   append-only tables also refuse it, with the same message.

CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION refuse('ledger entries are append-only');
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION refuse('ledger entries are append-only');
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
FOR EACH STATEMENT EXECUTE FUNCTION refuse('ledger entries are append-only');
CREATE TRIGGER lot_allocations_no_update BEFORE UPDATE ON lot_allocations
FOR EACH ROW EXECUTE FUNCTION refuse('lot allocations are append-only');
CREATE TRIGGER lot_allocations_no_delete BEFORE DELETE ON lot_allocations
FOR EACH ROW EXECUTE FUNCTION refuse('lot allocations are append-only');
CREATE TRIGGER lot_allocations_no_truncate BEFORE TRUNCATE ON lot_allocations
FOR EACH STATEMENT EXECUTE FUNCTION refuse('lot allocations are append-only');
