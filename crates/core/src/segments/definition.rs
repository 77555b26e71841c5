//! A segment definition: conditions on a member, grouped and joined by
//! AND/OR, with the limits and the validation that keep it (and its SQL)
//! small. How a definition reads is told in [`crate::segments`].

use chrono::NaiveDate;

use crate::analytics::RfmSegment;
use crate::profile::Channel;

crate::__wire! {
    /// How conditions (or groups) combine.
    #[derive(Copy, Eq, Default)]
    #[serde(rename_all = "snake_case")]
    pub enum Join {
        /// AND: every one must hold.
        #[default]
        All,
        /// OR: at least one must hold.
        Any,
    }
}

crate::__wire! {
    /// An inclusive range; either end may be open.
    #[derive(Copy, Eq, Default)]
    pub struct Range {
        #[serde(default)]
        pub min: Option<i64>,
        #[serde(default)]
        pub max: Option<i64>,
    }
}

impl Range {
    pub fn contains(&self, v: i64) -> bool {
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }
}

crate::__wire! {
    /// Which RFM score.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum RfmPart {
        R,
        F,
        M,
    }
}

crate::__wire! {
    /// A member attribute matched against a list of values.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum Attribute {
        Region,
        City,
        AgeBand,
        Gender,
        Occupation,
    }
}

crate::__wire! {
    /// One condition on a member.
    #[derive(Eq)]
    #[serde(tag = "field", rename_all = "snake_case")]
    pub enum Condition {
        /// Days since the last purchase (members who never bought never match).
        Recency { days: Range },
        /// Purchases in the last `window_days`.
        Frequency { window_days: i64, count: Range },
        /// Net spend in the last `window_days`.
        Spend { window_days: i64, minor: Range },
        /// Average order value (net) in the last `window_days`; members with
        /// no order in the window never match.
        AverageOrder { window_days: i64, minor: Range },
        /// Bought in any of these categories in the last `window_days`.
        Category { window_days: i64, any_of: Vec<String> },
        /// An RFM score (1–5) as last computed.
        RfmScore { part: RfmPart, score: Range },
        /// The named RFM segment as last computed.
        RfmSegment { any_of: Vec<RfmSegment> },
        /// The churn-risk score (0–100) as last computed; members who never
        /// bought have none and never match.
        ChurnRisk { score: Range },
        /// At risk (churn score at or above the line) or not.
        AtRisk { value: bool },
        /// In any of these tiers (ids).
        Tier { any_of: Vec<i64> },
        /// Region, city, age band, gender or occupation is one of these.
        Attribute { attribute: Attribute, any_of: Vec<String> },
        /// Joined between these dates (inclusive, programme time zone).
        Joined {
            #[serde(default)]
            from: Option<NaiveDate>,
            #[serde(default)]
            to: Option<NaiveDate>,
        },
        /// Birthday in one of these months (1–12).
        BirthdayMonth { any_of: Vec<u8> },
        /// Current consent for a channel.
        OptIn { channel: Channel, value: bool },
        /// Available points balance (pending points not included).
        Balance { points: Range },
    }
}

crate::__wire! {
    /// Conditions joined by `join`.
    #[derive(Eq, Default)]
    pub struct Group {
        #[serde(default)]
        pub join: Join,
        pub conditions: Vec<Condition>,
    }
}

crate::__wire! {
    /// A segment definition: groups joined by `join`.
    #[derive(Eq, Default)]
    pub struct SegmentDefinition {
        #[serde(default)]
        pub join: Join,
        pub groups: Vec<Group>,
    }
}

/// Limits that keep a definition (and its SQL) small.
pub const MAX_GROUPS: usize = 10;
pub const MAX_CONDITIONS: usize = 20;
pub const MAX_VALUES: usize = 50;
pub const MAX_WINDOW_DAYS: i64 = 3_660;

impl SegmentDefinition {
    /// What is wrong with the definition, as (field path, message); empty
    /// when it can be evaluated. Paths look like `groups[0].conditions[1]`.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.groups.len() > MAX_GROUPS {
            out.push(("groups".into(), format!("Use at most {MAX_GROUPS} groups.")));
        }
        for (gi, g) in self.groups.iter().enumerate() {
            if g.conditions.len() > MAX_CONDITIONS {
                out.push((
                    format!("groups[{gi}]"),
                    format!("Use at most {MAX_CONDITIONS} conditions in a group."),
                ));
            }
            for (ci, c) in g.conditions.iter().enumerate() {
                if let Some(msg) = condition_problem(c) {
                    out.push((format!("groups[{gi}].conditions[{ci}]"), msg.into()));
                }
            }
        }
        out
    }

    /// A definition of one group with one condition.
    pub fn single(c: Condition) -> Self {
        SegmentDefinition {
            join: Join::All,
            groups: vec![Group {
                join: Join::All,
                conditions: vec![c],
            }],
        }
    }
}

