//! Reads a migrated schema out of SQLite's and PostgreSQL's catalogs into
//! one shape, so the two can be compared name by name: tables and their
//! columns (type family, NOT NULL, default), primary and unique keys,
//! foreign keys, the indexes the migrations create, and triggers. Also
//! dumps every row of a table as text, for comparing contents.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use sqlx::Row;

#[derive(Debug, Default)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
    /// Indexes made by CREATE INDEX (not those behind a key constraint).
    pub indexes: BTreeMap<String, Index>,
    /// (table, trigger)
    pub triggers: BTreeSet<(String, String)>,
}

#[derive(Debug, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    /// ("primary key" | "unique", columns)
    pub keys: BTreeSet<(&'static str, Vec<String>)>,
    /// (columns, referenced table, referenced columns)
    pub foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>)>,
}

#[derive(Debug, PartialEq)]
pub struct Column {
    pub name: String,
    /// "int8", "text", "boolean", "real"; "any" for an FTS5 column;
    /// a PostgreSQL type with no SQLite twin as PostgreSQL names it.
    pub family: String,
    pub not_null: bool,
    /// The default as written, lower case, without PostgreSQL's `::type`.
    pub default: Option<String>,
}

#[derive(Debug, PartialEq)]
pub struct Index {
    pub table: String,
    pub unique: bool,
    pub partial: bool,
    /// Key columns; `lower(c)` for a NOCASE column or a lower() expression,
    /// `<expr>` for any other expression.
    pub columns: Vec<String>,
}

fn default_of(d: Option<String>) -> Option<String> {
    d.map(|d| match d.find("::") {
        Some(i) => d[..i].to_lowercase(),
        None => d.to_lowercase(),
    })
}

