//! The admin console's writes and reads, one file per capability, named as
//! in core `admin/`, `routes/admin/` and the SPA's `pages/admin/`.

pub mod members;
pub mod rewards;
pub mod staff;
pub mod tiers;
