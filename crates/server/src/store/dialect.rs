//! What SQLite and PostgreSQL spell differently, in one place (issue 17).
//! The store's statements are portable SQL wherever that costs nothing;
//! the few that cannot be (full-text search, taking the write lock,
//! inserts that skip duplicates, string aggregation) ask [`Dialect`] for
//! their fragment. Which database a store talks to follows from the URL's
//! scheme, or from a connection's backend name inside a transaction.

use sqlx::{AnyConnection, Executor};

/// The database behind a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Embedded SQLite, the default (`sqlite:`).
    Sqlite,
    /// PostgreSQL 15 or newer (`postgres:` or `postgresql:`).
    Postgres,
}

impl Dialect {
    /// The dialect of a database URL; any other scheme is a configuration
    /// error that names the URL without its password.
    pub fn of_url(url: &str) -> Result<Self, sqlx::Error> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => Ok(Self::Sqlite),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            _ => Err(sqlx::Error::Configuration(
                format!(
                    "unsupported database URL {} (use sqlite://… or postgres://…)",
                    redacted(url)
                )
                .into(),
            )),
        }
    }

    /// The dialect of an open connection (or transaction).
    pub fn of(conn: &AnyConnection) -> Self {
        if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            Self::Sqlite
        } else {
            Self::Postgres
        }
    }

    /// The statement that opens a write transaction: SQLite takes its one
    /// write lock at once; PostgreSQL locks rows as it goes.
    pub fn begin_write(self) -> &'static str {
        match self {
            Self::Sqlite => "BEGIN IMMEDIATE",
            Self::Postgres => "BEGIN",
        }
    }

    /// Appended to a `SELECT` in a write transaction: the rows it reads stay
    /// locked until the end (SQLite's write transaction holds the whole
    /// database already).
    pub fn for_update(self) -> &'static str {
        match self {
            Self::Sqlite => "",
            Self::Postgres => " FOR UPDATE",
        }
    }

    /// After rows were written with explicit ids (the seed does): on
    /// PostgreSQL every identity column's sequence moves past the largest id
    /// in its table, so the next insert does not collide; SQLite always
    /// counts on from the largest rowid.
    pub async fn after_explicit_ids(self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        if self == Self::Postgres {
            conn.execute(
                "DO $$
                 DECLARE c record;
                 BEGIN
                   FOR c IN SELECT table_name AS t, column_name AS col
                              FROM information_schema.columns
                             WHERE table_schema = current_schema() AND is_identity = 'YES'
                   LOOP
                     EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L),
                                            COALESCE((SELECT MAX(%I) FROM %I), 0) + 1, false)',
                                    c.t, c.col, c.col, c.t);
                   END LOOP;
                 END $$",
            )
            .await?;
        }
        Ok(())
    }

    /// The function that picks the smaller of its arguments (SQLite's
    /// `MIN` with two arguments is not an aggregate).
    pub fn least(self) -> &'static str {
        match self {
            Self::Sqlite => "MIN",
            Self::Postgres => "LEAST",
        }
    }

    /// The function that picks the larger of its arguments.
    pub fn greatest(self) -> &'static str {
        match self {
            Self::Sqlite => "MAX",
            Self::Postgres => "GREATEST",
        }
    }

    /// `expr` as it sorts case-insensitively (the members_name index on
    /// both databases serves `m.name`).
    pub fn fold(self, expr: &str) -> String {
        match self {
            Self::Sqlite => format!("{expr} COLLATE NOCASE"),
            Self::Postgres => format!("lower({expr})"),
        }
    }

    /// The start of a case-insensitive `LIKE` on `column`, to be followed by
    /// a lower-case pattern: SQLite's `LIKE` ignores case already (and so
    /// can use a NOCASE index); PostgreSQL's index is on `lower(column)`.
    pub fn like_nocase(self, column: &str) -> String {
        match self {
            Self::Sqlite => format!("{column} LIKE "),
            Self::Postgres => format!("lower({column}) LIKE "),
        }
    }

    /// The `expr` values of a group as one text, joined by `sep`.
    pub fn string_agg(self, expr: &str, sep: char) -> String {
        let sep = sep as u32;
        match self {
            Self::Sqlite => format!("group_concat({expr}, char({sep}))"),
            Self::Postgres => format!("string_agg(CAST({expr} AS TEXT), chr({sep}))"),
        }
    }

    /// An index the planner is told to use (SQLite's `INDEXED BY`, for
    /// queries where its planner guesses wrong); PostgreSQL plans by its
    /// statistics and takes no hints.
    pub fn index_hint(self, index: &str) -> String {
        match self {
            Self::Sqlite => format!("INDEXED BY {index}"),
            Self::Postgres => String::new(),
        }
    }

    /// A condition on `feedback_search` rows (the desk's search index: FTS5
    /// on SQLite, a GIN index of `feedback_search_vector(body)` on
    /// PostgreSQL) that a row holds every word of the terms bound between
    /// the two parts, prepared by [`Dialect::search_terms`].
    pub fn text_search(self) -> (&'static str, &'static str) {
        match self {
            Self::Sqlite => ("feedback_search MATCH ", ""),
            Self::Postgres => (
                "feedback_search_vector(body) @@ to_tsquery('feedback_search_words', ",
                ")",
            ),
        }
    }

    /// The words of a search box (the first eight) as a query every word of
    /// which must match as a word's start; `None` when nothing searchable is
    /// left. Words are letters and digits only, so they need no quoting.
    pub fn search_terms(self, text: &str) -> Option<String> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(8)
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return None;
        }
        Some(match self {
            Self::Sqlite => words
                .iter()
                .map(|w| format!("\"{w}\"*"))
                .collect::<Vec<_>>()
                .join(" "),
            Self::Postgres => words
                .iter()
                .map(|w| format!("{w}:*"))
                .collect::<Vec<_>>()
                .join(" & "),
        })
    }
}

