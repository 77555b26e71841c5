//! The one seam between the store and its two databases, SQLite (embedded,
//! the default) and PostgreSQL (issue 17). The store talks to both through
//! sqlx's `Any` driver, chosen at start by the URL's scheme, so every
//! statement is written once. Statements use `?` placeholders; [`query`]
//! numbers them `$1`, `$2`, … (both databases read that form) and keeps the
//! numbered text for the life of the process, as the statements are a fixed
//! set. [`Builder`] does the same for statements assembled piece by piece.
//! What cannot be written portably is in [`super::dialect`].

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use sqlx::any::{AnyArguments, AnyTypeInfo, AnyTypeInfoKind, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Any, Arguments, Decode, Encode, Type, ValueRef};

/// The database type every statement runs on.
pub type Db = Any;
/// A pool of connections to either database.
pub type Pool = sqlx::AnyPool;
/// A row from either database.
pub type DbRow = sqlx::any::AnyRow;
/// Values bound to a statement, borrowed for `'q`.
pub type Args<'q> = AnyArguments<'q>;
/// A statement with its values.
pub type Query<'q> = sqlx::query::Query<'q, Db, Args<'q>>;

/// `sql` with its `?` placeholders numbered, for the life of the process.
fn numbered(sql: &str) -> &'static str {
    static CACHE: OnceLock<RwLock<HashMap<Box<str>, &'static str>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(s) = cache.read().expect("statement cache").get(sql) {
        return s;
    }
    let mut n = 0;
    let text: &'static str = Box::leak(number(sql, &mut n).into_boxed_str());
    let mut cache = cache.write().expect("statement cache");
    cache.entry(sql.into()).or_insert(text)
}

/// Rewrites each `?` outside quotes as `$n`, counting on from `*n`; an
/// explicit `?NNN` becomes `$NNN` and the count goes on after it, as in
/// SQLite.
fn number(sql: &str, n: &mut usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '?') => {
                let mut digits = String::new();
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    digits.push(d);
                }
                let k = match digits.parse::<usize>() {
                    Ok(k) => k,
                    Err(_) => *n + 1,
                };
                *n = (*n).max(k);
                out.push('$');
                out.push_str(&k.to_string());
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// A statement to bind values to and run (as `sqlx::query`).
pub fn query<'q>(sql: &str) -> Query<'q> {
    sqlx::query(numbered(sql))
}

/// A statement whose first column is the answer (as `sqlx::query_scalar`).
pub fn query_scalar<'q, O>(sql: &str) -> sqlx::query::QueryScalar<'q, Db, O, Args<'q>>
where
    (O,): for<'r> sqlx::FromRow<'r, DbRow>,
{
    sqlx::query_scalar(numbered(sql))
}

/// A statement whose rows become tuples (as `sqlx::query_as`).
pub fn query_as<'q, O>(sql: &str) -> sqlx::query::QueryAs<'q, Db, O, Args<'q>>
where
    O: for<'r> sqlx::FromRow<'r, DbRow>,
{
    sqlx::query_as(numbered(sql))
}

/// A truth value as either database returns it: PostgreSQL has BOOLEAN,
/// SQLite stores 0 and 1 (and `a = b` is an integer there).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flag(pub bool);

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        ty.kind() == AnyTypeInfoKind::Bool || ty.kind().is_integer()
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.type_info().kind() == AnyTypeInfoKind::Bool {
            <bool as Decode<Any>>::decode(value).map(Flag)
        } else {
            <i64 as Decode<Any>>::decode(value).map(|n| Flag(n != 0))
        }
    }
}

/// Reading truth values from a row of either database.
pub trait RowExt {
    /// The truth value in `column`.
    fn flag(&self, column: &str) -> bool;
}

impl RowExt for DbRow {
    fn flag(&self, column: &str) -> bool {
        sqlx::Row::get::<Flag, _>(self, column).0
    }
}

/// A statement assembled piece by piece (as `sqlx::QueryBuilder`), its
/// placeholders numbered as they are pushed.
#[derive(Default)]
pub struct Builder<'a> {
    sql: String,
    args: Args<'a>,
    n: usize,
}

impl<'a> Builder<'a> {
    /// A statement that starts with `init`.
    pub fn new(init: impl AsRef<str>) -> Self {
        let mut b = Self::default();
        b.push(init);
        b
    }

