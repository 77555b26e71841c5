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
use crate::pages::admin::audit::AdminAuditPage;
use crate::pages::admin::home::AdminHomePage;
use crate::pages::admin::member::AdminMemberPage;
use crate::pages::admin::members::AdminMembersPage;
use crate::pages::admin::rewards::AdminRewardsPage;
use crate::pages::admin::rules::AdminRulesPage;
use crate::pages::admin::settings::AdminSettingsPage;
use crate::pages::admin::staff::AdminStaffPage;
use crate::pages::admin::tiers::AdminTiersPage;
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
                    view=|| view! { <RequireRole route=Route::Admin><AdminHomePage /></RequireRole> }
                />
                <RouteView
                    path=path!("/admin/members")
                    view=|| view! { <RequireRole route=Route::AdminMembers><AdminMembersPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/admin/members/:id")
                    view=|| view! { <RequireRole route=Route::AdminMember><AdminMemberPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/admin/tiers")
                    view=|| view! { <RequireRole route=Route::AdminTiers><AdminTiersPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/admin/rules")
                    view=|| view! { <RequireRole route=Route::AdminRules><AdminRulesPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/admin/rewards")
                    view=|| view! { <RequireRole route=Route::AdminRewards><AdminRewardsPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/admin/audit")
                    view=|| view! { <RequireRole route=Route::AdminAudit><AdminAuditPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/admin/staff")
                    view=|| view! { <RequireRole route=Route::AdminStaff><AdminStaffPage /></RequireRole> }
                />
                <RouteView
                    path=path!("/admin/settings")
                    view=|| view! { <RequireRole route=Route::AdminSettings><AdminSettingsPage /></RequireRole> }
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
