//! Plain Rust behind the segment builder and the segment charts, so it is
//! tested natively.

use patron_core::profile::Channel;
use patron_core::segments::{
    Attribute, Condition, Group, Join, Range, RfmCell, RfmPart, SegmentDefinition,
};

/// The kinds of condition the builder offers, in menu order.
pub const CONDITION_KINDS: [&str; 19] = [
    "recency",
    "frequency",
    "spend",
    "average_order",
    "category",
    "rfm_score",
    "rfm_segment",
    "churn_risk",
    "at_risk",
    "tier",
    "region",
    "city",
    "age_band",
    "gender",
    "occupation",
    "joined",
    "birthday_month",
    "opt_in",
    "balance",
];

/// The attribute behind an attribute kind (`region`, `city`, …).
pub fn attribute_of(kind: &str) -> Option<Attribute> {
    Some(match kind {
        "region" => Attribute::Region,
        "city" => Attribute::City,
        "age_band" => Attribute::AgeBand,
        "gender" => Attribute::Gender,
        "occupation" => Attribute::Occupation,
        _ => return None,
    })
}

/// The menu kind of a condition.
pub fn kind_of(c: &Condition) -> &'static str {
    match c {
        Condition::Recency { .. } => "recency",
        Condition::Frequency { .. } => "frequency",
        Condition::Spend { .. } => "spend",
        Condition::AverageOrder { .. } => "average_order",
        Condition::Category { .. } => "category",
        Condition::RfmScore { .. } => "rfm_score",
        Condition::RfmSegment { .. } => "rfm_segment",
        Condition::ChurnRisk { .. } => "churn_risk",
        Condition::AtRisk { .. } => "at_risk",
        Condition::Tier { .. } => "tier",
        Condition::Attribute { attribute, .. } => match attribute {
            Attribute::Region => "region",
            Attribute::City => "city",
            Attribute::AgeBand => "age_band",
            Attribute::Gender => "gender",
            Attribute::Occupation => "occupation",
        },
        Condition::Joined { .. } => "joined",
        Condition::BirthdayMonth { .. } => "birthday_month",
        Condition::OptIn { .. } => "opt_in",
        Condition::Balance { .. } => "balance",
    }
}

fn at_least(v: i64) -> Range {
    Range {
        min: Some(v),
        max: None,
    }
}

/// A new condition of `kind` with sensible starting values (lists start
/// empty: the builder asks for a choice).
pub fn default_condition(kind: &str, rfm_window_days: i64) -> Condition {
    let window = if rfm_window_days > 0 {
        rfm_window_days
    } else {
        365
    };
    if let Some(attribute) = attribute_of(kind) {
        return Condition::Attribute {
            attribute,
            any_of: Vec::new(),
        };
    }
    match kind {
        "recency" => Condition::Recency { days: at_least(90) },
        "frequency" => Condition::Frequency {
            window_days: window,
            count: at_least(2),
        },
        "spend" => Condition::Spend {
            window_days: window,
            minor: at_least(10_000),
        },
        "average_order" => Condition::AverageOrder {
            window_days: window,
            minor: at_least(5_000),
        },
        "category" => Condition::Category {
            window_days: window,
            any_of: Vec::new(),
        },
        "rfm_score" => Condition::RfmScore {
            part: RfmPart::R,
            score: at_least(4),
        },
        "rfm_segment" => Condition::RfmSegment { any_of: Vec::new() },
        "churn_risk" => Condition::ChurnRisk {
            score: at_least(50),
        },
        "tier" => Condition::Tier { any_of: Vec::new() },
        "joined" => Condition::Joined {
            from: None,
            to: None,
        },
        "birthday_month" => Condition::BirthdayMonth { any_of: Vec::new() },
        "opt_in" => Condition::OptIn {
            channel: Channel::EmailOffers,
            value: true,
        },
        "balance" => Condition::Balance {
            points: at_least(1_000),
        },
        _ => Condition::AtRisk { value: true },
    }
}

/// The path `SegmentDraft::problems` uses for a condition.
pub fn condition_path(group: usize, condition: usize) -> String {
    format!("definition.groups[{group}].conditions[{condition}]")
}

