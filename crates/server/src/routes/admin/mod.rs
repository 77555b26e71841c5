//! The admin console's endpoints (`/admin/…`), one file per capability,
//! named as in core `admin/`, `store/admin/` and the SPA's `pages/admin/`.

pub mod audit;
pub mod earning;
pub mod members;
pub mod rewards;
pub mod settings;
pub mod staff;
pub mod tiers;
