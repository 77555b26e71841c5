//! A segment definition as one SQL condition over `members m LEFT JOIN
//! member_scores s`, evaluated at a moment in the programme's time zone.

use crate::store::db;
use chrono::{DateTime, Days, Utc};
use chrono_tz::Tz;
use patron_core::segments::{Attribute, Condition, Join, Range, RfmPart, SegmentDefinition};
use patron_core::time::start_of_day;

use crate::store::analytics::scores::segment_name;

const DAY: i64 = 86_400;

/// What a definition is evaluated against.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

/// The FROM clause every segment query uses.
pub const FROM: &str = " FROM members m LEFT JOIN member_scores s ON s.member_id = m.id ";

fn push_range(qb: &mut db::Builder<'static>, expr: &str, r: &Range) {
    qb.push("(1 = 1");
    if let Some(v) = r.min {
        qb.push(format!(" AND {expr} >= ")).push_bind(v);
    }
    if let Some(v) = r.max {
        qb.push(format!(" AND {expr} <= ")).push_bind(v);
    }
    qb.push(")");
}

fn push_list<T>(qb: &mut db::Builder<'static>, expr: &str, values: &[T])
where
    T: Clone + Send + sqlx::Encode<'static, db::Db> + sqlx::Type<db::Db> + 'static,
{
    qb.push(format!("{expr} IN ("));
    let mut sep = qb.separated(", ");
    for v in values {
        sep.push_bind(v.clone());
    }
    qb.push(")");
}

/// `m.id [NOT] IN (members whose purchases in the window satisfy `agg` in
/// `r`)`; members without purchases in the window count as 0 when
/// `absent_is_zero`.
fn push_window_agg(
    qb: &mut db::Builder<'static>,
    since: i64,
    agg: &str,
    r: &Range,
    absent_is_zero: bool,
) {
    let zero_matches = absent_is_zero && r.contains(0);
    qb.push(if zero_matches {
        "m.id NOT IN (SELECT member_id FROM purchases WHERE purchased_at >= "
    } else {
        "m.id IN (SELECT member_id FROM purchases WHERE purchased_at >= "
    });
    qb.push_bind(since);
    qb.push(" GROUP BY member_id HAVING ");
    if zero_matches {
        qb.push("NOT ");
    }
    push_range(qb, agg, r);
    qb.push(")");
}

fn push_condition(qb: &mut db::Builder<'static>, c: &Condition, cx: Context) {
    let now = cx.now.timestamp();
    let since = |d: i64| now - d * DAY;
    match c {
        Condition::Recency { days } => {
            qb.push("(m.last_purchase_at IS NOT NULL");
            if let Some(min) = days.min {
                qb.push(" AND m.last_purchase_at <= ")
                    .push_bind(now - min * DAY);
            }
            if let Some(max) = days.max {
                qb.push(" AND m.last_purchase_at > ")
                    .push_bind(now - (max + 1) * DAY);
            }
            qb.push(")");
        }
        Condition::Frequency { window_days, count } => {
            push_window_agg(qb, since(*window_days), "COUNT(*)", count, true)
        }
        Condition::Spend { window_days, minor } => push_window_agg(
            qb,
            since(*window_days),
            "CAST(SUM(amount_minor - returned_minor) AS BIGINT)",
            minor,
            true,
        ),
        Condition::AverageOrder { window_days, minor } => push_window_agg(
            qb,
            since(*window_days),
            "AVG(amount_minor - returned_minor)",
            minor,
            false,
        ),
        Condition::Category {
            window_days,
            any_of,
        } => {
            qb.push("m.id IN (SELECT member_id FROM purchases WHERE ");
            push_list(qb, "category", any_of);
            qb.push(" AND purchased_at >= ")
                .push_bind(since(*window_days))
                .push(")");
        }
        Condition::RfmScore { part, score } => {
            let col = match part {
                RfmPart::R => "s.r",
                RfmPart::F => "s.f",
                RfmPart::M => "s.m",
            };
            qb.push(format!("({col} IS NOT NULL AND "));
            push_range(qb, col, score);
            qb.push(")");
        }
        Condition::RfmSegment { any_of } => {
            let names: Vec<String> = any_of.iter().map(|s| segment_name(*s)).collect();
            push_list(qb, "s.segment", &names);
        }
        Condition::ChurnRisk { score } => {
            qb.push("(s.churn_score IS NOT NULL AND ");
            push_range(qb, "s.churn_score", score);
            qb.push(")");
        }
        Condition::AtRisk { value: true } => {
            qb.push("s.at_risk");
        }
        Condition::AtRisk { value: false } => {
            qb.push("NOT COALESCE(s.at_risk, FALSE)");
        }
        Condition::Tier { any_of } => push_list(qb, "m.tier_id", any_of),
        Condition::Attribute { attribute, any_of } => {
            let col = match attribute {
                Attribute::Region => "m.region",
                Attribute::City => "m.city",
                Attribute::AgeBand => "m.age_band",
                Attribute::Gender => "m.gender",
                Attribute::Occupation => "m.occupation",
            };
            let v: Vec<String> = any_of.iter().map(|s| s.trim().to_owned()).collect();
            push_list(qb, col, &v);
        }
        Condition::Joined { from, to } => {
            qb.push("(1 = 1");
            if let Some(d) = from {
                qb.push(" AND m.joined_at >= ")
                    .push_bind(start_of_day(*d, cx.tz).timestamp());
            }
            if let Some(d) = to.and_then(|d| d.checked_add_days(Days::new(1))) {
                qb.push(" AND m.joined_at < ")
                    .push_bind(start_of_day(d, cx.tz).timestamp());
            }
            qb.push(")");
        }
        Condition::BirthdayMonth { any_of } => {
            let v: Vec<i64> = any_of.iter().map(|m| *m as i64).collect();
            push_list(qb, "CAST(substr(m.birthday, 6, 2) AS INTEGER)", &v);
        }
        Condition::OptIn { channel, value } => {
            qb.push(
                "COALESCE((SELECT c.granted FROM consents c WHERE c.member_id = m.id AND c.channel = ",
            )
            .push_bind(channel.as_str())
            .push(" ORDER BY c.id DESC LIMIT 1), FALSE) = ")
            .push_bind(*value);
        }
        Condition::Balance { points } => {
            // Available = every entry's points (the trigger-kept running
            // sum) less what is left of lots not yet available: members with
            // no pending lot compare the sum; the few with one are worked
            // out apart.
            let (lo, hi) = (
                points.min.unwrap_or(i64::MIN),
                points.max.unwrap_or(i64::MAX),
            );
            qb.push("((m.ledger_sum BETWEEN ")
                .push_bind(lo)
                .push(" AND ")
                .push_bind(hi)
                .push(
                    " AND m.id NOT IN (SELECT member_id FROM ledger_entries
                     WHERE available_at IS NOT NULL AND available_at > ",
                )
                .push_bind(now)
                .push(
                    " AND points > 0)) OR m.id IN (SELECT e.member_id FROM ledger_entries e
                     JOIN members x ON x.id = e.member_id
                     WHERE e.available_at IS NOT NULL AND e.available_at > ",
                )
                .push_bind(now)
                .push(
                    " AND e.points > 0 GROUP BY e.member_id, x.ledger_sum HAVING x.ledger_sum - CAST(SUM(e.points
                      - COALESCE((SELECT SUM(a.points) FROM lot_allocations a WHERE a.lot_id = e.id), 0)) AS BIGINT)
                     BETWEEN ",
                )
                .push_bind(lo)
                .push(" AND ")
                .push_bind(hi)
                .push("))");
        }
    }
}

/// Pushes the definition as one parenthesised condition (a valid
/// definition: check `problems()` first).
pub fn push_definition(qb: &mut db::Builder<'static>, def: &SegmentDefinition, cx: Context) {
    let joiner = |j: Join| if j == Join::All { " AND " } else { " OR " };
    let groups: Vec<_> = def
        .groups
        .iter()
        .filter(|g| !g.conditions.is_empty())
        .collect();
    if groups.is_empty() {
        qb.push("(1 = 1)");
        return;
    }
    qb.push("(");
    for (gi, g) in groups.iter().enumerate() {
        if gi > 0 {
            qb.push(joiner(def.join));
        }
        qb.push("(");
        for (ci, c) in g.conditions.iter().enumerate() {
            if ci > 0 {
                qb.push(joiner(g.join));
            }
            push_condition(qb, c, cx);
        }
        qb.push(")");
    }
    qb.push(")");
}
