//! Who a campaign would reach if it started now, and how many members each
//! rule takes out: the holdout, no consent for its topic, a suppressed
//! address; and how many of those it reaches are at the weekly cap now
//! (theirs would wait, not be dropped). Counted with a handful of
//! set-wide statements, so it stays quick for a whole programme.

use std::collections::HashSet;

use patron_core::campaigns::{arm_of, Arm, Campaign, CampaignPreview};
use patron_core::messaging::CAP_DAYS;
use patron_core::segments::SegmentDefinition;
use sqlx::Row;

use super::start::audience;
use crate::store::db;
use crate::store::segments::Context;
use crate::store::Store;

impl Store {
    /// Campaign `c`'s preview for `definition` (its segment's) as of `cx`.
    pub async fn campaign_preview(
        &self,
        c: &Campaign,
        definition: Option<&SegmentDefinition>,
        cx: Context,
    ) -> Result<CampaignPreview, sqlx::Error> {
        let members = audience(&self.pool, definition, cx).await?;
        let channel = c.draft.topic.as_str();
        let mut yes = HashSet::new();
        let rows =
            db::query("SELECT member_id, granted FROM consents WHERE channel = ? ORDER BY id")
                .bind(channel)
                .fetch_all(&self.pool)
                .await?;
        for r in rows {
            let id: i64 = r.get("member_id");
            match r.get::<db::Flag, _>("granted").0 {
                true => yes.insert(id),
                false => yes.remove(&id),
            };
        }
        let suppressed: HashSet<String> = db::query_scalar("SELECT email FROM suppressions")
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .collect();
        let settings = self.messaging_settings().await?;
        let since = cx.now.timestamp() - CAP_DAYS * 86_400;
        let capped: HashSet<i64> = db::query_scalar(
            "SELECT member_id FROM messages
             WHERE status IN ('sent', 'captured') AND topic NOT IN ('account', 'service') AND sent_at >= ?
             GROUP BY member_id HAVING COUNT(*) >= ?",
        )
        .bind(since)
        .bind(settings.frequency_cap)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .collect();
        let variants = c.draft.variants.len().clamp(1, 4) as u8;
        let mut p = CampaignPreview {
            audience: members.len() as i64,
            held_out: 0,
            no_consent: 0,
            suppressed: 0,
            will_send: 0,
            at_cap: 0,
        };
        // The same stable draw the start makes: these are the members it
        // will hold out.
        for m in &members {
            let arm = arm_of(
                c.id,
                m.id,
                c.draft.holdout_percent,
                c.draft.test_percent,
                variants,
            );
            if arm == Arm::Holdout {
                p.held_out += 1;
            } else if !yes.contains(&m.id) {
                p.no_consent += 1;
            } else if suppressed.contains(&m.email.to_lowercase()) {
                p.suppressed += 1;
            } else {
                p.will_send += 1;
                p.at_cap += i64::from(capped.contains(&m.id));
            }
        }
        Ok(p)
    }
}