    /// Appends SQL text (its `?`, if any, are numbered in order).
    pub fn push(&mut self, sql: impl AsRef<str>) -> &mut Self {
        let text = number(sql.as_ref(), &mut self.n);
        self.sql.push_str(&text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'a + Encode<'a, Db> + Type<Db> + Send,
    {
        self.args
            .add(value)
            .expect("a value the Any driver encodes");
        self.n += 1;
        self.sql.push('$');
        self.sql.push_str(&self.n.to_string());
        self
    }

    /// Pieces separated by `sep` (as `QueryBuilder::separated`).
    pub fn separated<'b>(&'b mut self, sep: &'static str) -> Separated<'b, 'a> {
        Separated {
            b: self,
            sep,
            first: true,
        }
    }

    /// ` VALUES (…), (…)`, one tuple per item, filled by `f`.
    pub fn push_values<I, F>(&mut self, items: I, mut f: F) -> &mut Self
    where
        I: IntoIterator,
        F: FnMut(Separated<'_, 'a>, I::Item),
    {
        self.push(" VALUES ");
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push("(");
            f(self.separated(", "), item);
            self.push(")");
        }
        self
    }

    /// ` IN (…)` with a placeholder per item, bound in order (the list
    /// must not be empty).
    pub fn push_in<T>(&mut self, items: impl IntoIterator<Item = T>) -> &mut Self
    where
        T: 'a + Encode<'a, Db> + Type<Db> + Send,
    {
        self.push(" IN (");
        let mut list = self.separated(", ");
        for item in items {
            list.push_bind(item);
        }
        self.push(")")
    }

    /// The SQL so far.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The statement with its values (values bound after this follow on).
    pub fn build(&mut self) -> Query<'_> {
        sqlx::query_with(&self.sql, std::mem::take(&mut self.args))
    }

    /// The same, answering with its first column.
    pub fn build_query_scalar<O>(&mut self) -> sqlx::query::QueryScalar<'_, Db, O, Args<'_>>
    where
        (O,): for<'r> sqlx::FromRow<'r, DbRow>,
    {
        sqlx::query_scalar_with(&self.sql, std::mem::take(&mut self.args))
    }

    /// The same, its rows as tuples.
    pub fn build_query_as<O>(&mut self) -> sqlx::query::QueryAs<'_, Db, O, Args<'_>>
    where
        O: for<'r> sqlx::FromRow<'r, DbRow>,
    {
        sqlx::query_as_with(&self.sql, std::mem::take(&mut self.args))
    }
}

/// Pieces of a [`Builder`] separated by a fixed string.
pub struct Separated<'b, 'a> {
    b: &'b mut Builder<'a>,
    sep: &'static str,
    first: bool,
}

impl<'a> Separated<'_, 'a> {
    fn before(&mut self) {
        if !self.first {
            self.b.push(self.sep);
        }
        self.first = false;
    }

    /// Appends SQL text after a separator.
    pub fn push(&mut self, sql: impl AsRef<str>) -> &mut Self {
        self.before();
        self.b.push(sql);
        self
    }

    /// Appends SQL text without a separator.
    pub fn push_unseparated(&mut self, sql: impl AsRef<str>) -> &mut Self {
        self.b.push(sql);
        self
    }

    /// Appends a placeholder bound to `value` after a separator.
    pub fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'a + Encode<'a, Db> + Type<Db> + Send,
    {
        self.before();
        self.b.push_bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        let mut n = 0;
        assert_eq!(
            number("a = ? AND b = '?' AND c = \"x?\" AND d IN (?, ?)", &mut n),
            "a = $1 AND b = '?' AND c = \"x?\" AND d IN ($2, $3)"
        );
        assert_eq!(n, 3);
        assert_eq!(
            number("e = 'it''s' AND f = ?", &mut n),
            "e = 'it''s' AND f = $4"
        );
        let mut n = 0;
        assert_eq!(
            number("a = ?1 OR b = ?1 AND c = ?2 AND d = ?", &mut n),
            "a = $1 OR b = $1 AND c = $2 AND d = $3"
        );
    }

    #[test]
    fn a_builder_numbers_text_and_binds_in_order() {
        let mut b = Builder::new("SELECT * FROM t WHERE a = ?");
        b.push(" AND b IN (");
        let mut s = b.separated(", ");
        s.push_bind(1_i64).push_bind(2_i64);
        s.push_unseparated(")");
        b.push(" AND c = ?");
        assert_eq!(
            b.sql(),
            "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) AND c = $4"
        );
    }
}
