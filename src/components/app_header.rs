//! The header: programme name, role-aware navigation, language, sign-out.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::language_select::LanguageSelect;
use crate::i18n::*;
use crate::routes::Route;
use crate::state::session::Session;
use leptos_i18n::I18nContext;

pub fn nav_label(i18n: I18nContext<Locale>, route: Route) -> String {
    match route {
        Route::Dashboard => t_string!(i18n, nav.dashboard).to_string(),
        Route::History => t_string!(i18n, nav.history).to_string(),
        Route::Rewards => t_string!(i18n, nav.rewards).to_string(),
        Route::Wallet => t_string!(i18n, nav.wallet).to_string(),
        Route::Tiers => t_string!(i18n, nav.tiers).to_string(),
        Route::Referral => t_string!(i18n, nav.referral).to_string(),
        Route::Feedback => t_string!(i18n, nav.feedback).to_string(),
        Route::Tickets => t_string!(i18n, nav.tickets).to_string(),
        Route::Profile => t_string!(i18n, nav.profile).to_string(),
        Route::Join => t_string!(i18n, join.title).to_string(),
        Route::Admin => t_string!(i18n, nav.admin).to_string(),
        Route::AdminMembers | Route::AdminMember => t_string!(i18n, nav.members).to_string(),
        Route::AdminTiers => t_string!(i18n, nav.admin_tiers).to_string(),
        Route::AdminRules => t_string!(i18n, nav.rules).to_string(),
        Route::AdminRewards => t_string!(i18n, nav.admin_rewards).to_string(),
        Route::AdminAudit => t_string!(i18n, nav.audit).to_string(),
        Route::AdminStaff => t_string!(i18n, nav.staff).to_string(),
        Route::AdminSettings => t_string!(i18n, nav.settings).to_string(),
        Route::AdminSegments
        | Route::AdminSegmentNew
        | Route::AdminSegment
        | Route::AdminSegmentEdit => t_string!(i18n, nav.segments).to_string(),
        Route::AdminAtRisk => t_string!(i18n, nav.at_risk).to_string(),
        Route::AdminMessaging => t_string!(i18n, nav.messaging).to_string(),
        Route::Analytics => t_string!(i18n, nav.analytics).to_string(),
        Route::Support => t_string!(i18n, nav.support).to_string(),
        Route::SupportTicket => t_string!(i18n, desk.ticket).to_string(),
        Route::SupportReports => t_string!(i18n, nav.desk_reports).to_string(),
        Route::SupportSettings => t_string!(i18n, nav.desk_settings).to_string(),
        Route::SignIn => t_string!(i18n, sign_in.title).to_string(),
        Route::Home => t_string!(i18n, app_name).to_string(),
    }
}

/// The top bar of every page.
#[component]
pub fn AppHeader(
    /// Called when the person asks to sign out.
    #[prop(into)]
    on_sign_out: Callback<()>,
    /// True while signing out.
    #[prop(into)]
    signing_out: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let programme = move || {
        session
            .me()
            .map(|m| m.programme_name)
            .unwrap_or_else(|| t_string!(i18n, app_name).to_string())
    };
    let nav = move || {
        session.role().map(|role| {
            view! {
                <nav aria-label=move || t_string!(i18n, nav.main).to_string()>
                    <ul class="nav-list">
                        {Route::nav_for(role)
                            .iter()
                            .map(|r| {
                                let r = *r;
                                view! { <li><A href=r.href()>{move || nav_label(i18n, r)}</A></li> }
                            })
                            .collect_view()}
                    </ul>
                </nav>
            }
        })
    };
    let user = move || {
        session.me().map(|me| {
            view! {
                <span class="who" data-testid="signed-in-as">{me.name.clone()}</span>
                <button
                    type="button"
                    class="btn btn-quiet"
                    on:click=move |_| on_sign_out.run(())
                    disabled=move || signing_out.get()
                >
                    {t!(i18n, nav.sign_out)}
                </button>
            }
        })
    };
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="app-header">
            <span class="brand" data-testid="programme-name">{programme}</span>
            {nav}
            <div class="header-tools">
                <LanguageSelect />
                {user}
            </div>
        </header>
    }
}