fn range_problem(r: &Range, lo: i64, hi: i64) -> Option<&'static str> {
    if r.min.is_none() && r.max.is_none() {
        return Some("Give a lowest or a highest value (or both).");
    }
    if r.min.into_iter().chain(r.max).any(|v| v < lo || v > hi) {
        return Some("A value is out of range.");
    }
    if let (Some(a), Some(b)) = (r.min, r.max) {
        if a > b {
            return Some("The lowest value is above the highest.");
        }
    }
    None
}

fn window_problem(d: i64) -> Option<&'static str> {
    (!(1..=MAX_WINDOW_DAYS).contains(&d)).then_some("The window is 1 to 3,660 days.")
}

fn list_problem<T>(v: &[T]) -> Option<&'static str> {
    if v.is_empty() {
        Some("Choose at least one value.")
    } else if v.len() > MAX_VALUES {
        Some("Choose at most 50 values.")
    } else {
        None
    }
}

fn text_list_problem(v: &[String]) -> Option<&'static str> {
    list_problem(v).or_else(|| {
        v.iter()
            .any(|s| s.trim().is_empty() || s.len() > 100)
            .then_some("Values must be 1 to 100 characters.")
    })
}

const MONEY_MAX: i64 = 1_000_000_000_000;

fn condition_problem(c: &Condition) -> Option<&'static str> {
    match c {
        Condition::Recency { days } => range_problem(days, 0, 100_000),
        Condition::Frequency { window_days, count } => {
            window_problem(*window_days).or_else(|| range_problem(count, 0, 1_000_000))
        }
        Condition::Spend { window_days, minor }
        | Condition::AverageOrder { window_days, minor } => {
            window_problem(*window_days).or_else(|| range_problem(minor, 0, MONEY_MAX))
        }
        Condition::Category {
            window_days,
            any_of,
        } => window_problem(*window_days).or_else(|| text_list_problem(any_of)),
        Condition::RfmScore { score, .. } => range_problem(score, 1, 5),
        Condition::RfmSegment { any_of } => list_problem(any_of),
        Condition::ChurnRisk { score } => range_problem(score, 0, 100),
        Condition::AtRisk { .. } | Condition::OptIn { .. } => None,
        Condition::Tier { any_of } => list_problem(any_of),
        Condition::Attribute { any_of, .. } => text_list_problem(any_of),
        Condition::Joined { from, to } => match (from, to) {
            (None, None) => Some("Give a start or an end date (or both)."),
            (Some(a), Some(b)) if a > b => Some("The start is after the end."),
            _ => None,
        },
        Condition::BirthdayMonth { any_of } => list_problem(any_of).or_else(|| {
            any_of
                .iter()
                .any(|m| !(1..=12).contains(m))
                .then_some("Months are 1 to 12.")
        }),
        Condition::Balance { points } => range_problem(points, i64::MIN / 2, i64::MAX / 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_definition_round_trips_as_json_a_client_could_write() {
        let json = r#"{"join":"all","groups":[{"join":"any","conditions":[
            {"field":"at_risk","value":true},
            {"field":"tier","any_of":[3]},
            {"field":"spend","window_days":365,"minor":{"min":10000}},
            {"field":"attribute","attribute":"age_band","any_of":["25-34"]},
            {"field":"opt_in","channel":"email_offers","value":true},
            {"field":"joined","from":"2025-01-01"}
        ]}]}"#;
        let d: SegmentDefinition = serde_json::from_str(json).unwrap();
        assert_eq!(d.groups[0].join, Join::Any);
        assert_eq!(d.groups[0].conditions.len(), 6);
        assert!(d.problems().is_empty());
        let back: SegmentDefinition =
            serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn problems_point_at_the_condition() {
        let d = SegmentDefinition {
            join: Join::All,
            groups: vec![Group {
                join: Join::All,
                conditions: vec![
                    Condition::Tier { any_of: vec![1] },
                    Condition::Spend {
                        window_days: 0,
                        minor: Range {
                            min: Some(1),
                            max: None,
                        },
                    },
                    Condition::RfmScore {
                        part: RfmPart::R,
                        score: Range {
                            min: Some(4),
                            max: Some(2),
                        },
                    },
                    Condition::BirthdayMonth { any_of: vec![13] },
                    Condition::Recency {
                        days: Range::default(),
                    },
                ],
            }],
        };
        let p = d.problems();
        let paths: Vec<&str> = p.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "groups[0].conditions[1]",
                "groups[0].conditions[2]",
                "groups[0].conditions[3]",
                "groups[0].conditions[4]"
            ]
        );
        assert_eq!(p[1].1, "The lowest value is above the highest.");
        assert!(SegmentDefinition::default().problems().is_empty());
    }

    #[test]
    fn ranges_are_inclusive_and_may_be_open() {
        let r = Range {
            min: Some(2),
            max: Some(4),
        };
        assert!(r.contains(2) && r.contains(4) && !r.contains(5) && !r.contains(1));
        assert!(Range {
            min: None,
            max: Some(0)
        }
        .contains(-5));
    }
}
