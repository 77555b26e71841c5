//! Programme settings, the tier editor, impact preview, tier locks and the
//! tier recalculation job.
//!
//! `settings`: programme settings; `setup`: the tier editor's tiers and
//! plan; `standings`: members' window sums; `preview`: a plan's impact;
//! `recalculation`: the runs; `lock`: tier locks.

mod lock;
mod preview;
mod recalculation;
mod settings;
mod setup;
mod standings;

pub use settings::settings_json;
