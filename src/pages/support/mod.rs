//! The support desk: the queue, a ticket, reports and settings.

pub mod desk_header;
pub mod queue;
pub mod reports;
pub mod settings;
pub mod ticket;
