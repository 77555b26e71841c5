//! A ticket as staff see it: triage, SLA figures, its history and the
//! member behind it.

use chrono::{DateTime, Utc};

use crate::feedback::{Ticket, TicketSummary};

use super::sla::{Priority, SlaState};
use super::triage::Agent;

crate::__wire! {
    /// An entry in a ticket's history.
    pub struct TicketEvent {
        pub at: DateTime<Utc>,
        /// Who did it (`None`: the system).
        pub actor: Option<String>,
        /// `created`, `assigned`, `status`, `priority`, `labels`, `replied`, `note`.
        pub action: String,
        pub from: Option<String>,
        pub to: Option<String>,
    }
}

crate::__wire! {
    /// A ticket's SLA figures.
    pub struct TicketSla {
        /// Absent for survey answers that needed no handling.
        pub first_response_due: Option<DateTime<Utc>>,
        pub resolution_due: Option<DateTime<Utc>>,
        pub first_response_at: Option<DateTime<Utc>>,
        pub resolved_at: Option<DateTime<Utc>>,
        pub due_at: Option<DateTime<Utc>>,
        pub state: SlaState,
    }
}

crate::__wire! {
    /// The member behind a ticket, as support needs them.
    pub struct MemberContext {
        pub id: i64,
        pub name: String,
        pub email: String,
        pub card_number: String,
        pub status: String,
        pub tier: Option<String>,
        pub balance: i64,
        /// Sum of all purchases, minor units of `currency`.
        pub lifetime_spend_minor: i64,
        /// The programme's currency (ISO 4217).
        pub currency: String,
        pub purchases: i64,
        pub joined_at: DateTime<Utc>,
        pub last_purchase_at: Option<DateTime<Utc>>,
        /// Median days between their purchases, when they have bought twice.
        pub usual_gap_days: Option<i64>,
        pub vip: bool,
        pub other_tickets: Vec<TicketSummary>,
        pub recent_orders: Vec<OrderSummary>,
    }
}

crate::__wire! {
    /// A purchase, briefly.
    pub struct OrderSummary {
        pub order_ref: String,
        pub amount_minor: i64,
        pub category: String,
        pub purchased_at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// `GET /support/tickets/{id}`: the ticket as staff see it.
    pub struct StaffTicket {
        pub ticket: Ticket,
        pub score: Option<i64>,
        pub priority: Priority,
        pub assignee: Option<Agent>,
        pub labels: Vec<String>,
        pub version: i64,
        pub sla: TicketSla,
        pub history: Vec<TicketEvent>,
        pub member: MemberContext,
    }
}
