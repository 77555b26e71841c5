//! Deterministic demo data: a programme, tiers, rewards, members with 13
//! months of purchases and a ledger that reconciles (earn, spend, reverse,
//! expire, pending), plus the three demo sign-ins. Same seed and day, same data.

use chrono::{DateTime, Utc};
use patron_core::auth::Role;
use patron_core::ledger::{plan_debit, plan_expiry, Lot};
use patron_core::summary::{TierBasis, TierRef, TierWindow};
use patron_core::tiers::{progress, Activity, TierPolicy};
use patron_core::time::zone;

/// The demo sign-ins: (email, password, role, name).
pub const DEMO_ACCOUNTS: [(&str, &str, Role, &str); 5] = [
    (
        "member@patron.test",
        "patron-member",
        Role::Member,
        "Li Wei",
    ),
    (
        "admin@patron.test",
        "patron-admin",
        Role::Admin,
        "Ada Admin",
    ),
    (
        "support@patron.test",
        "patron-support",
        Role::Support,
        "Sam Support",
    ),
    (
        "kai@patron.test",
        "patron-support",
        Role::Support,
        "Kai Lin",
    ),
    (
        "noor@patron.test",
        "patron-support",
        Role::Support,
        "Noor Haddad",
    ),
];

pub const PROGRAMME_NAME: &str = "Lotus Rewards";
pub const TIME_ZONE: &str = "Asia/Shanghai";
pub const PENDING_DAYS: i64 = 14;
pub const EXPIRY_MONTHS: i64 = 12;

/// The seeded tiers: (name, threshold in points earned over 12 months, colour).
pub const TIERS: [(&str, i64, &str); 4] = [
    ("Jade", 0, "#3f8f6b"),
    ("Silver", 2_000, "#8a94a6"),
    ("Gold", 6_000, "#c79a2b"),
    ("Platinum", 15_000, "#5b5f97"),
];

/// The seeded rewards.
/// Perks per seeded tier, one per line in storage.
pub const TIER_PERKS: [&[&str]; 4] = [
    &["1 point per ¥1", "Birthday bonus 200 points"],
    &[
        "1.25 points per ¥1",
        "Free delivery twice a year",
        "Birthday bonus 300 points",
    ],
    &[
        "1.5 points per ¥1",
        "Free delivery",
        "Early access to sales",
        "Birthday bonus 500 points",
    ],
    &[
        "1.75 points per ¥1",
        "Free delivery",
        "Priority support",
        "Lounge pass each year",
        "Birthday bonus 800 points",
    ],
];

/// A seeded reward: (name, description, category, cost, stock, per-member
/// limit, index of the lowest tier allowed).
pub type SeedReward = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<i64>,
    Option<i64>,
    Option<usize>,
);

pub const REWARDS: [SeedReward; 8] = [
    (
        "¥10 voucher",
        "Ten yuan off your next order",
        "voucher",
        1_000,
        None,
        None,
        None,
    ),
    (
        "¥50 voucher",
        "Fifty yuan off orders over ¥200",
        "voucher",
        4_500,
        None,
        None,
        None,
    ),
    (
        "Free delivery",
        "Free delivery on one order",
        "service",
        600,
        None,
        Some(4),
        None,
    ),
    (
        "Tea gift set",
        "Oolong tasting set",
        "gift",
        3_000,
        Some(500),
        Some(1),
        None,
    ),
    (
        "Cinema tickets",
        "Two tickets, any screening",
        "experience",
        5_000,
        Some(200),
        Some(2),
        Some(1),
    ),
    (
        "Birthday cake",
        "A cake from our bakery partner",
        "gift",
        2_500,
        Some(300),
        Some(1),
        None,
    ),
    (
        "Lounge pass",
        "Airport lounge day pass",
        "experience",
        9_000,
        Some(100),
        Some(1),
        Some(2),
    ),
    (
        "Spa weekend",
        "Two nights for two",
        "experience",
        40_000,
        Some(10),
        Some(1),
        Some(3),
    ),
];

const REGIONS: [(&str, &[&str]); 5] = [
    ("East", &["Shanghai", "Hangzhou", "Nanjing", "Suzhou"]),
    ("North", &["Beijing", "Tianjin", "Shijiazhuang"]),
    ("South", &["Guangzhou", "Shenzhen", "Xiamen"]),
    ("West", &["Chengdu", "Chongqing", "Xi'an"]),
    ("Central", &["Wuhan", "Changsha", "Zhengzhou"]),
];
const AGE_BANDS: [&str; 6] = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"];
const GENDERS: [&str; 3] = ["female", "male", "undisclosed"];
const OCCUPATIONS: [&str; 6] = [
    "office",
    "professional",
    "student",
    "service",
    "self-employed",
    "retired",
];
const EDUCATION: [&str; 4] = ["secondary", "vocational", "bachelor", "postgraduate"];
/// (category, earn multiplier in %, weight).
const CATEGORIES: [(&str, i64, u64); 5] = [
    ("groceries", 100, 40),
    ("apparel", 150, 20),
    ("electronics", 100, 15),
    ("home", 100, 15),
    ("beauty", 200, 10),
];
const SURNAMES: [&str; 12] = [
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
];
const GIVEN: [&str; 16] = [
    "Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Jun", "Hui", "Tao", "Xin", "Ping", "Hao", "Ling",
    "Qiang", "Mei", "Yu",
];

