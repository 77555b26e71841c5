//! A campaign's report: per arm (each variant, members still waiting for
//! the A/B winner, the holdout) the funnel sent → opened → clicked →
//! converted with revenue and unsubscribes, and the like-for-like measure
//! of who bought within the click window of when theirs went (or would
//! have); from those, the conversion lift over the holdout with its 95 %
//! interval, incremental revenue, ROI and the leading variant. Counting is
//! done by the database; attribution (last touch across every campaign the
//! member was sent) by `patron_core::campaigns::attribute`.

use std::collections::{HashMap, HashSet};

use patron_core::campaigns::{
    attribute, incremental_revenue, lift, roi, variant_letter, winner, Arm, ArmReport, Campaign,
    CampaignReport, LiftInterval, Touch, TouchKind, Windows, WinnerMetric,
};
use sqlx::Row;

use crate::store::db;
use crate::store::Store;

/// Per arm code, a count from `sql` (its columns: `arm`, `n`).
async fn per_arm(store: &Store, sql: &str, id: i64) -> Result<HashMap<i64, i64>, sqlx::Error> {
    let rows = db::query(sql).bind(id).fetch_all(&store.pool).await?;
    Ok(rows.iter().map(|r| (r.get("arm"), r.get("n"))).collect())
}

/// The campaign's messages with their members' arms.
const SENT: &str = "FROM messages m JOIN campaign_members cm
        ON cm.campaign_id = m.campaign_id AND cm.member_id = m.member_id
     WHERE m.campaign_id = ?";

impl Store {
    /// The report of campaign `c` as of now.
    pub async fn campaign_report(&self, c: &Campaign) -> Result<CampaignReport, sqlx::Error> {
        let id = c.id;
        let members = per_arm(
            self,
            "SELECT arm, COUNT(*) AS n FROM campaign_members WHERE campaign_id = ? GROUP BY arm",
            id,
        )
        .await?;
        let sent = per_arm(
            self,
            &format!("SELECT cm.arm, COUNT(*) AS n {SENT} AND m.status IN ('sent', 'captured') GROUP BY cm.arm"),
            id,
        )
        .await?;
        let event = |kind: &str| {
            format!(
                "SELECT cm.arm, COUNT(DISTINCT m.id) AS n {SENT}
                   AND EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id AND e.kind = '{kind}')
                 GROUP BY cm.arm"
            )
        };
        let opened = per_arm(self, &event("open"), id).await?;
        let clicked = per_arm(self, &event("click"), id).await?;
        let unsubscribed = per_arm(
            self,
            &format!(
                "SELECT cm.arm, COUNT(DISTINCT m.member_id) AS n {SENT}
                   AND EXISTS (SELECT 1 FROM consents k WHERE k.message_id = m.id AND NOT k.granted)
                 GROUP BY cm.arm"
            ),
            id,
        )
        .await?;
        let bought = self.campaign_purchases(id).await?;

        let mut codes: Vec<i64> = members.keys().copied().collect();
        codes.sort_by_key(|&c| if c < 0 { 100 - c } else { c });
        let get = |m: &HashMap<i64, i64>, code: i64| m.get(&code).copied().unwrap_or(0);
        let arms: Vec<ArmReport> = codes
            .iter()
            .map(|&code| {
                let b = bought.get(&code).copied().unwrap_or_default();
                ArmReport {
                    arm: match Arm::from_code(code) {
                        Some(Arm::Variant(v)) => variant_letter(v).to_string(),
                        Some(Arm::Rest) => "waiting".into(),
                        _ => "holdout".into(),
                    },
                    members: get(&members, code),
                    sent: get(&sent, code),
                    opened: get(&opened, code),
                    clicked: get(&clicked, code),
                    unsubscribed: get(&unsubscribed, code),
                    converted: b.converted,
                    revenue_minor: b.revenue,
                    purchasers: b.purchasers,
                    purchase_revenue_minor: b.window_revenue,
                }
            })
            .collect();

