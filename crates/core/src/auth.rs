//! Sign-in wire types.

crate::__wire! {
    /// Who a signed-in person is to the programme.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum Role {
        Member,
        Admin,
        Support,
    }
}

impl Role {
    /// Admin and support staff may use the support desk.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Support)
    }
}

crate::__wire! {
    /// `POST /auth/login` body.
    pub struct LoginRequest {
        /// Up to 254 characters, with an `@`.
        #[cfg_attr(feature = "openapi", schema(pattern = "@", max_length = 254))]
        pub email: String,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
        pub password: String,
    }
}

crate::__wire! {
    /// The signed-in person (`GET /auth/me`, and the answer to a login).
    pub struct Me {
        pub user_id: i64,
        pub name: String,
        pub email: String,
        pub role: Role,
        /// Set for members: the member record this account owns.
        pub member_id: Option<i64>,
        /// The programme's display name, for the header.
        pub programme_name: String,
        /// IANA time zone in which dates are shown to this person.
        pub time_zone: String,
    }
}