/// The message for `path`, if any.
pub fn problem_at(problems: &[(String, String)], path: &str) -> Option<String> {
    problems
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, m)| m.clone())
}

/// A definition with one empty group, for a new segment.
pub fn starting_definition() -> SegmentDefinition {
    SegmentDefinition {
        join: Join::All,
        groups: vec![Group::default()],
    }
}

/// Removes condition `ci` of group `gi`, and the group when it was its last.
pub fn remove_condition(d: &mut SegmentDefinition, gi: usize, ci: usize) {
    if let Some(g) = d.groups.get_mut(gi) {
        if ci < g.conditions.len() {
            g.conditions.remove(ci);
        }
        if g.conditions.is_empty() && d.groups.len() > 1 {
            d.groups.remove(gi);
        }
    }
}

/// The range a condition compares against, if it has one.
pub fn range_mut(c: &mut Condition) -> Option<&mut Range> {
    match c {
        Condition::Recency { days } => Some(days),
        Condition::Frequency { count, .. } => Some(count),
        Condition::Spend { minor, .. } | Condition::AverageOrder { minor, .. } => Some(minor),
        Condition::RfmScore { score, .. } | Condition::ChurnRisk { score } => Some(score),
        Condition::Balance { points } => Some(points),
        _ => None,
    }
}

/// The look-back window of a condition, if it has one.
pub fn window_mut(c: &mut Condition) -> Option<&mut i64> {
    match c {
        Condition::Frequency { window_days, .. }
        | Condition::Spend { window_days, .. }
        | Condition::AverageOrder { window_days, .. }
        | Condition::Category { window_days, .. } => Some(window_days),
        _ => None,
    }
}

/// The text values a condition matches (categories, attributes).
pub fn strings_mut(c: &mut Condition) -> Option<&mut Vec<String>> {
    match c {
        Condition::Category { any_of, .. } | Condition::Attribute { any_of, .. } => Some(any_of),
        _ => None,
    }
}

/// Whether a condition's range is money (typed in major units).
pub fn is_money(c: &Condition) -> bool {
    matches!(c, Condition::Spend { .. } | Condition::AverageOrder { .. })
}

