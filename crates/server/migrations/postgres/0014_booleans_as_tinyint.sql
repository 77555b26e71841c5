-- PostgreSQL twin of ../sqlite/0014_booleans_as_tinyint.sql: there SQLite's
-- BOOLEAN columns are declared TINYINT so that one driver reads both
-- databases. PostgreSQL has a real boolean type and keeps it; nothing changes.
SELECT 1;
