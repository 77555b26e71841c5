//! A campaign as the admin console edits, previews and reads it: its
//! audience (a saved segment, frozen when it is sent), its content (one to
//! four variants, each in English and Chinese), its schedule, its holdout
//! and A/B test shares, and where it stands (draft → scheduled → sending →
//! sent, or cancelled while scheduled).

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::messaging::{TemplateUpdate, Topic};

crate::__wire! {
    /// Where a campaign stands.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum CampaignStatus {
        /// Being written; nothing is frozen.
        Draft,
        /// Will send at its time; can be cancelled.
        Scheduled,
        /// The audience is frozen and messages are going out (or, for an A/B
        /// test, the test share went and the rest waits for the winner).
        Sending,
        /// Every message is queued.
        Sent,
        /// Cancelled before it sent.
        Cancelled,
    }
}

impl CampaignStatus {
    pub const ALL: [CampaignStatus; 5] = [
        CampaignStatus::Draft,
        CampaignStatus::Scheduled,
        CampaignStatus::Sending,
        CampaignStatus::Sent,
        CampaignStatus::Cancelled,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Scheduled => "scheduled",
            CampaignStatus::Sending => "sending",
            CampaignStatus::Sent => "sent",
            CampaignStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

crate::__wire! {
    /// When a campaign sends.
    #[derive(Copy, Eq)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    pub enum Schedule {
        /// As soon as it is scheduled.
        Now,
        /// At one moment for everyone.
        At { at: DateTime<Utc> },
        /// At this local date and time in each member's own time zone (the
        /// programme's for members without one).
        Local { at: NaiveDateTime },
    }
}

crate::__wire! {
    /// What decides an A/B test.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum WinnerMetric {
        /// Members who clicked ÷ members sent.
        ClickRate,
        /// Members with an attributed purchase ÷ members sent.
        Conversion,
    }
}

impl WinnerMetric {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            WinnerMetric::ClickRate => "click_rate",
            WinnerMetric::Conversion => "conversion",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "click_rate" => Some(WinnerMetric::ClickRate),
            "conversion" => Some(WinnerMetric::Conversion),
            _ => None,
        }
    }
}

crate::__wire! {
    /// One variant's content, in both languages (members get theirs).
    pub struct CampaignVariant {
        pub en: TemplateUpdate,
        pub zh: TemplateUpdate,
    }
}

crate::__wire! {
    /// `POST /admin/campaigns` and `PUT /admin/campaigns/{id}` (drafts only).
    pub struct CampaignDraft {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
        pub name: String,
        /// The KPI it aims to move (a dashboard key, e.g. `repeat_purchase_rate`).
        pub goal: String,
        /// The saved segment it goes to; none: every member.
        pub segment_id: Option<i64>,
        /// A marketing topic: `email_offers` or `news`.
        pub topic: Topic,
        /// One to four variants (A, B, C, D).
        pub variants: Vec<CampaignVariant>,
        /// Share of the audience held out, 0–50 %.
        #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 50))]
        pub holdout_percent: u32,
        /// With several variants: the share that tests them, 5–50 %; the
        /// rest gets the winner.
        #[cfg_attr(feature = "openapi", schema(minimum = 5, maximum = 50))]
        pub test_percent: u32,
        pub winner_metric: WinnerMetric,
        /// Hours after the test share is sent that the winner is picked.
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 168))]
        pub winner_after_hours: u32,
        pub schedule: Schedule,
    }
}

crate::__wire! {
    /// A campaign.
    pub struct Campaign {
        pub id: i64,
        pub draft: CampaignDraft,
        pub status: CampaignStatus,
        /// The segment's name when it was chosen (kept if it is deleted).
        pub segment_name: Option<String>,
        /// Members frozen into the audience when it started sending,
        /// holdout included.
        pub audience: Option<i64>,
        /// Of them, held out.
        pub held_out: Option<i64>,
        /// The variant that won the A/B test (0 = A), once picked.
        pub winner: Option<u8>,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        /// When it started sending.
        pub started_at: Option<DateTime<Utc>>,
    }
}

crate::__wire! {
    /// `GET /admin/campaigns/{id}/preview`: who it would reach now and how
    /// many members each rule takes out (quiet hours and the frequency cap
    /// only delay, so they are counted, not removed).
    pub struct CampaignPreview {
        pub audience: i64,
        pub held_out: i64,
        pub no_consent: i64,
        pub suppressed: i64,
        pub will_send: i64,
        /// Of those, members at the weekly cap now: theirs wait.
        pub at_cap: i64,
    }
}

crate::__wire! {
    /// One arm of a campaign's report: a variant, or the holdout.
    pub struct ArmReport {
        /// `A`…`D`, `waiting` (for the A/B winner), or `holdout`.
        pub arm: String,
        pub members: i64,
        pub sent: i64,
        /// Messages a person opened (machine opens left out).
        pub opened: i64,
        pub clicked: i64,
        pub unsubscribed: i64,
        /// Members with a purchase attributed to this campaign (last touch:
        /// a click within 7 days, else an open within 2); the holdout
        /// cannot be touched, so theirs is 0.
        pub converted: i64,
        /// What the attributed purchases came to, minor units.
        pub revenue_minor: i64,
        /// Members who bought within 7 days of when theirs went (or, held
        /// out, would have gone): the like-for-like measure lift uses.
        pub purchasers: i64,
        /// What they spent in those 7 days, minor units.
        pub purchase_revenue_minor: i64,
    }
}

crate::__wire! {
    /// A difference with its 95 % interval.
    pub struct LiftInterval {
        pub estimate: f64,
        pub low: f64,
        pub high: f64,
    }
}

crate::__wire! {
    /// `GET /admin/campaigns/{id}/report`.
    pub struct CampaignReport {
        pub campaign_id: i64,
        pub arms: Vec<ArmReport>,
        /// Share of the treated (everyone not held out) who bought within 7
        /// days − the holdout's share (none without a holdout).
        pub conversion_lift: Option<LiftInterval>,
        pub incremental_revenue_minor: Option<i64>,
        /// Points issued by the campaign × point value + offer cost, minor units.
        pub cost_minor: i64,
        /// (incremental revenue − cost) ÷ cost.
        pub roi: Option<f64>,
        /// The leading variant and the confidence it beats the next.
        pub leader: Option<u8>,
        pub leader_confidence: Option<f64>,
    }
}
