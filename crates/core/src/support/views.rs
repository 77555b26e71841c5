//! Saved views: an agent's named sets of queue filters.

crate::__wire! {
    /// A saved set of queue filters.
    pub struct SavedView {
        pub id: i64,
        pub name: String,
        /// The queue's query string, as in the page URL.
        pub query: String,
    }
}

crate::__wire! {
    /// Save the current filters under a name.
    pub struct SavedViewInput {
        pub name: String,
        pub query: String,
    }
}
