//! Providers and the router.

use leptos::prelude::*;
use leptos_router::components::{Route as RouteView, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;

use crate::api::{self, ApiError};
use crate::components::app_header::AppHeader;
use crate::components::guard::RequireRole;
use crate::components::toast::{ToastRegion, Toasts};
use crate::i18n::*;
use crate::pages::home::HomePage;
use crate::pages::join::JoinPage;
use crate::pages::member::dashboard::DashboardPage;
use crate::pages::member::feedback::FeedbackPage;
use crate::pages::member::history::HistoryPage;
use crate::pages::member::profile::ProfilePage;
use crate::pages::member::referral::ReferralPage;
use crate::pages::member::rewards::RewardsPage;
use crate::pages::member::tickets::{TicketPage, TicketsPage};
use crate::pages::member::tiers::TiersPage;
use crate::pages::member::wallet::WalletPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::sign_in::SignInPage;
use crate::pages::support::queue::SupportQueuePage;
use crate::pages::support::reports::SupportReportsPage;
use crate::pages::support::settings::SupportSettingsPage;
use crate::pages::support::ticket::SupportTicketPage;
use crate::routes::Route;
use crate::state::locale;
use crate::state::session::Session;

/// An admin page: in the console bundle the page itself; in the main
/// bundle a reload that fetches the console (see `pages::console_redirect`).
#[cfg(feature = "console")]
fn admin_page(route: Route) -> AnyView {
    use crate::pages::admin::{
        analytics::at_risk,
        audit, earning, home, member, members, messaging, rewards,
        segments::{self, builder as segment_builder, record as segment},
        settings, staff, tiers,
    };
    match route {
        Route::AdminMembers => view! { <members::AdminMembersPage /> }.into_any(),
        Route::AdminMember => view! { <member::AdminMemberPage /> }.into_any(),
        Route::AdminTiers => view! { <tiers::AdminTiersPage /> }.into_any(),
        Route::AdminRules => view! { <earning::AdminRulesPage /> }.into_any(),
        Route::AdminRewards => view! { <rewards::AdminRewardsPage /> }.into_any(),
        Route::AdminAudit => view! { <audit::AdminAuditPage /> }.into_any(),
        Route::AdminStaff => view! { <staff::AdminStaffPage /> }.into_any(),
        Route::AdminSettings => view! { <settings::AdminSettingsPage /> }.into_any(),
        Route::AdminSegments => view! { <segments::AdminSegmentsPage /> }.into_any(),
        Route::AdminSegmentNew | Route::AdminSegmentEdit => {
            view! { <segment_builder::SegmentBuilderPage /> }.into_any()
        }
        Route::AdminSegment => view! { <segment::AdminSegmentPage /> }.into_any(),
        Route::AdminAtRisk => view! { <at_risk::AdminAtRiskPage /> }.into_any(),
        Route::AdminMessaging => view! { <messaging::AdminMessagingPage /> }.into_any(),
        Route::Analytics => {
            view! { <crate::pages::admin::analytics::dashboard::AnalyticsPage /> }.into_any()
        }
        _ => view! { <home::AdminHomePage /> }.into_any(),
    }
}

#[cfg(not(feature = "console"))]
fn admin_page(_route: Route) -> AnyView {
    view! { <crate::pages::console_redirect::ToConsole /> }.into_any()
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Root />
        </I18nContextProvider>
    }
}

#[component]
fn Root() -> impl IntoView {
    let i18n = use_i18n();
    // After the provider's own start-up effect, which picks the browser's
    // language: the remembered choice wins.
    Effect::new(move |_| i18n.set_locale(locale::initial()));
    let session = Session::provide();

    // Ask the server who we are; anything but a live session reads as signed out.
    leptos::task::spawn_local(async move {
        match api::auth::me().await {
            Ok(me) => session.signed_in(me),
            Err(ApiError::Unauthorized { .. }) | Err(_) => session.clear(),
        }
    });

    view! {
        <Router>
            <Layout />
        </Router>
    }
}

