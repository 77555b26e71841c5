//! The rows the generator produces (members, purchases, ledger entries,
//! lot allocations, redemptions), batched, and the ids it hands out.

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
    pub(super) fn purchase(&mut self) -> i64 {
        self.purchase += 1;
        self.purchase
    }
    pub(super) fn entry(&mut self) -> i64 {
        self.entry += 1;
        self.entry
    }
    pub(super) fn redemption(&mut self) -> i64 {
        self.redemption += 1;
        self.redemption
    }
}
