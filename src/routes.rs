//! The route table: every path the app knows, in one enum.

use patron_core::auth::Role;

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    SignIn,
    Home,
    Dashboard,
    History,
    Rewards,
    Wallet,
    Tiers,
    Referral,
    Feedback,
    Tickets,
    Profile,
    Join,
    Admin,
    AdminMembers,
    AdminMember,
    AdminTiers,
    AdminRules,
    AdminRewards,
    AdminAudit,
    AdminStaff,
    AdminSettings,
    AdminSegments,
    AdminSegmentNew,
    AdminSegment,
    AdminSegmentEdit,
    AdminAtRisk,
    AdminMessaging,
    Analytics,
    Support,
    SupportTicket,
    SupportReports,
    SupportSettings,
}

impl Route {
    /// The path pattern, as the router matches it.
    pub const fn path(self) -> &'static str {
        match self {
            Route::SignIn => "/sign-in",
            Route::Home => "/",
            Route::Dashboard => "/dashboard",
            Route::History => "/history",
            Route::Rewards => "/rewards",
            Route::Wallet => "/wallet",
            Route::Tiers => "/tiers",
            Route::Referral => "/referral",
            Route::Feedback => "/feedback",
            Route::Tickets => "/tickets",
            Route::Profile => "/profile",
            Route::Join => "/join",
            Route::Admin => "/admin",
            Route::AdminMembers => "/admin/members",
            Route::AdminMember => "/admin/members/:id",
            Route::AdminTiers => "/admin/tiers",
            Route::AdminRules => "/admin/rules",
            Route::AdminRewards => "/admin/rewards",
            Route::AdminAudit => "/admin/audit",
            Route::AdminStaff => "/admin/staff",
            Route::AdminSettings => "/admin/settings",
            Route::AdminSegments => "/admin/segments",
            Route::AdminSegmentNew => "/admin/segments/new",
            Route::AdminSegment => "/admin/segments/:id",
            Route::AdminSegmentEdit => "/admin/segments/:id/edit",
            Route::AdminAtRisk => "/admin/at-risk",
            Route::AdminMessaging => "/admin/messaging",
            Route::Analytics => "/analytics",
            Route::Support => "/support",
            Route::SupportTicket => "/support/tickets/:id",
            Route::SupportReports => "/support/reports",
            Route::SupportSettings => "/support/settings",
        }
    }

    /// A link to the page.
    pub fn href(self) -> String {
        self.path().to_string()
    }

    /// Who may open the page (empty: anyone).
    pub const fn roles(self) -> &'static [Role] {
        match self {
            Route::SignIn | Route::Home | Route::Join => &[],
            Route::Dashboard
            | Route::History
            | Route::Rewards
            | Route::Wallet
            | Route::Tiers
            | Route::Referral
            | Route::Feedback
            | Route::Tickets
            | Route::Profile => &[Role::Member],
            Route::Admin
            | Route::AdminMembers
            | Route::AdminMember
            | Route::AdminTiers
            | Route::AdminRules
            | Route::AdminRewards
            | Route::AdminAudit
            | Route::AdminStaff
            | Route::AdminSettings
            | Route::AdminSegments
            | Route::AdminSegmentNew
            | Route::AdminSegment
            | Route::AdminSegmentEdit
            | Route::AdminAtRisk
            | Route::AdminMessaging => &[Role::Admin],
            Route::Analytics
            | Route::Support
            | Route::SupportTicket
            | Route::SupportReports
            | Route::SupportSettings => &[Role::Support, Role::Admin],
        }
    }

    /// Where a role lands after signing in.
    pub const fn home_for(role: Role) -> Route {
        match role {
            Role::Member => Route::Dashboard,
            Role::Admin => Route::Admin,
            Role::Support => Route::Support,
        }
    }

    /// The navigation a role sees.
    pub const fn nav_for(role: Role) -> &'static [Route] {
        match role {
            Role::Member => &[
                Route::Dashboard,
                Route::History,
                Route::Rewards,
                Route::Wallet,
                Route::Tiers,
                Route::Referral,
                Route::Feedback,
                Route::Tickets,
                Route::Profile,
            ],
            Role::Admin => &[
                Route::Admin,
                Route::AdminMembers,
                Route::Analytics,
                Route::Support,
                Route::SupportReports,
                Route::SupportSettings,
            ],
            Role::Support => &[
                Route::Support,
                Route::Analytics,
                Route::SupportReports,
                Route::SupportSettings,
            ],
        }
    }

    /// The admin console's sections, in the order of its sub-navigation.
    pub const ADMIN_SECTIONS: [Route; 12] = [
        Route::Admin,
        Route::AdminMembers,
        Route::Analytics,
        Route::AdminSegments,
        Route::AdminAtRisk,
        Route::AdminTiers,
        Route::AdminRules,
        Route::AdminRewards,
        Route::AdminMessaging,
        Route::AdminAudit,
        Route::AdminStaff,
        Route::AdminSettings,
    ];
}

