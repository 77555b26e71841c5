//! CSV exports: safe fields, and rows streamed a page at a time (segment
//! members, the at-risk list).

use crate::store::db;
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// One CSV field: quoted when needed, and a leading `=`, `+`, `-`, `@`, tab or CR
/// neutralised so a spreadsheet never runs it as a formula.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub(crate) fn iso(t: Option<i64>) -> String {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Rows per page of a CSV export.
pub(crate) const CSV_PAGE: i64 = 5_000;

/// Streams rows as CSV, a page at a time: `page(n, last_id)` gives the
/// query of page `n` (after the row with id `last_id`), at most
/// [`CSV_PAGE`] rows.
/// Each page is read whole and the connection goes back to the pool before
/// the lines are sent, so a slow download never holds the database.
pub(crate) fn csv_response<P, F>(
    filename: &str,
    header_line: &'static str,
    state: &AppState,
    page: P,
    line: F,
) -> Response
where
    P: Fn(i64, Option<i64>) -> db::Builder<'static> + Send + 'static,
    F: Fn(&db::DbRow) -> String + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let pool = state.store.pool.clone();
    tokio::spawn(async move {
        use sqlx::Row;
        if tx.send(Ok(Bytes::from(header_line))).await.is_err() {
            return;
        }
        let (mut n, mut last) = (0, None);
        loop {
            let mut qb = page(n, last);
            let rows = match qb.build().fetch_all(&pool).await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::warn!("CSV export failed: {e}");
                    let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                    return;
                }
            };
            let mut buf = String::with_capacity(rows.len() * 120);
            for r in &rows {
                buf.push_str(&line(r));
            }
            last = rows.last().map(|r| r.get::<i64, _>("id"));
            if !buf.is_empty() && tx.send(Ok(Bytes::from(buf))).await.is_err() {
                return;
            }
            if (rows.len() as i64) < CSV_PAGE {
                return;
            }
            n += 1;
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
