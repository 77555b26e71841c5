//! One demo member: behaviour class, 13 months of purchases, returns and
//! redemptions, and a ledger that reconciles (earn, spend, reverse, expire,
//! pending), ending in the tier the member holds now.

use chrono::{DateTime, Utc};
use patron_core::ledger::{plan_debit, plan_expiry, Lot};
use patron_core::tiers::{progress, Activity};
use patron_core::time::zone;

use super::accounts::DEMO_ACCOUNTS;
use super::people::{AGE_BANDS, EDUCATION, GENDERS, GIVEN, OCCUPATIONS, REGIONS, SURNAMES};
use super::programme::{seeded_policy, seeded_tiers, EXPIRY_MONTHS, PENDING_DAYS, TIME_ZONE};
use super::rewards::REWARDS;
use super::rng::Rng;
use super::rows::{AllocRec, Batch, EntryRec, Ids, MemberRec, PurchaseRec, RedemptionRec};

/// (category, earn multiplier in %, weight).
const CATEGORIES: [(&str, i64, u64); 5] = [
    ("groceries", 100, 40),
    ("apparel", 150, 20),
    ("electronics", 100, 15),
    ("home", 100, 15),
    ("beauty", 200, 10),
];

#[derive(Clone, Copy)]
enum Event {
    Purchase { idx: usize },
    Return { purchase_idx: usize },
    Spend { reward: usize },
}

fn day(n: f64) -> i64 {
    (n * 86_400.0) as i64
}