/// A member's record in the admin console.
pub fn admin_member_href(id: i64) -> String {
    format!("/admin/members/{id}")
}

/// The member table with `query` (no `?`).
pub fn admin_members_href(query: &str) -> String {
    if query.is_empty() {
        Route::AdminMembers.href()
    } else {
        format!("{}?{query}", Route::AdminMembers.path())
    }
}

/// A saved segment in the admin console.
pub fn admin_segment_href(id: i64) -> String {
    format!("/admin/segments/{id}")
}

/// The builder, editing a saved segment.
pub fn admin_segment_edit_href(id: i64) -> String {
    format!("/admin/segments/{id}/edit")
}

/// A link to one of the member's tickets.
pub fn ticket_href(id: i64) -> String {
    format!("{}/{id}", Route::Tickets.path())
}

/// A ticket in the support desk.
pub fn support_ticket_href(id: i64) -> String {
    format!("/support/tickets/{id}")
}

/// The support queue with `query` (no `?`).
pub fn support_queue_href(query: &str) -> String {
    if query.is_empty() {
        Route::Support.href()
    } else {
        format!("{}?{query}", Route::Support.path())
    }
}

/// `/sign-in?return=…` for coming back to `path` after signing in.
pub fn sign_in_with_return(path: &str) -> String {
    if path.is_empty() || path == "/" || path.starts_with(Route::SignIn.path()) {
        Route::SignIn.href()
    } else {
        format!("{}?return={}", Route::SignIn.path(), encode(path))
    }
}

/// The return path to follow after sign-in, if it is safe: a local path,
/// never another origin (`//evil`, `https://…`).
pub fn safe_return(raw: Option<String>) -> Option<String> {
    let p = raw?;
    let ok = p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') && !p.contains("://");
    (ok && !p.starts_with(Route::SignIn.path())).then_some(p)
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_stay_on_this_site() {
        assert_eq!(safe_return(Some("/admin".into())), Some("/admin".into()));
        assert_eq!(safe_return(Some("//evil.example".into())), None);
        assert_eq!(safe_return(Some("https://evil.example".into())), None);
        assert_eq!(safe_return(Some("/sign-in".into())), None);
        assert_eq!(safe_return(None), None);
    }

    #[test]
    fn sign_in_link_carries_the_return_path() {
        assert_eq!(sign_in_with_return("/admin"), "/sign-in?return=/admin");
        assert_eq!(
            sign_in_with_return("/a b?x=1"),
            "/sign-in?return=/a%20b%3Fx%3D1"
        );
        assert_eq!(sign_in_with_return("/"), "/sign-in");
    }

    #[test]
    fn segment_links_fill_their_patterns() {
        assert_eq!(
            admin_segment_href(7),
            Route::AdminSegment.path().replace(":id", "7")
        );
        assert_eq!(
            admin_segment_edit_href(7),
            Route::AdminSegmentEdit.path().replace(":id", "7")
        );
        assert_eq!(Route::AdminSegmentNew.href(), "/admin/segments/new");
        for r in [
            Route::AdminSegments,
            Route::AdminSegmentNew,
            Route::AdminSegment,
            Route::AdminSegmentEdit,
            Route::AdminAtRisk,
        ] {
            assert_eq!(r.roles(), &[Role::Admin]);
            assert!(r.path().starts_with("/admin/"));
        }
    }

    #[test]
    fn every_admin_section_is_an_admin_page() {
        for r in Route::ADMIN_SECTIONS {
            assert!(r.roles().contains(&Role::Admin));
        }
    }

    #[test]
    fn every_role_lands_on_a_page_it_may_open() {
        for role in [Role::Member, Role::Admin, Role::Support] {
            assert!(Route::home_for(role).roles().contains(&role));
            for r in Route::nav_for(role) {
                assert!(r.roles().contains(&role));
            }
        }
    }
}
