-- The KPI dashboard reads periods of time across all members: index the
-- time columns (covering what the aggregates read).
CREATE INDEX purchases_time ON purchases(purchased_at, member_id);
CREATE INDEX ledger_time_kind ON ledger_entries(created_at, kind, points);
CREATE INDEX feedback_survey_time ON feedback(kind, created_at, score);
