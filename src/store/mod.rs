//! What chimescope keeps on disk: where ([`paths`]), how it reads and writes files safely
//! ([`files`], [`lock`]), and the history of lookups ([`history`]).

pub mod files;
pub mod history;
pub mod lock;
pub mod paths;
