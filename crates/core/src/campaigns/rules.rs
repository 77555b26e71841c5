//! What a campaign draft must be before it can be saved: a name, a KPI as
//! its goal, a marketing topic, one to four variants with every part
//! written in both languages, and shares and waits in range. Field → the
//! sentence to show (the server adds merge-field checks and the schedule's
//! "not in the past").

use std::collections::BTreeMap;

use super::types::CampaignDraft;
use crate::kpi::TARGET_KPIS;
use crate::messaging::Topic;

/// Topics a campaign may be sent under.
pub const CAMPAIGN_TOPICS: [Topic; 2] = [Topic::EmailOffers, Topic::News];

/// Most variants in one campaign (A–D).
pub const MAX_VARIANTS: usize = 4;

/// Most of the audience that may be held out.
pub const MAX_HOLDOUT_PERCENT: u32 = 50;

/// The letter of variant `n` (0 = A).
pub fn variant_letter(n: u8) -> char {
    char::from(b'A' + n.min(25))
}

/// Problems with `d`, by field (empty: fine).
pub fn draft_problems(d: &CampaignDraft) -> BTreeMap<String, String> {
    let mut p = BTreeMap::new();
    let mut put = |f: &str, m: &str| {
        p.entry(f.to_string()).or_insert_with(|| m.to_string());
    };
    let name = d.name.trim();
    if name.is_empty() {
        put("name", "Give the campaign a name.");
    } else if name.chars().count() > 120 {
        put("name", "Keep the name under 120 characters.");
    }
    if !TARGET_KPIS.contains(&d.goal.as_str()) {
        put("goal", "Choose the KPI the campaign aims to move.");
    }
    if !CAMPAIGN_TOPICS.contains(&d.topic) {
        put("topic", "A campaign goes out as offers or news.");
    }
    if d.variants.is_empty() || d.variants.len() > MAX_VARIANTS {
        put("variants", "Write one to four variants.");
    }
    for (i, v) in d.variants.iter().enumerate() {
        for (lang, t) in [("en", &v.en), ("zh", &v.zh)] {
            for (part, text, max) in [
                ("subject", &t.subject, 200),
                ("text", &t.text, 20_000),
                ("html", &t.html, 50_000),
            ] {
                let field = format!("variants.{i}.{lang}.{part}");
                if text.trim().is_empty() {
                    put(&field, "Write every part in both languages.");
                } else if text.chars().count() > max {
                    put(&field, "This part is too long.");
                }
            }
        }
    }
    if d.holdout_percent > MAX_HOLDOUT_PERCENT {
        put("holdout_percent", "Hold out at most half of the audience.");
    }
    if d.variants.len() > 1 && !(5..=50).contains(&d.test_percent) {
        put(
            "test_percent",
            "Test the variants on 5 % to 50 % of the audience.",
        );
    }
    if d.variants.len() > 1 && !(1..=168).contains(&d.winner_after_hours) {
        put(
            "winner_after_hours",
            "Pick the winner after 1 to 168 hours.",
        );
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaigns::{CampaignVariant, Schedule, WinnerMetric};
    use crate::messaging::TemplateUpdate;

    fn text(s: &str) -> TemplateUpdate {
        TemplateUpdate {
            subject: s.into(),
            text: s.into(),
            html: s.into(),
        }
    }

    fn draft() -> CampaignDraft {
        CampaignDraft {
            name: "Spring".into(),
            goal: "repeat_purchase_rate".into(),
            segment_id: None,
            topic: Topic::EmailOffers,
            variants: vec![CampaignVariant {
                en: text("Hi"),
                zh: text("你好"),
            }],
            holdout_percent: 10,
            test_percent: 20,
            winner_metric: WinnerMetric::ClickRate,
            winner_after_hours: 4,
            schedule: Schedule::Now,
        }
    }

    #[test]
    fn a_complete_draft_has_no_problems_and_each_gap_is_named_by_its_field() {
        assert!(draft_problems(&draft()).is_empty());
        let mut d = draft();
        d.name = " ".into();
        d.goal = "happiness".into();
        d.topic = Topic::Service;
        d.variants[0].zh.html = "".into();
        d.holdout_percent = 60;
        let p = draft_problems(&d);
        let fields: Vec<&str> = p.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "goal",
                "holdout_percent",
                "name",
                "topic",
                "variants.0.zh.html"
            ]
        );
        let mut d = draft();
        d.variants = vec![d.variants[0].clone(); 5];
        assert!(draft_problems(&d).contains_key("variants"));
        d.variants.truncate(2);
        d.test_percent = 2;
        assert!(draft_problems(&d).contains_key("test_percent"));
        assert_eq!(variant_letter(1), 'B');
    }
}