/// Makes money-like writes to one member take turns: on PostgreSQL it locks
/// the member's row until the transaction ends (`SELECT … FOR UPDATE`), so
/// a second redemption, adjustment, purchase or expiry for the same member
/// waits and then reads the balance the first one left. On SQLite the write
/// transaction already holds the database's only write lock.
pub async fn lock_member(conn: &mut AnyConnection, member_id: i64) -> Result<(), sqlx::Error> {
    if Dialect::of(conn) == Dialect::Postgres {
        super::db::query("SELECT id FROM members WHERE id = ? FOR UPDATE")
            .bind(member_id)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Holds off, until the end of the transaction, every other transaction
/// that asks for the same `name` (on PostgreSQL an advisory lock; SQLite's
/// write transaction already excludes every other writer).
pub async fn lock_named(conn: &mut AnyConnection, name: &str) -> Result<(), sqlx::Error> {
    if Dialect::of(conn) == Dialect::Postgres {
        super::db::query("SELECT 1 FROM pg_advisory_xact_lock(hashtext(?))")
            .bind(name)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// SQLite creates the file when the URL does not say otherwise.
pub fn sqlite_create_if_missing(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// `url` with any password replaced by `***`, fit for logs and errors.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, path) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_picks_the_database() {
        assert_eq!(
            Dialect::of_url("sqlite://data/p.db").unwrap(),
            Dialect::Sqlite
        );
        assert_eq!(
            Dialect::of_url("postgres://u@/db?host=/tmp").unwrap(),
            Dialect::Postgres
        );
        assert_eq!(
            Dialect::of_url("postgresql://h/db").unwrap(),
            Dialect::Postgres
        );
        let err = Dialect::of_url("mysql://root:hunter2@db/patron")
            .unwrap_err()
            .to_string();
        assert!(err.contains("mysql://root:***@db/patron"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn search_words_become_prefix_queries() {
        assert_eq!(
            Dialect::Sqlite.search_terms("Late  delivery!").as_deref(),
            Some("\"late\"* \"delivery\"*")
        );
        assert_eq!(
            Dialect::Postgres.search_terms("late delivery").as_deref(),
            Some("late:* & delivery:*")
        );
        assert_eq!(Dialect::Postgres.search_terms(" :&! ").as_deref(), None);
        let many = Dialect::Postgres
            .search_terms("a b c d e f g h i j")
            .unwrap();
        assert_eq!(many.matches(":*").count(), 8, "{many}");
    }
}
