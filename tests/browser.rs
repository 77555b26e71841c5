//! Browser tests (wasm-bindgen-test in headless Chromium): the API error
//! mapping and components mounted into a real DOM.

#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use leptos::prelude::*;
use patron::api::ApiError;
use patron::components::activity_list::ActivityList;
use patron::components::balance_card::BalanceCard;
use patron::components::tier_progress::TierProgressCard;
use patron::components::virtual_list::VirtualList;
use patron::i18n::*;
use patron_core::summary::{
    BalanceBuckets, EntryKind, LedgerEntry, LotState, TierBasis, TierProgress, TierRef, TierWindow,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn error_mapping_follows_status_and_envelope() {
    let body = r#"{"error":{"code":"validation","message":"Enter your email address.","fields":{"email":"Enter your email address."}}}"#;
    let e = ApiError::from_response(422, body);
    assert_eq!(e.message(), "Enter your email address.");
    assert_eq!(
        e.field("email").as_deref(),
        Some("Enter your email address.")
    );
    assert!(!e.is_retryable());

    let creds = r#"{"error":{"code":"invalid_credentials","message":"The email or password is not right."}}"#;
    assert!(matches!(
        ApiError::from_response(401, creds),
        ApiError::InvalidCredentials { .. }
    ));
    let unauth = r#"{"error":{"code":"unauthorized","message":"Sign in to continue."}}"#;
    assert!(matches!(
        ApiError::from_response(401, unauth),
        ApiError::Unauthorized { .. }
    ));
    assert!(matches!(
        ApiError::from_response(403, "{}"),
        ApiError::Forbidden { .. }
    ));
    assert!(matches!(
        ApiError::from_response(404, ""),
        ApiError::NotFound { .. }
    ));
    assert!(matches!(
        ApiError::from_response(409, ""),
        ApiError::Conflict { .. }
    ));
    assert!(matches!(
        ApiError::from_response(429, ""),
        ApiError::RateLimited { .. }
    ));
    // A proxy's HTML error page is still a server error, worth retrying.
    let e = ApiError::from_response(502, "<html>Bad gateway</html>");
    assert!(matches!(e, ApiError::Server { status: 502, .. }));
    assert!(e.is_retryable());
    assert_eq!(e.message(), "The server answered 502.");
}

fn host() -> web_sys::HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

fn text(host: &web_sys::HtmlElement, testid: &str) -> String {
    host.query_selector(&format!("[data-testid={testid}]"))
        .unwrap()
        .unwrap_or_else(|| panic!("{testid} rendered"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn balance_card_shows_every_bucket_formatted() {
    let balance = BalanceBuckets {
        balance: 13_630,
        available: 12_553,
        pending: 1_077,
        expiring_soon: 2_500,
        expiring_soon_at: None,
        lifetime_earned: 20_730,
        spent: 7_100,
        expired: 0,
        adjusted: 0,
    };
    let el = host();
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        view! { <I18nContextProvider><BalanceCard balance=balance.clone() /></I18nContextProvider> }
    });
    assert_eq!(text(&el, "available-points"), "12,553");
    assert_eq!(text(&el, "pending-points"), "1,077");
    assert_eq!(text(&el, "expiring-points"), "2,500");
    assert_eq!(text(&el, "lifetime-points"), "20,730");
    assert_eq!(text(&el, "spent-points"), "7,100");
}

fn tier(id: i64, name: &str, threshold: i64) -> TierRef {
    TierRef {
        id,
        name: name.into(),
        threshold,
        colour: "#c79a2b".into(),
    }
}

#[wasm_bindgen_test]
fn tier_card_says_what_it_takes_to_move_up_and_to_stay() {
    let progress = TierProgress {
        current: tier(3, "Gold", 6_000),
        next: Some(tier(4, "Platinum", 15_000)),
        basis: TierBasis::PointsEarned,
        window: TierWindow::RollingMonths { months: 12 },
        qualifying: 10_500,
        to_next: Some(4_500),
        next_by: Some(Utc.with_ymd_and_hms(2027, 1, 9, 15, 59, 59).unwrap()),
        to_keep: Some(1_200),
        keep_by: Some(Utc.with_ymd_and_hms(2027, 3, 31, 15, 59, 59).unwrap()),
        locked: false,
    };
    let el = host();
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        view! {
            <I18nContextProvider>
                <TierProgressCard progress=progress.clone() time_zone="Asia/Shanghai".to_string() />
            </I18nContextProvider>
        }
    });
    assert_eq!(text(&el, "tier-name"), "Gold");
    // Deadlines are the end of the day in the programme's zone (UTC+8).
    assert_eq!(
        text(&el, "to-next"),
        "4,500 more points by 9 Jan 2027 to reach Platinum"
    );
    assert_eq!(
        text(&el, "to-keep"),
        "1,200 more points by 31 Mar 2027 to keep Gold"
    );
    let bar = el
        .query_selector("[data-testid=tier-progress]")
        .unwrap()
        .unwrap();
    // (10,500 − 6,000) / (15,000 − 6,000) = 50 %
    assert_eq!(bar.get_attribute("value").as_deref(), Some("50"));
}

