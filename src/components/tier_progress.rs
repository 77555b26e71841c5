//! Tier badge, progress to the next tier and what it takes to keep this one.

use leptos::prelude::*;
use patron_core::colour::ink_on;
use patron_core::summary::TierProgress;
use patron_core::tiers::percent_to_next;

use crate::format::{date, number};
use crate::i18n::*;

/// The member's tier and where it is going.
#[component]
pub fn TierProgressCard(
    /// Progress from the summary.
    progress: TierProgress,
    /// IANA zone to show deadlines in.
    time_zone: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let p = progress;
    let pct = percent_to_next(&p);
    let current = p.current.name.clone();
    let qualifying = p.qualifying;
    let l = move || i18n.get_locale();

    let next_line = match (p.next.clone(), p.to_next, p.next_by) {
        (None, _, _) => view! { {t!(i18n, tier.top)} }.into_any(),
        (Some(n), gap, Some(by)) => {
            let tz = time_zone.clone();
            let points = move || number(l(), gap.unwrap_or(0));
            let d = move || date(l(), by, &tz);
            let tier = move || n.name.clone();
            view! { {t!(i18n, tier.to_next, points = points, date = d, tier = tier)} }.into_any()
        }
        (Some(n), gap, None) => {
            let points = move || number(l(), gap.unwrap_or(0));
            let tier = move || n.name.clone();
            view! { {t!(i18n, tier.to_next_open, points = points, tier = tier)} }.into_any()
        }
    };

    let keep_line = if p.locked {
        Some(view! { {t!(i18n, tier.locked)} }.into_any())
    } else {
        match (p.to_keep, p.keep_by) {
            (Some(k), Some(by)) => {
                let tz = time_zone.clone();
                let d = move || date(l(), by, &tz);
                let name = p.current.name.clone();
                let tier = move || name.clone();
                Some(if k > 0 {
                    let points = move || number(l(), k);
                    view! { {t!(i18n, tier.to_keep, points = points, date = d, tier = tier)} }
                        .into_any()
                } else {
                    view! { {t!(i18n, tier.secured, tier = tier, date = d)} }.into_any()
                })
            }
            _ => None,
        }
    };
    let q = move || number(l(), qualifying);
    view! {
        <section class="card tier-card" aria-labelledby="tier-heading">
            <h2 id="tier-heading">{t!(i18n, tier.heading)}</h2>
            <p class="tier-badge" style:--tier-colour=p.current.colour.clone() style:--tier-ink=ink_on(&p.current.colour) data-testid="tier-name">
                {current}
            </p>
            <p class="hint">{t!(i18n, tier.qualifying, points = q)}</p>
            <progress
                class="tier-progress"
                max="100"
                value=pct
                aria-label=move || t_string!(i18n, tier.progress_label).to_string()
                data-testid="tier-progress"
            >
                {format!("{pct}%")}
            </progress>
            <p class="tier-next" data-testid="to-next">{next_line}</p>
            {keep_line.map(|k| view! { <p class="tier-keep" data-testid="to-keep">{k}</p> })}
        </section>
    }
}