pub async fn sqlite(pool: &SqlitePool) -> Schema {
    let mut schema = Schema::default();
    // `shadow` tables are FTS5's own storage; `virtual` is the FTS5 table.
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual')
           AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for name in names {
        let mut t = Table::default();
        let cols = sqlx::query(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for c in &cols {
            let col: String = c.get("name");
            let family = match c.get::<String, _>("type").to_uppercase().as_str() {
                "INTEGER" | "BIGINT" => "int8",
                "TEXT" => "text",
                "BOOLEAN" | "TINYINT" => "boolean",
                "REAL" => "real",
                "" => "any",
                other => panic!("{name}.{col}: unexpected SQLite type {other}"),
            };
            let in_pk: i64 = c.get("pk");
            if in_pk > 0 {
                pk.push((in_pk, col.clone()));
            }
            t.columns.push(Column {
                name: col,
                family: family.into(),
                // SQLite lets NULL into a non-integer primary key unless it
                // says NOT NULL (a historical quirk); PostgreSQL never does,
                // and the store never writes one. Key columns count as NOT NULL.
                not_null: c.get::<i64, _>("notnull") == 1 || in_pk > 0,
                default: default_of(c.get("dflt_value")),
            });
        }
        pk.sort();
        if !pk.is_empty() {
            t.keys
                .insert(("primary key", pk.into_iter().map(|(_, c)| c).collect()));
        }
        let idx = sqlx::query(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?) ORDER BY name",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        for i in idx {
            let iname: String = i.get("name");
            let keys = sqlx::query(
                "SELECT name, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
            )
            .bind(&iname)
            .fetch_all(pool)
            .await
            .unwrap();
            let columns: Vec<String> = keys
                .iter()
                .map(|k| match k.get::<Option<String>, _>("name") {
                    Some(c) if k.get::<String, _>("coll").eq_ignore_ascii_case("NOCASE") => {
                        format!("lower({c})")
                    }
                    Some(c) => c,
                    None => "<expr>".into(),
                })
                .collect();
            match i.get::<String, _>("origin").as_str() {
                "c" => {
                    schema.indexes.insert(
                        iname,
                        Index {
                            table: name.clone(),
                            unique: i.get::<i64, _>("unique") == 1,
                            partial: i.get::<i64, _>("partial") == 1,
                            columns,
                        },
                    );
                }
                "u" => {
                    t.keys.insert(("unique", columns));
                }
                _ => {
                    t.keys.insert(("primary key", columns));
                }
            }
        }
        let fks = sqlx::query(
            "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, (Vec<String>, String, Vec<String>)> = BTreeMap::new();
        for f in fks {
            let e = by_id
                .entry(f.get("id"))
                .or_insert_with(|| (vec![], f.get("table"), vec![]));
            e.0.push(f.get("from"));
            e.2.push(f.get("to"));
        }
        t.foreign_keys = by_id.into_values().collect();
        schema.tables.insert(name, t);
    }
    let triggers = sqlx::query("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        .fetch_all(pool)
        .await
        .unwrap();
    schema.triggers = triggers
        .iter()
        .map(|r| (r.get("tbl_name"), r.get("name")))
        .collect();
    schema
}

pub async fn postgres(pool: &PgPool) -> Schema {
    let mut schema = Schema::default();
    let cols = sqlx::query(
        "SELECT c.table_name::text AS tbl, c.column_name::text AS col, c.data_type::text AS ty,
                c.is_nullable = 'NO' AS not_null, c.column_default::text AS dflt
         FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
           AND c.table_name <> '_sqlx_migrations'
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for c in cols {
        let family = match c.get::<String, _>("ty").as_str() {
            "bigint" => "int8".to_string(),
            "text" => "text".into(),
            "boolean" => "boolean".into(),
            "double precision" => "real".into(),
            other => other.into(),
        };
        schema
            .tables
            .entry(c.get("tbl"))
            .or_default()
            .columns
            .push(Column {
                name: c.get("col"),
                family,
                not_null: c.get("not_null"),
                default: default_of(c.get("dflt")),
            });
    }
    // Keys and foreign keys, columns in constraint order.
    let cons = sqlx::query(
        "SELECT t.relname::text AS tbl, c.contype::text AS kind,
                ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
                r.relname::text AS ref_tbl,
                ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS ref_cols
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_namespace ns ON ns.oid = t.relnamespace
         LEFT JOIN pg_class r ON r.oid = c.confrelid
         WHERE ns.nspname = 'public' AND c.contype IN ('p', 'u', 'f') AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for c in cons {
        let t = schema.tables.entry(c.get("tbl")).or_default();
        let cols: Vec<String> = c.get("cols");
        match c.get::<String, _>("kind").as_str() {
            "p" => t.keys.insert(("primary key", cols)),
            "u" => t.keys.insert(("unique", cols)),
            _ => t
                .foreign_keys
                .insert((cols, c.get("ref_tbl"), c.get("ref_cols"))),
        };
    }
    // Indexes not made for a constraint; an expression key as its text.
    let idx = sqlx::query(
        "SELECT ic.relname::text AS name, t.relname::text AS tbl, i.indisunique AS is_unique,
                i.indpred IS NOT NULL AS partial,
                ARRAY(SELECT CASE WHEN k.n = 0 THEN pg_get_indexdef(i.indexrelid, k.o::int, true)
                                  ELSE (SELECT a.attname::text FROM pg_attribute a
                                        WHERE a.attrelid = i.indrelid AND a.attnum = k.n) END
                      FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o) ORDER BY k.o) AS cols
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace ns ON ns.oid = t.relnamespace
         WHERE ns.nspname = 'public' AND t.relname <> '_sqlx_migrations'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for i in idx {
        let columns = i
            .get::<Vec<String>, _>("cols")
            .into_iter()
            .map(|c| {
                let plain = c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
                let lower_of_column = c.starts_with("lower(")
                    && c.ends_with(')')
                    && c[6..c.len() - 1]
                        .chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
                if plain || lower_of_column {
                    c
                } else {
                    "<expr>".into()
                }
            })
            .collect();
        schema.indexes.insert(
            i.get("name"),
            Index {
                table: i.get("tbl"),
                unique: i.get("is_unique"),
                partial: i.get("partial"),
                columns,
            },
        );
    }
    let triggers = sqlx::query(
        "SELECT c.relname::text AS tbl, t.tgname::text AS name FROM pg_trigger t
         JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
         WHERE ns.nspname = 'public' AND NOT t.tgisinternal",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    schema.triggers = triggers
        .iter()
        .map(|r| (r.get("tbl"), r.get("name")))
        .collect();
    schema
}

/// Every row of `table` in SQLite, each value as text (NULL as None),
/// sorted. Booleans are stored as 1 and 0.
pub async fn sqlite_rows(
    pool: &SqlitePool,
    table: &str,
    cols: &[Column],
) -> Vec<Vec<Option<String>>> {
    let list: Vec<String> = cols
        .iter()
        .map(|c| format!("CAST(\"{}\" AS TEXT)", c.name))
        .collect();
    let sql = format!("SELECT {} FROM \"{table}\"", list.join(", "));
    let rows = sqlx::query(&sql).fetch_all(pool).await.unwrap();
    let mut out: Vec<Vec<Option<String>>> = rows
        .iter()
        .map(|r| (0..cols.len()).map(|i| r.get(i)).collect())
        .collect();
    out.sort();
    out
}

/// The same for PostgreSQL, booleans written as SQLite stores them.
pub async fn postgres_rows(
    pool: &PgPool,
    table: &str,
    cols: &[Column],
) -> Vec<Vec<Option<String>>> {
    let list: Vec<String> = cols
        .iter()
        .map(|c| match c.family.as_str() {
            "boolean" => format!(
                "CASE WHEN \"{0}\" THEN '1' WHEN NOT \"{0}\" THEN '0' END",
                c.name
            ),
            _ => format!("CAST(\"{}\" AS TEXT)", c.name),
        })
        .collect();
    let sql = format!("SELECT {} FROM \"{table}\"", list.join(", "));
    let rows = sqlx::query(&sql).fetch_all(pool).await.unwrap();
    let mut out: Vec<Vec<Option<String>>> = rows
        .iter()
        .map(|r| (0..cols.len()).map(|i| r.get(i)).collect())
        .collect();
    out.sort();
    out
}
