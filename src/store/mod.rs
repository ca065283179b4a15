//! What chimescope keeps on disk.

pub mod files;
pub mod history;