        let holdout = Arm::Holdout.code();
        let treated = arms.iter().zip(&codes).filter(|(_, &c)| c != holdout);
        let (t_n, t_buyers, t_rev) = treated.fold((0, 0, 0), |(n, x, r), (a, _)| {
            (
                n + a.members,
                x + a.purchasers,
                r + a.purchase_revenue_minor,
            )
        });
        let h = codes.iter().position(|&c| c == holdout).map(|i| &arms[i]);
        let (h_n, h_buyers, h_rev) = h.map_or((0, 0, 0), |a| {
            (a.members, a.purchasers, a.purchase_revenue_minor)
        });
        let conversion_lift = lift((t_buyers as u64, t_n as u64), (h_buyers as u64, h_n as u64))
            .map(|l| LiftInterval {
                estimate: l.estimate,
                low: l.low,
                high: l.high,
            });
        let incremental = incremental_revenue((t_rev, t_n as u64), (h_rev, h_n as u64));
        // Offers (points issued, vouchers) come with the next slice.
        let cost_minor = 0;
        let variants: Vec<(u64, u64)> = (0..c.draft.variants.len() as i64)
            .map(|code| {
                let a = codes.iter().position(|&x| x == code).map(|i| &arms[i]);
                let hits = a.map_or(0, |a| match c.draft.winner_metric {
                    WinnerMetric::ClickRate => a.clicked,
                    WinnerMetric::Conversion => a.converted,
                });
                (hits as u64, a.map_or(0, |a| a.sent) as u64)
            })
            .collect();
        let lead = (variants.len() > 1).then(|| winner(&variants)).flatten();
        Ok(CampaignReport {
            campaign_id: id,
            arms,
            conversion_lift,
            incremental_revenue_minor: incremental,
            cost_minor,
            roi: incremental.and_then(|i| roi(i, cost_minor)),
            leader: lead.map(|(v, _)| v as u8),
            leader_confidence: lead.map(|(_, p)| p),
        })
    }

    /// Per arm: who bought within the click window of their moment, what
    /// they spent then, and the purchases attributed to campaign `id`.
    async fn campaign_purchases(&self, id: i64) -> Result<HashMap<i64, Bought>, sqlx::Error> {
        let w = Windows::default();
        let window = w.click_days * 86_400;
        let rows = db::query(
            "SELECT cm.member_id, cm.arm, cm.due_at, p.purchased_at, p.amount_minor - p.returned_minor AS amount
             FROM campaign_members cm JOIN purchases p ON p.member_id = cm.member_id
             WHERE cm.campaign_id = ? AND p.purchased_at >= cm.due_at ORDER BY cm.member_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        // Touches of any campaign by the members who bought, since the
        // earliest moment one could reach back to a purchase.
        let touched = db::query(
            "SELECT m.member_id, m.campaign_id, e.kind, e.at
             FROM campaign_members cm JOIN messages m ON m.member_id = cm.member_id AND m.campaign_id IS NOT NULL
             JOIN message_events e ON e.message_id = m.id
             WHERE cm.campaign_id = ? AND e.kind IN ('open', 'click') AND e.at >= cm.due_at - ?",
        )
        .bind(id)
        .bind(window)
        .fetch_all(&self.pool)
        .await?;
        let mut touches: HashMap<i64, Vec<Touch>> = HashMap::new();
        for r in &touched {
            touches.entry(r.get("member_id")).or_default().push(Touch {
                campaign_id: r.get("campaign_id"),
                kind: match r.get::<&str, _>("kind") {
                    "click" => TouchKind::Click,
                    _ => TouchKind::Open,
                },
                at: r.get("at"),
            });
        }
        let mut by_arm: HashMap<i64, Bought> = HashMap::new();
        let (mut buyers, mut converts) = (HashSet::new(), HashSet::new());
        for r in &rows {
            let (member, arm): (i64, i64) = (r.get("member_id"), r.get("arm"));
            let (due, at, amount): (i64, i64, i64) =
                (r.get("due_at"), r.get("purchased_at"), r.get("amount"));
            let b = by_arm.entry(arm).or_default();
            if at - due <= window {
                b.window_revenue += amount;
                if buyers.insert(member) {
                    b.purchasers += 1;
                }
            }
            let mine = touches.get(&member).map(Vec::as_slice).unwrap_or(&[]);
            if attribute(at, mine, w) == Some(id) {
                b.revenue += amount;
                if converts.insert(member) {
                    b.converted += 1;
                }
            }
        }
        Ok(by_arm)
    }
}

/// One arm's purchases.
#[derive(Debug, Default, Clone, Copy)]
struct Bought {
    purchasers: i64,
    window_revenue: i64,
    converted: i64,
    revenue: i64,
}
