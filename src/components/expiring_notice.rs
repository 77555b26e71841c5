//! "N points expire on DATE".

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::format::{date, number};
use crate::i18n::*;

/// A notice about points that expire soon; renders nothing when none do.
#[component]
pub fn ExpiringNotice(
    /// Points expiring within 30 days.
    points: i64,
    /// When the first of them expire.
    at: Option<DateTime<Utc>>,
    /// IANA zone to show the date in.
    time_zone: String,
) -> impl IntoView {
    let i18n = use_i18n();
    at.filter(|_| points > 0).map(|at| {
        let p = move || number(i18n.get_locale(), points);
        let d = move || date(i18n.get_locale(), at, &time_zone);
        view! {
            <p class="notice notice-warn" role="status" data-testid="expiring-notice">
                {t!(i18n, dash.expiring_notice, points = p, date = d)}
            </p>
        }
    })
}
