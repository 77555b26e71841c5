//! What SQLite and PostgreSQL spell differently, in one place (issue 17).
//! The store's statements are portable SQL wherever that costs nothing;
//! the few that cannot be (full-text search, taking the write lock,
//! inserts that skip duplicates, string aggregation) ask [`Dialect`] for
//! their fragment. Which database a store talks to follows from the URL's
//! scheme, or from a connection's backend name inside a transaction.

use sqlx::AnyConnection;

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

    /// `INSERT` that skips rows clashing with a unique key; the statement
    /// ends with [`Dialect::insert_ignore_tail`].
    pub fn insert_ignore(self) -> &'static str {
        match self {
            Self::Sqlite => "INSERT OR IGNORE",
            Self::Postgres => "INSERT",
        }
    }

    /// The end of an [`Dialect::insert_ignore`] statement.
    pub fn insert_ignore_tail(self) -> &'static str {
        match self {
            Self::Sqlite => "",
            Self::Postgres => " ON CONFLICT DO NOTHING",
        }
    }

    /// `expr` values of a group joined by `sep` (a literal without quotes).
    pub fn string_agg(self, expr: &str, sep: &str) -> String {
        match self {
            Self::Sqlite => format!("group_concat({expr}, '{sep}')"),
            Self::Postgres => format!("string_agg(CAST({expr} AS TEXT), '{sep}')"),
        }
    }

    /// A condition that `column` (ticket text) matches the words bound to
    /// the next placeholder, prepared by [`Dialect::search_terms`].
    pub fn text_search(self) -> &'static str {
        match self {
            Self::Sqlite => {
                "f.id IN (SELECT rowid FROM feedback_search WHERE feedback_search MATCH ?)"
            }
            Self::Postgres => {
                "to_tsvector('simple', f.subject || ' ' || f.body) @@ to_tsquery('simple', ?)"
            }
        }
    }

    /// The words of a search box as a query every word of which must match
    /// as a prefix; `None` when nothing searchable is left.
    pub fn search_terms(self, text: &str) -> Option<String> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
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
    }
}
