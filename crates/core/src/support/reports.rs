//! The desk's reports: SLA met per agent and priority, and NPS and CSAT
//! (the formulas and the report shapes).

/// Net Promoter Score: % promoters (9–10) − % detractors (0–6). `None`
/// without responses.
pub fn nps(scores: impl IntoIterator<Item = i64>) -> Option<f64> {
    let (mut n, mut pro, mut det) = (0u64, 0u64, 0u64);
    for s in scores {
        n += 1;
        if s >= 9 {
            pro += 1;
        } else if s <= 6 {
            det += 1;
        }
    }
    (n > 0).then(|| (pro as f64 - det as f64) * 100.0 / n as f64)
}

/// CSAT: % of 1–5 ratings that are 4 or 5. `None` without ratings.
pub fn csat(ratings: impl IntoIterator<Item = i64>) -> Option<f64> {
    let (mut n, mut happy) = (0u64, 0u64);
    for r in ratings {
        n += 1;
        if r >= 4 {
            happy += 1;
        }
    }
    (n > 0).then(|| happy as f64 * 100.0 / n as f64)
}

crate::__wire! {
    /// One row of the SLA report.
    pub struct SlaRow {
        /// Agent name or priority; the empty key is the agent row of
        /// tickets no agent holds.
        pub key: String,
        pub tickets: i64,
        pub first_response_met: i64,
        pub first_response_due: i64,
        pub resolution_met: i64,
        pub resolution_due: i64,
        /// % of tickets with a due first response that met it.
        pub first_response_pct: Option<f64>,
        pub resolution_pct: Option<f64>,
        /// Median minutes to first response.
        pub median_first_response_minutes: Option<i64>,
    }
}

crate::__wire! {
    /// `GET /support/reports/sla`.
    pub struct SlaReport {
        pub from: String,
        pub to: String,
        pub by_agent: Vec<SlaRow>,
        pub by_priority: Vec<SlaRow>,
    }
}

crate::__wire! {
    /// NPS and CSAT for one bucket (a week, a tier, an agent).
    pub struct SurveyPoint {
        /// Week (its Monday), tier name or agent name; the empty key is the
        /// agent row of tickets no agent held.
        pub key: String,
        pub nps: Option<f64>,
        pub nps_responses: i64,
        pub csat: Option<f64>,
        pub csat_responses: i64,
    }
}

crate::__wire! {
    /// `GET /support/reports/surveys`.
    pub struct SurveyReport {
        pub from: String,
        pub to: String,
        pub overall: SurveyPoint,
        /// Weeks starting Monday (programme time zone), oldest first.
        pub weekly: Vec<SurveyPoint>,
        pub by_tier: Vec<SurveyPoint>,
        /// CSAT given on resolved tickets, by the agent they were assigned to.
        pub by_agent: Vec<SurveyPoint>,
    }
}
