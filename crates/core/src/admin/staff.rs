//! Staff accounts and the read-only permission matrix (what each role may
//! do, as the server enforces it).

use chrono::{DateTime, Utc};

use crate::auth::Role;

crate::__wire! {
    /// A staff account.
    pub struct StaffAccount {
        pub id: i64,
        pub email: String,
        pub name: String,
        pub role: Role,
        pub active: bool,
        pub created_at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// `POST /admin/staff`.
    pub struct NewStaff {
        pub email: String,
        pub name: String,
        pub role: Role,
        pub password: String,
    }
}

crate::__wire! {
    /// `POST /admin/staff/{id}/password`.
    pub struct PasswordReset {
        pub password: String,
    }
}

crate::__wire! {
    /// `PUT /admin/staff/{id}/active`: deactivating ends every session.
    pub struct StaffActive {
        pub active: bool,
    }
}

crate::__wire! {
    /// What a role may do with one area.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum Access {
        None,
        Own,
        Read,
        Write,
    }
}

crate::__wire! {
    /// A row of the permission matrix.
    pub struct Permission {
        pub area: String,
        pub member: Access,
        pub support: Access,
        pub admin: Access,
    }
}

crate::__wire! {
    /// `GET /admin/staff`: accounts and the read-only permission matrix.
    pub struct StaffList {
        pub staff: Vec<StaffAccount>,
        pub permissions: Vec<Permission>,
    }
}

/// What each role may do, as the server enforces it (`tests/admin.rs`
/// checks a request per row).
pub fn permission_matrix() -> Vec<Permission> {
    use Access::*;
    [
        ("own points, rewards, profile, feedback", Own, None, None),
        ("member records and adjustments", None, None, Write),
        ("tiers and tier policy", Read, Read, Write),
        ("earning rules and transactions", None, None, Write),
        ("rewards catalogue and redemptions", Read, None, Write),
        ("support queue and tickets", Own, Write, Write),
        ("SLA policy and canned replies", None, Read, Write),
        ("staff accounts, settings, audit log", None, None, Write),
    ]
    .into_iter()
    .map(|(area, member, support, admin)| Permission {
        area: area.to_string(),
        member,
        support,
        admin,
    })
    .collect()
}
