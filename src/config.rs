//! The configuration file (DESIGN.md, "Files on disk"): `$XDG_CONFIG_HOME/chimescope/config.toml`.
//!
//! The file is optional and so is every key; [`DEFAULT_CONFIG`] documents each key with its
//! default (it parses to [`Config::default()`]). Unknown keys and values of the wrong type are
//! errors that name the file, the line and the column: a mistyped key is never silently
//! ignored. The browser refuses to start on such an error (a message on stderr, exit 253, the
//! AWS CLI's code for a configuration problem), and so do `describe`, `list` and `history`.
//!
//! Precedence: command-line flags and environment variables win over the file, the file wins
//! over the built-in defaults; [`crate::settings`] puts them together for every mode.

use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// Every key with its default, as a user would write it. Kept in sync with
/// [`Config::default()`] by a unit test.
pub const DEFAULT_CONFIG: &str = r#"# chimescope configuration: ~/.config/chimescope/config.toml ($XDG_CONFIG_HOME)
# Every key is optional; the values below are the defaults.

[ui]
# Mouse support: click a pane to focus it, click a row to select it, wheel to move.
# Off by default so that the terminal's own text selection keeps working (--mouse turns it on).
mouse = false
# Show Name, DeviceToken and VoipDeviceToken unmasked from the start (s toggles).
show_secrets = false
# Ring the terminal bell when a watched endpoint (w, :watch) changes.
bell = false

[clipboard]
# Where y / Y / c copy to: "auto" (system clipboard when a display is available and not over
# SSH, OSC 52 otherwise), "system", "osc52" or "off". --clipboard and CHIMESCOPE_CLIPBOARD win.
# Unset means "auto".
# backend = "auto"

[history]
# Keep Name and the device tokens in the history file (they are removed by default).
store_secrets = false
# How many recent lookups to keep.
cap = 500

[aws]
# The profile to use when neither --profile nor AWS_PROFILE names one (unset: "default").
# (There is no region key: the region comes from --region, else the ARN, else the profile.)
# profile = "default"
# Give up on a request after this many seconds, retries included (--timeout wins).
timeout_secs = 10.0
# Refuse every write (register, update, deregister), in the browser and the commands
# (--readonly and CHIMESCOPE_READONLY=1 turn it on too).
readonly = false
# The browser's own pace, requests a second to Chime SDK Identity (lookups, pages,
# completions, watch); the account's 50/s is shared with production (--rate wins).
# rate = 10.0

[doctor]
# Read the Pinpoint app each endpoint's ResourceArn names (GetApp, Get*Channel): in the
# browser's Diagnosis, `chimescope doctor` and `scan --diagnose`. false is --no-pinpoint
# everywhere (for a caller without mobiletargeting:GetApp / Get*Channel rights).
pinpoint = true

[scan]
# `chimescope scan` and the browser's Scan pane (S): requests a second to Chime SDK Identity,
# and requests in flight (--rate / --concurrency, and :scan --rate in the browser, win).
# rate = 10.0
# concurrency = 8
# A scan stops after this many throttled requests in a row (--max-throttles wins).
# max_throttles = 30

[keys]
# The browser's keys: action = "key" (or a list of keys), replacing the action's keys
# wherever it has them. The actions are named in the help (?) and in docs/browser.md, e.g.
# raw-view = "V"   copy-json = ["Y", "ctrl-j"]   watch = "W"
# A key is a character ("v", "V", "?"), a name (Esc, Enter, Tab, Space, Up, Down, Left,
# Right, Home, End, PgUp, PgDn, Backspace, F1 to F12), or ctrl- with either. Where letters
# type (the inputs, the command line, a form) a plain character is not bound: the action
# keeps its keys there. An unknown action, a key that is not one, or a key that another
# action has in the same place is refused with its line.
"#;

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub ui: UiConfig,
    pub clipboard: ClipboardConfig,
    pub history: HistoryConfig,
    pub aws: AwsConfig,
    pub doctor: DoctorConfig,
    pub scan: ScanConfig,
    /// `[keys]`: action = key or [keys], read by the browser's key map (`tui::keymap`).
    pub keys: std::collections::BTreeMap<String, KeySpec>,
    /// The line of each `[keys]` entry (1-based), for messages; and the file's path.
    #[serde(skip)]
    pub keys_at: KeysAt,
}

/// One `[keys]` value: a key or a list of keys.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeySpec {
    One(String),
    Many(Vec<String>),
}

impl KeySpec {
    pub fn keys(&self) -> Vec<String> {
        match self {
            KeySpec::One(k) => vec![k.clone()],
            KeySpec::Many(ks) => ks.clone(),
        }
    }
}