/// splitmix64: tiny, fast and the same on every platform and version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    pub fn pick_str(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// A member row.
#[derive(Debug, Clone)]
pub struct MemberRec {
    pub id: i64,
    pub card_number: String,
    pub name: String,
    pub email: String,
    pub region: &'static str,
    pub city: &'static str,
    pub age_band: &'static str,
    pub gender: &'static str,
    pub occupation: &'static str,
    pub education: &'static str,
    pub joined_at: i64,
    pub tier_id: i64,
    pub last_purchase_at: Option<i64>,
}

/// A purchase row.
#[derive(Debug, Clone)]
pub struct PurchaseRec {
    pub id: i64,
    pub member_id: i64,
    pub order_ref: String,
    pub amount_minor: i64,
    pub category: &'static str,
    pub purchased_at: i64,
}

/// A ledger row.
#[derive(Debug, Clone)]
pub struct EntryRec {
    pub id: i64,
    pub member_id: i64,
    pub kind: &'static str,
    pub points: i64,
    pub created_at: i64,
    pub available_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub purchase_id: Option<i64>,
    pub ref_entry_id: Option<i64>,
    pub reason: String,
}

/// A lot allocation row.
#[derive(Debug, Clone, Copy)]
pub struct AllocRec {
    pub entry_id: i64,
    pub lot_id: i64,
    pub points: i64,
}

/// A redemption row.
#[derive(Debug, Clone)]
pub struct RedemptionRec {
    pub id: i64,
    pub member_id: i64,
    pub reward_id: i64,
    pub entry_id: i64,
    pub code: String,
    pub status: &'static str,
    pub created_at: i64,
    pub cost_points: i64,
    pub expires_at: i64,
}

/// Rows for a slice of members, written together.
#[derive(Debug, Default)]
pub struct Batch {
    pub members: Vec<MemberRec>,
    pub purchases: Vec<PurchaseRec>,
    pub entries: Vec<EntryRec>,
    pub allocs: Vec<AllocRec>,
    pub redemptions: Vec<RedemptionRec>,
}

/// Ids handed out in order, so allocations can name their lots.
#[derive(Debug, Default)]
pub struct Ids {
    purchase: i64,
    entry: i64,
    redemption: i64,
}

impl Ids {
    fn purchase(&mut self) -> i64 {
        self.purchase += 1;
        self.purchase
    }
    fn entry(&mut self) -> i64 {
        self.entry += 1;
        self.entry
    }
    fn redemption(&mut self) -> i64 {
        self.redemption += 1;
        self.redemption
    }
}

/// The tiers as the seed creates them (ids 1..).
pub fn seeded_tiers() -> Vec<TierRef> {
    TIERS
        .iter()
        .enumerate()
        .map(|(i, (name, threshold, colour))| TierRef {
            id: i as i64 + 1,
            name: name.to_string(),
            threshold: *threshold,
            colour: colour.to_string(),
        })
        .collect()
}

/// The seeded tier policy.
pub fn seeded_policy() -> TierPolicy {
    TierPolicy {
        basis: TierBasis::PointsEarned,
        window: TierWindow::RollingMonths { months: 12 },
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn same_seed_same_members_and_ledgers_reconcile() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap();
        let gen = |seed| {
            let mut ids = Ids::default();
            let mut b = Batch::default();
            for id in 1..=200 {
                generate_member(id, seed, now, &mut ids, &mut b);
            }
            b
        };
        let a = gen(7);
        let b = gen(7);
        assert_eq!(a.entries.len(), b.entries.len());
        assert_eq!(
            a.members.iter().map(|m| &m.name).collect::<Vec<_>>(),
            b.members.iter().map(|m| &m.name).collect::<Vec<_>>()
        );
        // Each negative entry is fully allocated; no lot is overdrawn.
        for e in a.entries.iter().filter(|e| e.points < 0) {
            let allocated: i64 = a
                .allocs
                .iter()
                .filter(|x| x.entry_id == e.id)
                .map(|x| x.points)
                .sum();
            assert_eq!(allocated, -e.points, "entry {} allocated", e.id);
        }
        for lot in a.entries.iter().filter(|e| e.points > 0) {
            let used: i64 = a
                .allocs
                .iter()
                .filter(|x| x.lot_id == lot.id)
                .map(|x| x.points)
                .sum();
            assert!(used <= lot.points);
        }
        let kinds: std::collections::BTreeSet<_> = a.entries.iter().map(|e| e.kind).collect();
        for k in ["earn", "spend", "expire", "reverse"] {
            assert!(kinds.contains(k), "seed has {k} entries");
        }
        let c = gen(8);
        assert_ne!(
            a.members.iter().map(|m| &m.name).collect::<Vec<_>>(),
            c.members.iter().map(|m| &m.name).collect::<Vec<_>>()
        );
    }
}
