-- SQLite has no boolean type: BOOLEAN columns hold 0 and 1. The store reads
-- SQLite and PostgreSQL through one driver (sqlx's Any, issue 17), which
-- cannot map SQLite's declared type "BOOLEAN" and fails on any row that
-- holds such a column. TINYINT holds the same 0 and 1 (INTEGER affinity
-- instead of NUMERIC: the same for 0 and 1) and maps to an integer, which
-- the store reads as a truth value (store/db.rs, `Flag`). PostgreSQL keeps
-- BOOLEAN.
--
-- Only the declared type changes, not the stored data or the file format,
-- so the table definitions are edited in place, as SQLite documents for
-- changes that leave every stored row valid ("Making Other Kinds Of Table
-- Schema Changes", https://www.sqlite.org/lang_altertable.html). The
-- throw-away table at the end moves the schema cookie on, so every open
-- connection reloads the definitions.
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, ' BOOLEAN ', ' TINYINT ')
 WHERE type = 'table' AND sql LIKE '% BOOLEAN %';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_bump (x INTEGER);
DROP TABLE schema_cookie_bump;
