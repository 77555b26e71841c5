-- Ledger rows and their allocations are never edited or deleted.
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER lot_allocations_no_update BEFORE UPDATE ON lot_allocations
BEGIN SELECT RAISE(ABORT, 'lot allocations are append-only'); END;
CREATE TRIGGER lot_allocations_no_delete BEFORE DELETE ON lot_allocations
BEGIN SELECT RAISE(ABORT, 'lot allocations are append-only'); END;