#[component]
fn Layout() -> impl IntoView {
    let session = Session::expect();
    Toasts::provide();
    let navigate = use_navigate();
    let sign_out = Action::new_local(|_: &()| api::auth::logout());
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            // Signed out on the server, or it is unreachable: either way this
            // browser forgets the session.
            session.clear();
            navigate(Route::SignIn.path(), Default::default());
        }
    });
    view! {
        <AppHeader
            on_sign_out=move || {
                sign_out.dispatch(());
            }
            signing_out=sign_out.pending()
        />
        <main id="main" tabindex="-1">
            <Routes fallback=|| view! { <NotFoundPage /> }>
                <RouteView path=path!("/sign-in") view=SignInPage />
                <RouteView path=path!("/") view=HomePage />
                <RouteView
                    path=path!("/dashboard")
                    view=|| view! { <RequireRole route=Route::Dashboard><DashboardPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/history")
                    view=|| view! { <RequireRole route=Route::History><HistoryPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/rewards")
                    view=|| view! { <RequireRole route=Route::Rewards><RewardsPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/wallet")
                    view=|| view! { <RequireRole route=Route::Wallet><WalletPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/tiers")
                    view=|| view! { <RequireRole route=Route::Tiers><TiersPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/referral")
                    view=|| view! { <RequireRole route=Route::Referral><ReferralPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/feedback")
                    view=|| view! { <RequireRole route=Route::Feedback><FeedbackPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/tickets")
                    view=|| view! { <RequireRole route=Route::Tickets><TicketsPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/tickets/:id")
                    view=|| view! { <RequireRole route=Route::Tickets><TicketPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/profile")
                    view=|| view! { <RequireRole route=Route::Profile><ProfilePage /></RequireRole> }
                />
                <RouteView path=path!("/join") view=JoinPage />
                <RouteView
                    path=path!("/admin")
                    view=|| view! { <RequireRole route=Route::Admin>{admin_page(Route::Admin)}</RequireRole> }
                />
                <RouteView
                    path=path!("/analytics")
                    view=|| view! { <RequireRole route=Route::Analytics>{admin_page(Route::Analytics)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/members")
                    view=|| view! { <RequireRole route=Route::AdminMembers>{admin_page(Route::AdminMembers)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/members/:id")
                    view=|| view! { <RequireRole route=Route::AdminMember>{admin_page(Route::AdminMember)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/tiers")
                    view=|| view! { <RequireRole route=Route::AdminTiers>{admin_page(Route::AdminTiers)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/rules")
                    view=|| view! { <RequireRole route=Route::AdminRules>{admin_page(Route::AdminRules)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/rewards")
                    view=|| view! { <RequireRole route=Route::AdminRewards>{admin_page(Route::AdminRewards)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/messaging")
                    view=|| view! { <RequireRole route=Route::AdminMessaging>{admin_page(Route::AdminMessaging)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/audit")
                    view=|| view! { <RequireRole route=Route::AdminAudit>{admin_page(Route::AdminAudit)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/staff")
                    view=|| view! { <RequireRole route=Route::AdminStaff>{admin_page(Route::AdminStaff)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/settings")
                    view=|| view! { <RequireRole route=Route::AdminSettings>{admin_page(Route::AdminSettings)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/segments")
                    view=|| view! { <RequireRole route=Route::AdminSegments>{admin_page(Route::AdminSegments)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/segments/new")
                    view=|| view! { <RequireRole route=Route::AdminSegmentNew>{admin_page(Route::AdminSegmentNew)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/segments/:id/edit")
                    view=|| view! { <RequireRole route=Route::AdminSegmentEdit>{admin_page(Route::AdminSegmentEdit)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/segments/:id")
                    view=|| view! { <RequireRole route=Route::AdminSegment>{admin_page(Route::AdminSegment)}</RequireRole> }
                />
                <RouteView
                    path=path!("/admin/at-risk")
                    view=|| view! { <RequireRole route=Route::AdminAtRisk>{admin_page(Route::AdminAtRisk)}</RequireRole> }
                />
                <RouteView
                    path=path!("/support")
                    view=|| view! { <RequireRole route=Route::Support><SupportQueuePage /></RequireRole> }
                />
                <RouteView
                    path=path!("/support/tickets/:id")
                    view=|| view! { <RequireRole route=Route::SupportTicket><SupportTicketPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/support/reports")
                    view=|| view! { <RequireRole route=Route::SupportReports><SupportReportsPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/support/settings")
                    view=|| view! { <RequireRole route=Route::SupportSettings><SupportSettingsPage /></RequireRole> }
                />
            </Routes>
        </main>
        <ToastRegion />
    }
}
