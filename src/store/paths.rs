//! Where chimescope keeps its files (DESIGN.md, "Files on disk"): the XDG directories and the
//! file names in them.

use std::path::PathBuf;

/// `$XDG_STATE_HOME/chimescope` (default `~/.local/state/chimescope`).
pub fn state_dir() -> Option<PathBuf> {
    dirs::state_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join(".local").join("state")))
        .map(|d| d.join("chimescope"))
}

/// `$XDG_CONFIG_HOME/chimescope` (default `~/.config/chimescope`).
pub fn config_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("chimescope"))
}

pub fn config_file() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.toml"))
}

pub fn history_file() -> Option<PathBuf> {
    state_dir().map(|d| d.join("history.json"))
}

pub fn log_file() -> Option<PathBuf> {
    state_dir().map(|d| d.join("chimescope.log"))
}

/// The command line's history (`:` commands run), beside the lookups' history.
pub fn command_history_file() -> Option<PathBuf> {
    state_dir().map(|d| d.join("commands.json"))
}