/// Generates member `id` and appends its rows to `batch`.
pub fn generate_member(id: i64, seed: u64, now: DateTime<Utc>, ids: &mut Ids, batch: &mut Batch) {
    let mut rng = Rng::new(seed ^ (id as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let first_entry = batch.entries.len();
    let now_s = now.timestamp();
    let demo = id == 1;
    let (region, cities) = *rng.pick(&REGIONS);
    let city = *rng.pick(cities);
    let name = if demo {
        DEMO_ACCOUNTS[0].3.to_string()
    } else {
        format!("{} {}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
    };
    let email = if demo {
        DEMO_ACCOUNTS[0].0.to_string()
    } else {
        format!("member{id}@example.cn")
    };
    let joined_at = now_s
        - if demo {
            day(1100.0)
        } else {
            day(30.0 + rng.unit() * 1070.0)
        };
    // Behaviour classes give the segments something to find.
    let class = if demo { 10 } else { rng.below(10) };
    let (mean_gap, base_amount, stop_days_ago) = match class {
        10 => (7.0, 13_000.0, 0.0), // the demo member: a steady Gold with a long history
        0 => (9.0, 30_000.0, 0.0),  // heavy
        1..=3 => (28.0, 20_000.0, 0.0), // regular
        4..=7 => (80.0, 15_000.0, 0.0), // occasional
        // Lapsed: most were regulars, some heavy buyers who went quiet two
        // to five months ago and still hold a high tier ("can't lose").
        _ if rng.chance(0.6) => (30.0, 18_000.0, 120.0 + rng.unit() * 200.0),
        _ => (9.0, 30_000.0, 60.0 + rng.unit() * 90.0),
    };
    let start = joined_at.max(now_s - day(400.0));
    let stop = now_s - day(stop_days_ago);

    let mut purchases: Vec<(i64, i64, usize)> = Vec::new(); // (at, amount, category)
    let mut t = start + day(rng.unit() * mean_gap);
    while t < stop {
        let amount = (base_amount * (0.3 + rng.unit() * 1.7)) as i64;
        let w = rng.below(100);
        let mut acc = 0;
        let cat = CATEGORIES
            .iter()
            .position(|c| {
                acc += c.2;
                w < acc
            })
            .unwrap_or(0);
        purchases.push((t, amount, cat));
        t += day(mean_gap * (0.4 + rng.unit() * 1.2)).max(3_600);
    }
    if demo {
        // A big order whose points expire within 30 days, and a fresh pending one.
        purchases.push((now_s - day(345.0), 250_000, 0));
        purchases.push((now_s - day(3.0), 42_000, 1));
        purchases.sort_by_key(|p| p.0);
    }

    let mut events: Vec<(i64, Event)> = Vec::new();
    for (idx, (at, _, _)) in purchases.iter().enumerate() {
        events.push((*at, Event::Purchase { idx }));
        if !demo && rng.chance(0.03) {
            let r = at + day(1.0 + rng.unit() * 9.0);
            if r < now_s {
                events.push((r, Event::Return { purchase_idx: idx }));
            }
        }
        let p_spend = if demo { 0.12 } else { 0.22 };
        if rng.chance(p_spend) {
            let s = at + day(1.0 + rng.unit() * 20.0);
            // The demo member stops redeeming before the big order, so its
            // points are still there to expire soon.
            if s < now_s && !(demo && s > now_s - day(346.0)) {
                events.push((
                    s,
                    Event::Spend {
                        reward: rng.below(4) as usize,
                    },
                ));
            }
        }
    }
    events.sort_by_key(|e| e.0);

    let mut lots: Vec<Lot> = Vec::new();
    let mut purchase_ids: Vec<i64> = Vec::new();
    let mut lot_of_purchase: Vec<Option<i64>> = vec![None; purchases.len()];
    let expire_until = |lots: &mut Vec<Lot>, batch: &mut Batch, ids: &mut Ids, until: i64| {
        let until = crate::store::ts(until);
        let mut due = plan_expiry(lots, until);
        due.sort_by_key(|a| {
            lots.iter()
                .find(|l| l.id == a.lot_id)
                .and_then(|l| l.expires_at)
        });
        for a in due {
            let lot = lots
                .iter_mut()
                .find(|l| l.id == a.lot_id)
                .expect("lot exists");
            let at = lot.expires_at.expect("expired lots expire").timestamp();
            lot.used += a.points;
            lot.expired += a.points;
            let eid = ids.entry();
            batch.entries.push(EntryRec {
                id: eid,
                member_id: id,
                kind: "expire",
                points: -a.points,
                created_at: at,
                available_at: None,
                expires_at: None,
                purchase_id: None,
                ref_entry_id: Some(a.lot_id),
                reason: "Points expired".into(),
            });
            batch.allocs.push(AllocRec {
                entry_id: eid,
                lot_id: a.lot_id,
                points: a.points,
            });
        }
    };

    for (at, ev) in events {
        expire_until(&mut lots, batch, ids, at);
        match ev {
            Event::Purchase { idx } => {
                let (pat, amount, cat) = purchases[idx];
                let pid = ids.purchase();
                purchase_ids.push(pid);
                let order_ref = format!("SO-{pid:08}");
                batch.purchases.push(PurchaseRec {
                    id: pid,
                    member_id: id,
                    order_ref: order_ref.clone(),
                    amount_minor: amount,
                    category: CATEGORIES[cat].0,
                    purchased_at: pat,
                });
                // 1 point per whole yuan, times the category multiplier.
                let points = amount / 100 * CATEGORIES[cat].1 / 100;
                if points > 0 {
                    let eid = ids.entry();
                    let available_at = pat + day(PENDING_DAYS as f64);
                    let expires_at = patron_core::time::add_months(
                        crate::store::ts(pat).date_naive(),
                        EXPIRY_MONTHS as i32,
                    )
                    .and_time(crate::store::ts(pat).time())
                    .and_utc()
                    .timestamp();
                    lots.push(Lot {
                        id: eid,
                        points,
                        used: 0,
                        expired: 0,
                        available_at: crate::store::ts(available_at),
                        expires_at: Some(crate::store::ts(expires_at)),
                    });
                    lot_of_purchase[idx] = Some(eid);
                    batch.entries.push(EntryRec {
                        id: eid,
                        member_id: id,
                        kind: "earn",
                        points,
                        created_at: pat,
                        available_at: Some(available_at),
                        expires_at: Some(expires_at),
                        purchase_id: Some(pid),
                        ref_entry_id: None,
                        reason: format!("Order {order_ref}"),
                    });
                }
            }
            Event::Return { purchase_idx } => {
                let Some(lot_id) = lot_of_purchase[purchase_idx] else {
                    continue;
                };
                let lot = lots
                    .iter_mut()
                    .find(|l| l.id == lot_id)
                    .expect("lot exists");
                // Never take back more than is left of what the order earned.
                let take = lot.remaining();
                if take <= 0 {
                    continue;
                }
                lot.used += take;
                let eid = ids.entry();
                batch.entries.push(EntryRec {
                    id: eid,
                    member_id: id,
                    kind: "reverse",
                    points: -take,
                    created_at: at,
                    available_at: None,
                    expires_at: None,
                    purchase_id: Some(purchase_ids[purchase_idx]),
                    ref_entry_id: Some(lot_id),
                    reason: format!("Return of order SO-{:08}", purchase_ids[purchase_idx]),
                });
                batch.allocs.push(AllocRec {
                    entry_id: eid,
                    lot_id,
                    points: take,
                });
            }
            Event::Spend { reward } => {
                let (rname, _, _, cost, _, _, _) = REWARDS[reward];
                let Ok(plan) = plan_debit(&lots, cost, crate::store::ts(at)) else {
                    continue;
                };
                let eid = ids.entry();
                batch.entries.push(EntryRec {
                    id: eid,
                    member_id: id,
                    kind: "spend",
                    points: -cost,
                    created_at: at,
                    available_at: None,
                    expires_at: None,
                    purchase_id: None,
                    ref_entry_id: None,
                    reason: format!("Reward: {rname}"),
                });
                for a in plan {
                    lots.iter_mut()
                        .find(|l| l.id == a.lot_id)
                        .expect("lot")
                        .used += a.points;
                    batch.allocs.push(AllocRec {
                        entry_id: eid,
                        lot_id: a.lot_id,
                        points: a.points,
                    });
                }
                let rid = ids.redemption();
                batch.redemptions.push(RedemptionRec {
                    id: rid,
                    member_id: id,
                    reward_id: reward as i64 + 1,
                    entry_id: eid,
                    code: format!("LR-{id:X}-{rid:06X}"),
                    status: if at < now_s - day(30.0) {
                        "used"
                    } else {
                        "issued"
                    },
                    created_at: at,
                    cost_points: cost,
                    expires_at: at + day(90.0),
                });
            }
        }
    }
    expire_until(&mut lots, batch, ids, now_s);

    let activity: Vec<Activity> = batch.entries[first_entry..]
        .iter()
        .filter(|e| e.kind == "earn" || e.kind == "reverse")
        .map(|e| Activity {
            at: crate::store::ts(e.created_at),
            value: e.points,
        })
        .collect();
    let tier = progress(
        seeded_policy(),
        &seeded_tiers(),
        &activity,
        now,
        zone(TIME_ZONE),
        None,
    );
    batch.members.push(MemberRec {
        id,
        card_number: format!("8800{id:08}"),
        name,
        email,
        region,
        city,
        age_band: rng.pick_str(&AGE_BANDS),
        gender: rng.pick_str(&GENDERS),
        occupation: rng.pick_str(&OCCUPATIONS),
        education: rng.pick_str(&EDUCATION),
        joined_at,
        tier_id: tier.current.id,
        last_purchase_at: purchases.last().map(|p| p.0),
    });
}