/// Where the `[keys]` entries are: the file, and each action's line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeysAt {
    pub path: PathBuf,
    pub lines: std::collections::BTreeMap<String, usize>,
}

/// A `[keys]` entry, as the browser's key map takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyEntry {
    pub action: String,
    pub keys: Vec<String>,
    /// 1-based, when found.
    pub line: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScanConfig {
    /// Requests a second (None: the default).
    pub rate: Option<f64>,
    /// Requests in flight (None: the default).
    pub concurrency: Option<usize>,
    /// Throttles in a row after which a scan stops (None: the default).
    pub max_throttles: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DoctorConfig {
    /// The Pinpoint checks (false: as `--no-pinpoint`).
    pub pinpoint: bool,
}

impl Default for DoctorConfig {
    fn default() -> Self {
        Self { pinpoint: true }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    pub mouse: bool,
    pub show_secrets: bool,
    pub bell: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClipboardConfig {
    /// None when the file does not say (so that messages can tell where a choice came from:
    /// see `clipboard::BackendChoice::resolve`, which takes `backend.map(as_str)`).
    pub backend: Option<crate::clipboard::Backend>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryConfig {
    pub store_secrets: bool,
    pub cap: usize,
}

pub const DEFAULT_HISTORY_CAP: usize = 500;

impl Default for HistoryConfig {
    fn default() -> Self {
        Self { store_secrets: false, cap: DEFAULT_HISTORY_CAP }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AwsConfig {
    pub profile: Option<String>,
    pub timeout_secs: f64,
    pub readonly: bool,
    /// The browser's requests a second (None: the default).
    pub rate: Option<f64>,
}

pub const DEFAULT_TIMEOUT_SECS: f64 = crate::defaults::TIMEOUT.as_secs_f64();

impl Default for AwsConfig {
    fn default() -> Self {
        Self { profile: None, timeout_secs: DEFAULT_TIMEOUT_SECS, readonly: false, rate: None }
    }
}

/// A config file that could not be used: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based; None when the problem has no position (the file cannot be read).
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "config file {}", self.path.display())?;
        if let Some(l) = self.line {
            write!(f, ", line {l}")?;
            if let Some(c) = self.column {
                write!(f, ", column {c}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The line (1-based) that sets `key` in the table `[section]`, when it can be found.
fn line_of(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut inside = false;
    let line = text.lines().position(|l| {
        let l = l.trim_start();
        if l.starts_with('[') {
            inside = l.trim_end() == format!("[{section}]");
        }
        // A key may be quoted ("raw-view" = "V").
        let bare = l.strip_prefix('"').unwrap_or(l);
        inside
            && bare.starts_with(key)
            && bare[key.len()..].trim_start_matches('"').trim_start().starts_with('=')
    });
    line.map(|l| l + 1)
}

impl Config {
    /// Parse the text of a config file; `path` is only used in the error.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let cfg: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = match e.span() {
                Some(span) => {
                    let (l, c) = line_col(text, span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            ConfigError { path: path.to_path_buf(), line, column, message: e.message().trim().to_string() }
        })?;
        cfg.check(text, path)?;
        let mut cfg = cfg;
        // (Only with keys: the defaults stay equal to an empty file's.)
        if !cfg.keys.is_empty() {
            cfg.keys_at = KeysAt {
                path: path.to_path_buf(),
                lines: cfg.keys.keys().filter_map(|a| Some((a.clone(), line_of(text, "keys", a)?))).collect(),
            };
        }
        Ok(cfg)
    }

    /// The `[keys]` entries, each with its line.
    pub fn key_entries(&self) -> Vec<KeyEntry> {
        self.keys
            .iter()
            .map(|(action, spec)| KeyEntry {
                action: action.clone(),
                keys: spec.keys(),
                line: self.keys_at.lines.get(action).copied(),
            })
            .collect()
    }

    /// The path the config was read from (empty for the defaults).
    pub fn path(&self) -> &Path {
        &self.keys_at.path
    }

    /// Values that parse but make no sense.
    fn check(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let at_in = |section: &str, key: &str, message: String| ConfigError {
            path: path.to_path_buf(),
            line: line_of(text, section, key),
            column: None,
            message,
        };
        let at = |key: &str, message: String| at_in("aws", key, message);
        let t = self.aws.timeout_secs;
        if !(t.is_finite() && t > 0.0 && t <= 3600.0) {
            return Err(at(
                "timeout_secs",
                format!("aws.timeout_secs = {t}: expected seconds between 0 and 3600"),
            ));
        }
        if let Some(Err(e)) = self.aws.rate.map(crate::cli::check_rate) {
            return Err(at("rate", format!("aws.rate = {}: {e}", self.aws.rate.unwrap_or_default())));
        }
        if let Some(Err(e)) = self.scan.rate.map(crate::cli::check_rate) {
            return Err(at_in(
                "scan",
                "rate",
                format!("scan.rate = {}: {e}", self.scan.rate.unwrap_or_default()),
            ));
        }
        if let Some(c) = self.scan.concurrency
            && !(1..=256).contains(&c)
        {
            return Err(at_in("scan", "concurrency", format!("scan.concurrency = {c}: expected 1 to 256")));
        }
        if let Some(n) = self.scan.max_throttles
            && !(1..=100_000).contains(&n)
        {
            return Err(at_in(
                "scan",
                "max_throttles",
                format!("scan.max_throttles = {n}: expected 1 to 100000"),
            ));
        }
        if self.aws.profile.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Err(at("profile", "aws.profile is empty; remove the key to use the default".into()));
        }
        Ok(())
    }

    /// Read a config file; a missing file is the defaults.
    pub fn load_from(path: &Path) -> Result<Self, ConfigError> {
        match crate::store::files::read_config_text(path) {
            Ok(text) => Self::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(ConfigError {
                path: path.to_path_buf(),
                line: None,
                column: None,
                message: format!("cannot read it: {e}"),
            }),
        }
    }

    /// `$XDG_CONFIG_HOME/chimescope/config.toml`, or the defaults when there is none.
    pub fn load() -> Result<Self, ConfigError> {
        match crate::store::paths::config_file() {
            Some(p) => Self::load_from(&p),
            None => Ok(Self::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Config, ConfigError> {
        Config::parse(s, Path::new("/x/config.toml"))
    }

    #[test]
    fn the_documented_defaults_are_the_defaults() {
        assert_eq!(parse(DEFAULT_CONFIG).unwrap(), Config::default());
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn keys_override_defaults() {
        let c = parse("[ui]\nmouse = true\n[history]\ncap = 20\n[clipboard]\nbackend = \"osc52\"\n").unwrap();
        assert!(c.ui.mouse);
        assert_eq!(c.history.cap, 20);
        assert!(!c.history.store_secrets);
        assert_eq!(c.clipboard.backend, Some(crate::clipboard::Backend::Osc52));
    }

    #[test]
    fn unknown_keys_are_reported_with_their_line() {
        let e = parse("[ui]\nmouse = false\nmuose = true\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.to_string().contains("/x/config.toml, line 3"), "{e}");
        assert!(e.message.contains("muose"), "{e}");
        let e = parse("[hystory]\ncap = 1\n").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
    }

    #[test]
    fn bad_types_are_reported_with_their_line() {
        let e = parse("# c\n\n[history]\ncap = \"lots\"\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        let e = parse("[clipboard]\nbackend = \"xclip\"\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("xclip") || e.message.contains("variant"), "{e}");
        let e = parse("[ui\nmouse = true\n").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
    }

    #[test]
    fn nonsense_values_are_refused() {
        let e = parse("[aws]\n\ntimeout_secs = -1.0\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(parse("[aws]\nprofile = \"\"\n").is_err());
        assert_eq!(parse("[aws]\nregion = \"us-east-1\"\n").unwrap_err().line, Some(2));
        let e = parse("[aws]\nrate = 5.0\n\n[scan]\nrate = 0\n").unwrap_err();
        assert_eq!(e.line, Some(5), "the [scan] table's rate: {e}");
        assert!(e.to_string().contains("scan.rate = 0"), "{e}");
        let e = parse("[scan]\nconcurrency = 0\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let c = parse("[scan]\nrate = 40.0\nconcurrency = 16\n").unwrap();
        assert_eq!((c.scan.rate, c.scan.concurrency), (Some(40.0), Some(16)));
    }

    #[test]
    fn keys_are_read_with_their_lines() {
        let c = parse("[ui]\nmouse = true\n\n[keys]\nraw-view = \"V\"\n\"watch\" = [\"W\", \"ctrl-w\"]\n")
            .unwrap();
        let e = c.key_entries();
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].action.as_str(), e[0].keys.clone(), e[0].line),
            ("raw-view", vec!["V".to_string()], Some(5))
        );
        assert_eq!((e[1].action.as_str(), e[1].line), ("watch", Some(6)));
        assert_eq!(e[1].keys, ["W", "ctrl-w"]);
        assert_eq!(c.path(), Path::new("/x/config.toml"));
        let e = parse("[keys]\nhelp = 3\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn missing_file_is_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Config::load_from(&dir.path().join("none.toml")).unwrap(), Config::default());
    }
}