#[wasm_bindgen_test]
fn activity_list_signs_points_and_shows_an_empty_state() {
    let entries = vec![
        LedgerEntry {
            id: 2,
            kind: EntryKind::Spend,
            points: -1_000,
            created_at: Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap(),
            reason: "Reward: ¥10 voucher".into(),
            available_at: None,
            expires_at: None,
            state: None,
            actor: None,
        },
        LedgerEntry {
            id: 1,
            kind: EntryKind::Earn,
            points: 630,
            created_at: Utc.with_ymd_and_hms(2026, 11, 19, 2, 0, 0).unwrap(),
            reason: "Order SO-00000045".into(),
            available_at: Some(Utc.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap()),
            expires_at: Some(Utc.with_ymd_and_hms(2027, 11, 19, 2, 0, 0).unwrap()),
            state: Some(LotState::Pending),
            actor: None,
        },
    ];
    let el = host();
    let _h = leptos::mount::mount_to(el.clone(), move || {
        view! { <I18nContextProvider><ActivityList entries=entries.clone() time_zone="UTC".to_string() /></I18nContextProvider> }
    });
    let list = text(&el, "activity-list");
    assert!(list.contains("-1,000"), "{list}");
    assert!(list.contains("+630"), "{list}");
    assert!(list.contains("spendable from 3 Dec 2026"), "{list}");

    let empty = host();
    let _h2 = leptos::mount::mount_to(empty.clone(), || {
        view! { <I18nContextProvider><ActivityList entries=vec![] time_zone="UTC".to_string() /></I18nContextProvider> }
    });
    assert!(text(&empty, "activity-empty").starts_with("No activity yet"));
}

#[wasm_bindgen_test]
async fn virtual_list_keeps_the_dom_small_and_asks_for_more_at_the_end() {
    let rows = RwSignal::new((0..100).collect::<Vec<u32>>());
    let asked = RwSignal::new(0u32);
    let el = host();
    let _h = leptos::mount::mount_to(el.clone(), move || {
        view! {
            <VirtualList
                rows=rows
                total=Signal::derive(|| 10_000usize)
                row_height=40.0
                height=400.0
                render=|n: u32| view! { <span>{format!("row {n}")}</span> }
                on_need_more=move || asked.update(|n| *n += 1)
                label="numbers".to_string()
                testid="vl"
            />
        }
    });
    let list = el.query_selector("[data-testid=vl]").unwrap().unwrap();
    let count = || list.query_selector_all("[role=listitem]").unwrap().length();
    // 400 px of 40 px rows: 11 visible + overscan, never the 100 loaded.
    assert!(count() <= 11 + 2 * 6, "{} rows in the DOM", count());
    assert_eq!(asked.get_untracked(), 0);
    // The scroll height reflects all 10,000 rows.
    let spacer: web_sys::HtmlElement = list.first_element_child().unwrap().unchecked_into();
    assert_eq!(
        spacer.style().get_property_value("height").unwrap(),
        "400000px"
    );
    // Scrolling to the end of the loaded rows asks for more.
    let scroller: web_sys::HtmlElement = list.clone().unchecked_into();
    scroller.set_scroll_top(100 * 40 - 400);
    scroller
        .dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    gloo_timers_sleep(50).await;
    assert!(asked.get_untracked() >= 1, "asked for more");
    assert!(count() <= 11 + 2 * 6);
    assert!(list.text_content().unwrap().contains("row 99"));
}

async fn gloo_timers_sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}