/// A whole number typed in a field; blank (or not a number) is `None`.
pub fn parse_int(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

/// Money typed in major units ("12.50") as minor units (1250).
pub fn parse_money(s: &str) -> Option<i64> {
    let v: f64 = s.trim().replace(',', "").parse().ok()?;
    v.is_finite().then(|| (v * 100.0).round() as i64)
}

/// Minor units as the builder shows them for editing: "12.5", "100".
pub fn money_text(minor: Option<i64>) -> String {
    minor
        .map(|m| {
            if m % 100 == 0 {
                (m / 100).to_string()
            } else {
                format!("{:.2}", m as f64 / 100.0)
            }
        })
        .unwrap_or_default()
}

/// Adds `v` to `list` when `on`, takes it out otherwise (no duplicates).
pub fn toggle<T: PartialEq>(list: &mut Vec<T>, v: T, on: bool) {
    let at = list.iter().position(|x| *x == v);
    match (on, at) {
        (true, None) => list.push(v),
        (false, Some(i)) => {
            list.remove(i);
        }
        _ => {}
    }
}

/// Hands out request numbers and tells whether an answer is for the latest
/// request, so a slow answer to an older question is dropped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Latest(u64);

impl Latest {
    /// The number of a new request (it becomes the latest).
    pub fn issue(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }

    /// Whether `n` is still the latest request.
    pub fn is_latest(&self, n: u64) -> bool {
        self.0 == n
    }
}

/// Rows of cells, `None` where there is no data.
pub type Grid<T> = Vec<Vec<Option<T>>>;

/// The RFM heat map as rows of recency 5 (top) to 1 and columns of
/// frequency 1 to 5: members per cell, and average spend per cell.
pub fn rfm_grid(cells: &[RfmCell]) -> (Grid<f64>, Grid<i64>) {
    let mut members = vec![vec![None; 5]; 5];
    let mut spend = vec![vec![None; 5]; 5];
    for c in cells {
        if (1..=5).contains(&c.r) && (1..=5).contains(&c.f) {
            let (y, x) = (5 - c.r as usize, c.f as usize - 1);
            members[y][x] = Some(c.members as f64);
            spend[y][x] = Some(c.avg_spend_minor);
        }
    }
    (members, spend)
}

/// A distribution's rows as shares (0–1) of the segment and of everyone, so
/// a small segment can be compared with all members.
pub fn shares(rows: &[(String, i64, i64)]) -> (Vec<String>, Vec<f64>, Vec<f64>) {
    let seg: i64 = rows.iter().map(|r| r.1).sum();
    let all: i64 = rows.iter().map(|r| r.2).sum();
    let frac = |n: i64, d: i64| if d > 0 { n as f64 / d as f64 } else { 0.0 };
    (
        rows.iter().map(|r| r.0.clone()).collect(),
        rows.iter().map(|r| frac(r.1, seg)).collect(),
        rows.iter().map(|r| frac(r.2, all)).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use patron_core::segments::SegmentDraft;

    #[test]
    fn every_kind_makes_a_condition_of_that_kind() {
        for k in CONDITION_KINDS {
            assert_eq!(kind_of(&default_condition(k, 365)), k);
        }
    }

    #[test]
    fn problems_are_found_by_the_builders_paths() {
        let mut d = starting_definition();
        d.groups[0].conditions.push(default_condition("tier", 365));
        d.groups[0].conditions.push(default_condition("spend", 365));
        let draft = SegmentDraft {
            name: "x".into(),
            description: String::new(),
            definition: d,
        };
        let p = draft.problems();
        assert!(problem_at(&p, &condition_path(0, 0)).is_some());
        assert!(problem_at(&p, &condition_path(0, 1)).is_none());
    }

    #[test]
    fn removing_the_last_condition_removes_its_group_but_not_the_only_one() {
        let mut d = starting_definition();
        d.groups[0].conditions.push(default_condition("at_risk", 0));
        d.groups.push(Group {
            join: Join::Any,
            conditions: vec![default_condition("recency", 0)],
        });
        remove_condition(&mut d, 1, 0);
        assert_eq!(d.groups.len(), 1);
        remove_condition(&mut d, 0, 0);
        assert_eq!(d.groups.len(), 1);
        assert!(d.groups[0].conditions.is_empty());
    }

    #[test]
    fn money_is_typed_in_major_units() {
        assert_eq!(parse_money("12.50"), Some(1250));
        assert_eq!(parse_money(" 100 "), Some(10_000));
        assert_eq!(parse_money(""), None);
        assert_eq!(money_text(Some(1250)), "12.50");
        assert_eq!(money_text(Some(10_000)), "100");
        assert_eq!(money_text(None), "");
    }

    #[test]
    fn only_the_latest_answer_counts() {
        let mut l = Latest::default();
        let a = l.issue();
        let b = l.issue();
        assert!(!l.is_latest(a));
        assert!(l.is_latest(b));
    }

    #[test]
    fn toggling_keeps_a_list_without_duplicates() {
        let mut v = vec![1, 2];
        toggle(&mut v, 2, true);
        toggle(&mut v, 3, true);
        toggle(&mut v, 1, false);
        assert_eq!(v, vec![2, 3]);
    }

    #[test]
    fn the_rfm_grid_puts_best_recency_on_top() {
        let cells = [RfmCell {
            r: 5,
            f: 1,
            members: 7,
            avg_spend_minor: 900,
        }];
        let (m, s) = rfm_grid(&cells);
        assert_eq!(m[0][0], Some(7.0));
        assert_eq!(s[0][0], Some(900));
        assert_eq!(m[4][4], None);
    }

    #[test]
    fn shares_compare_a_segment_with_everyone() {
        let rows = vec![("a".to_string(), 1, 10), ("b".to_string(), 3, 30)];
        let (l, s, a) = shares(&rows);
        assert_eq!(l, vec!["a", "b"]);
        assert_eq!(s, vec![0.25, 0.75]);
        assert_eq!(a, vec![0.25, 0.75]);
    }
}
