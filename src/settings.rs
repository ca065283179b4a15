//! One [`Settings`] for every mode (DESIGN.md, "Command line"): command-line flags over the
//! environment over `config.toml` over the built-in defaults. The browser, `describe`, `list`
//! and `history` all start from here, so a key in the config file means the same everywhere
//! and a broken file is refused everywhere (exit 253, the AWS CLI's code for configuration).
//!
//! | setting      | flag             | environment                                              | config.toml          |
//! |--------------|------------------|----------------------------------------------------------|----------------------|
//! | profile      | `--profile`      | `AWS_PROFILE`                                            | `[aws] profile`      |
//! | region       | `--region`       | (the ARN's; then `AWS_REGION`, the profile: the SDK)     | —                    |
//! | endpoint URL | `--endpoint-url` | `AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY`, `AWS_ENDPOINT_URL` | —                    |
//! | Pinpoint URL | `--endpoint-url` | `AWS_ENDPOINT_URL_PINPOINT`, `AWS_ENDPOINT_URL`            | —                    |
//! | timeout      | `--timeout`      | —                                                        | `[aws] timeout_secs` |
//! | mouse        | `--mouse`        | —                                                        | `[ui] mouse`         |
//! | rate         | `--rate` (browser) | —                                                      | `[aws] rate`         |
//! | scan rate    | `scan --rate`, `:scan --rate` | —                                           | `[scan] rate`        |
//! | scan in flight | `scan --concurrency` | —                                                    | `[scan] concurrency` |
//! | clipboard    | `--clipboard`    | `CHIMESCOPE_CLIPBOARD`                                   | `[clipboard] backend`|
//! | read-only    | `--readonly`     | `CHIMESCOPE_READONLY` (`1`/`true`/`yes`, `0`/`false`/`no`) | `[aws] readonly`    |
//! | Pinpoint checks | `--no-pinpoint` (browser; `doctor`, `scan` their own) | —          | `[doctor] pinpoint`  |
//!
//! The Pinpoint checks are on unless the flag or the config file turns them off; the config
//! file's `false` holds for the browser, `doctor` and `scan --diagnose` alike.
//!
//! Read-only is on when any of the three says so: a flag cannot turn off what the environment
//! or the config file turned on (a safety setting only ever adds safety).
//!
//! An environment variable set to the empty string counts as unset, as the AWS CLI treats it.
//! Values are checked here, before any request: a bad flag is exit 252, a bad environment
//! variable or config file 253, each message naming where the value came from.

use crate::aws;
use crate::cli::Global;
use crate::clipboard::{BackendChoice, Env};
use crate::config::{Config, ConfigError};
use crate::defaults;
use std::fmt;
use std::time::Duration;

use crate::exit::{EXIT_BAD_ARGS, EXIT_CONFIG};

/// The endpoint URL's environment variables, which the SDK client also reads (kept here under
/// their old path).
pub use crate::aws::{ENDPOINT_URL_VARS, MESSAGING_ENDPOINT_URL_VARS, PINPOINT_ENDPOINT_URL_VARS};

/// Which mode the settings are for: only the browser resolves the clipboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Browser,
    /// `describe`, `list`.
    Client,
    /// `history`: only the config file matters.
    History,
}

/// Where a value came from, for messages ("--profile nope", "AWS_PROFILE=nope").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Env(&'static str),
    /// `[section] key` in config.toml.
    Config(&'static str),
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(s) | Source::Env(s) => f.write_str(s),
            Source::Config(k) => write!(f, "{k} in config.toml"),
            Source::Default => f.write_str("the default"),
        }
    }
}

/// Everything a mode needs to know about how to run.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `--demo`: the embedded service on loopback.
    pub demo: bool,
    /// Profile, region flag, endpoint URL and timeout for the client.
    pub aws: aws::ClientOptions,
    pub profile_source: Source,
    pub endpoint_source: Source,
    /// The browser's Identity requests a second (`--rate`, `[aws] rate`).
    pub rate: f64,
    /// A scan's requests a second and requests in flight, unless its flags or `:scan --rate`
    /// say otherwise (`[scan] rate`, `[scan] concurrency`).
    pub scan_rate: f64,
    pub scan_concurrency: usize,
    /// Throttles in a row after which a scan stops (`[scan] max_throttles`, `--max-throttles`).
    pub scan_max_throttles: u64,
    pub mouse: bool,
    pub show_secrets: bool,
    /// Ring the bell when a watched endpoint changes (`[ui] bell`).
    pub bell: bool,
    /// The clipboard backend (resolved for the browser only; the default otherwise).
    pub clipboard: BackendChoice,
    pub history: crate::store::history::Options,
    /// Refuse every write (register, update, deregister): nothing is sent.
    pub readonly: bool,
    /// What turned read-only on (the first of flag, environment, config that did).
    pub readonly_source: Source,
    /// The doctor's Pinpoint checks (`--no-pinpoint`, `[doctor] pinpoint = false` turn them off).
    pub pinpoint: bool,
    /// What turned them off (the flag first), or the default.
    pub pinpoint_source: Source,
    /// The browser's keys from `[keys]` in config.toml (checked by the browser's key map).
    pub keys: Vec<crate::config::KeyEntry>,
    /// The config file they came from, for messages.
    pub config_path: std::path::PathBuf,
}

/// The environment variable that turns read-only mode on.
pub const READONLY_VAR: &str = "CHIMESCOPE_READONLY";

/// Settings that cannot be used: the message to print and the exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsError {
    pub code: i32,
    pub message: String,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl SettingsError {
    fn bad_flag(message: String) -> Self {
        Self { code: EXIT_BAD_ARGS, message }
    }
    fn config(message: String) -> Self {
        Self { code: EXIT_CONFIG, message }
    }
    fn from_config(e: &ConfigError) -> Self {
        Self::config(format!(
            "{e}\n  Every key is optional; unknown keys and wrong types are refused so that a typo is not silently ignored."
        ))
    }
}

impl Settings {
    /// From the flags, the process environment and `$XDG_CONFIG_HOME/chimescope/config.toml`.
    pub fn load(g: &Global, mode: Mode) -> Result<Settings, SettingsError> {
        Self::resolve(g, &Env::process(), Config::load(), mode)
    }

    /// The same from given inputs (tests).
    pub fn resolve(
        g: &Global,
        env: &Env,
        config: Result<Config, ConfigError>,
        mode: Mode,
    ) -> Result<Settings, SettingsError> {
        let cfg = config.map_err(|e| SettingsError::from_config(&e))?;
        let (profile, profile_source) = if let Some(p) = &g.profile {
            (Some(p.clone()), Source::Flag("--profile"))
        } else if let Some(p) = env.get("AWS_PROFILE") {
            (Some(p), Source::Env("AWS_PROFILE"))
        } else if let Some(p) = &cfg.aws.profile {
            (Some(p.clone()), Source::Config("[aws] profile"))
        } else {
            (None, Source::Default)
        };
        if let Some(p) = &profile
            && p.trim().is_empty()
        {
            return Err(SettingsError::bad_flag("--profile: the profile name is empty".into()));
        }
        if let Some(r) = &g.region {
            aws::check_region(r).map_err(|e| SettingsError::bad_flag(format!("--region: {e}")))?;
        }
        for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let Some(r) = env.get(var) {
                aws::check_region(&r).map_err(|e| SettingsError::config(format!("{var}: {e}")))?;
            }
        }
        let (endpoint_url, endpoint_source) = if let Some(u) = &g.endpoint_url {
            check_url(u).map_err(|e| SettingsError::bad_flag(format!("--endpoint-url: {e}")))?;
            (Some(u.clone()), Source::Flag("--endpoint-url"))
        } else if let Some((var, u)) = ENDPOINT_URL_VARS.iter().find_map(|v| env.get(v).map(|u| (*v, u))) {
            check_url(&u).map_err(|e| SettingsError::config(format!("{var}: {e}")))?;
            (Some(u), Source::Env(var))
        } else {
            (None, Source::Default)
        };
        // `--endpoint-url` points both services; without it, each has its own variables.
        let own_url = |vars: &[&str]| -> Result<Option<String>, SettingsError> {
            if g.endpoint_url.is_some() {
                return Ok(endpoint_url.clone());
            }
            match vars.iter().find_map(|v| env.get(v).map(|u| (*v, u))) {
                Some((var, u)) => {
                    check_url(&u).map_err(|e| SettingsError::config(format!("{var}: {e}")))?;
                    Ok(Some(u))
                }
                None => Ok(None),
            }
        };
        let pinpoint_endpoint_url = own_url(&PINPOINT_ENDPOINT_URL_VARS)?;
        let messaging_endpoint_url = own_url(&MESSAGING_ENDPOINT_URL_VARS)?;
        let timeout = Duration::from_secs_f64(g.timeout.unwrap_or(cfg.aws.timeout_secs));
        let clipboard = match mode {
            Mode::Browser => {
                BackendChoice::resolve(g.clipboard.as_deref(), cfg.clipboard.backend.map(|b| b.as_str()), env)
                    .map_err(|e| SettingsError::bad_flag(e.to_string()))?
            }
            Mode::Client | Mode::History => BackendChoice::default(),
        };
        let env_readonly = match env.get(READONLY_VAR) {
            None => false,
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                _ => {
                    return Err(SettingsError::config(format!(
                        "{READONLY_VAR}={}: expected 1 or 0 (also true/false, yes/no)",
                        crate::model::escape_control(&v)
                    )));
                }
            },
        };
        let (readonly, readonly_source) = if g.readonly {
            (true, Source::Flag("--readonly"))
        } else if env_readonly {
            (true, Source::Env(READONLY_VAR))
        } else if cfg.aws.readonly {
            (true, Source::Config("[aws] readonly"))
        } else {
            (false, Source::Default)
        };
        let (pinpoint, pinpoint_source) = if g.no_pinpoint {
            (false, Source::Flag("--no-pinpoint"))
        } else if !cfg.doctor.pinpoint {
            (false, Source::Config("[doctor] pinpoint"))
        } else {
            (true, Source::Default)
        };
        Ok(Settings {
            keys: cfg.key_entries(),
            config_path: cfg.path().to_path_buf(),
            demo: g.demo,
            pinpoint,
            pinpoint_source,
            readonly,
            readonly_source,
            aws: aws::ClientOptions {
                profile,
                region: g.region.clone(),
                endpoint_url,
                pinpoint_endpoint_url,
                messaging_endpoint_url,
                timeout,
                ..aws::ClientOptions::default()
            },
            profile_source,
            endpoint_source,
            mouse: g.mouse || cfg.ui.mouse,
            rate: g.rate.or(cfg.aws.rate).unwrap_or(defaults::RATE),
            scan_rate: cfg.scan.rate.unwrap_or(defaults::SCAN_RATE),
            scan_concurrency: cfg.scan.concurrency.unwrap_or(defaults::SCAN_CONCURRENCY),
            scan_max_throttles: cfg.scan.max_throttles.unwrap_or(defaults::SCAN_MAX_THROTTLES),
            show_secrets: cfg.ui.show_secrets,
            bell: cfg.ui.bell,
            clipboard,
            history: crate::store::history::Options {
                cap: cfg.history.cap,
                store_secrets: cfg.history.store_secrets,
            },
        })
    }
}

impl Settings {
    /// Why the Pinpoint checks are off, in a word for messages (`--no-pinpoint`, or the
    /// config file's key); None when they are on.
    pub fn pinpoint_off(&self) -> Option<String> {
        match (&self.pinpoint, &self.pinpoint_source) {
            (true, _) => None,
            (false, Source::Config(_)) => Some("config: [doctor] pinpoint = false".into()),
            (false, src) => Some(src.to_string()),
        }
    }
}

/// An endpoint URL must be `http://` or `https://` with a host.
pub fn check_url(url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://"));
    let host_ok = rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty()
            && !host.starts_with(':')
            && !host.chars().any(|c| c.is_whitespace() || c.is_control())
    });
    if host_ok {
        Ok(())
    } else {
        Err(format!(
            "{:?} is not a URL; expected e.g. http://127.0.0.1:8000",
            crate::model::escape_control(url)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn cfg(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/c/config.toml"))
    }

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn flags_over_environment_over_config_over_defaults() {
        let file = "[aws]\nprofile = \"filed\"\ntimeout_secs = 3.0\n[ui]\nmouse = true\n";
        let s = Settings::resolve(&Global::default(), &env(&[]), cfg(file), Mode::Client).unwrap();
        assert_eq!(s.aws.profile.as_deref(), Some("filed"));
        assert_eq!(s.profile_source, Source::Config("[aws] profile"));
        assert_eq!(s.aws.timeout, Duration::from_secs(3));
        assert!(s.mouse);
        let s =
            Settings::resolve(&Global::default(), &env(&[("AWS_PROFILE", "envd")]), cfg(file), Mode::Client)
                .unwrap();
        assert_eq!(s.aws.profile.as_deref(), Some("envd"));
        let g = Global { profile: Some("flagged".into()), timeout: Some(10.0), ..Global::default() };
        let s = Settings::resolve(&g, &env(&[("AWS_PROFILE", "envd")]), cfg(file), Mode::Client).unwrap();
        assert_eq!(s.aws.profile.as_deref(), Some("flagged"));
        assert_eq!(s.aws.timeout, Duration::from_secs(10), "a flag equal to the default still wins");
        let s = Settings::resolve(&Global::default(), &env(&[]), cfg(""), Mode::Client).unwrap();
        assert_eq!((s.aws.profile, s.profile_source), (None, Source::Default));
        assert_eq!(s.aws.timeout, crate::defaults::TIMEOUT);
    }

    #[test]
    fn the_browser_s_rate_from_the_flag_over_the_config_over_the_default() {
        let s = Settings::resolve(&Global::default(), &env(&[]), cfg(""), Mode::Browser).unwrap();
        assert_eq!(s.rate, crate::defaults::RATE);
        let s = Settings::resolve(&Global::default(), &env(&[]), cfg("[aws]\nrate = 4.5\n"), Mode::Browser)
            .unwrap();
        assert_eq!(s.rate, 4.5);
        let g = Global { rate: Some(2.0), ..Global::default() };
        let s = Settings::resolve(&g, &env(&[]), cfg("[aws]\nrate = 4.5\n"), Mode::Browser).unwrap();
        assert_eq!(s.rate, 2.0);
        let e = cfg("[aws]\nrate = 0\n").unwrap_err();
        assert!(e.to_string().contains("aws.rate = 0"), "{e}");
        // A scan's pace is its own table's, not the browser's.
        assert_eq!(
            (s.scan_rate, s.scan_concurrency),
            (crate::defaults::SCAN_RATE, crate::defaults::SCAN_CONCURRENCY)
        );
        let s =
            Settings::resolve(&g, &env(&[]), cfg("[scan]\nrate = 40.0\nconcurrency = 16\n"), Mode::Client)
                .unwrap();
        assert_eq!((s.rate, s.scan_rate, s.scan_concurrency), (2.0, 40.0, 16));
    }

    #[test]
    fn the_pinpoint_checks_are_on_unless_the_flag_or_the_config_turns_them_off() {
        let s = Settings::resolve(&Global::default(), &env(&[]), cfg(""), Mode::Browser).unwrap();
        assert_eq!((s.pinpoint, &s.pinpoint_source, s.pinpoint_off()), (true, &Source::Default, None));
        let on = "[doctor]\npinpoint = true\n";
        let off = "[doctor]\npinpoint = false\n";
        let s = Settings::resolve(&Global::default(), &env(&[]), cfg(on), Mode::Browser).unwrap();
        assert!(s.pinpoint);
        for mode in [Mode::Browser, Mode::Client] {
            let s = Settings::resolve(&Global::default(), &env(&[]), cfg(off), mode).unwrap();
            assert_eq!((s.pinpoint, &s.pinpoint_source), (false, &Source::Config("[doctor] pinpoint")));
            assert_eq!(s.pinpoint_off().as_deref(), Some("config: [doctor] pinpoint = false"));
        }
        let g = Global { no_pinpoint: true, ..Global::default() };
        for file in ["", on, off] {
            let s = Settings::resolve(&g, &env(&[]), cfg(file), Mode::Browser).unwrap();
            assert_eq!((s.pinpoint, &s.pinpoint_source), (false, &Source::Flag("--no-pinpoint")), "{file:?}");
            assert_eq!(s.pinpoint_off().as_deref(), Some("--no-pinpoint"));
        }
        let e = cfg("[doctor]\npinpoint = \"no\"\n").unwrap_err();
        assert!(e.to_string().contains("line 2") && e.to_string().contains("expected a boolean"), "{e}");
        let e = cfg("[doctor]\npinpont = false\n").unwrap_err();
        assert!(e.to_string().contains("pinpont"), "a typo is refused: {e}");
    }

    #[test]
    fn empty_environment_variables_are_unset() {
        let e = env(&[
            ("AWS_PROFILE", ""),
            ("AWS_ENDPOINT_URL", ""),
            ("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", ""),
        ]);
        let s = Settings::resolve(&Global::default(), &e, cfg(""), Mode::Client).unwrap();
        assert_eq!(s.aws.profile, None);
        assert_eq!(s.aws.endpoint_url, None);
        let e =
            env(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:9"), ("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", "")]);
        let s = Settings::resolve(&Global::default(), &e, cfg(""), Mode::Client).unwrap();
        assert_eq!(s.aws.endpoint_url.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(s.endpoint_source, Source::Env("AWS_ENDPOINT_URL"));
    }

    #[test]
    fn messaging_goes_where_the_flag_or_its_own_variables_say() {
        let e = env(&[
            ("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", "http://127.0.0.1:1"),
            ("AWS_ENDPOINT_URL_PINPOINT", "http://127.0.0.1:2"),
        ]);
        let s = Settings::resolve(&Global::default(), &e, cfg(""), Mode::Client).unwrap();
        assert_eq!(s.aws.messaging_endpoint_url, None, "the other services' variables are theirs");
        let e = env(&[
            ("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", "http://127.0.0.1:5"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:3"),
        ]);
        let s = Settings::resolve(&Global::default(), &e, cfg(""), Mode::Client).unwrap();
        assert_eq!(s.aws.messaging_endpoint_url.as_deref(), Some("http://127.0.0.1:5"));
        let g = Global { endpoint_url: Some("http://127.0.0.1:4".into()), ..Global::default() };
        let s = Settings::resolve(&g, &e, cfg(""), Mode::Client).unwrap();
        assert_eq!(
            s.aws.messaging_endpoint_url.as_deref(),
            Some("http://127.0.0.1:4"),
            "the flag points all"
        );
        let e = env(&[("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", "nope")]);
        assert!(Settings::resolve(&Global::default(), &e, cfg(""), Mode::Client).is_err());
    }

    #[test]
    fn pinpoint_goes_where_the_flag_or_its_own_variables_say() {
        let id = ("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", "http://127.0.0.1:1");
        let s = Settings::resolve(&Global::default(), &env(&[id]), cfg(""), Mode::Client).unwrap();
        assert_eq!(s.aws.pinpoint_endpoint_url, None, "Identity's variable is Identity's only");
        let e = env(&[
            id,
            ("AWS_ENDPOINT_URL_PINPOINT", "http://127.0.0.1:2"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:3"),
        ]);
        let s = Settings::resolve(&Global::default(), &e, cfg(""), Mode::Client).unwrap();
        assert_eq!(s.aws.pinpoint_endpoint_url.as_deref(), Some("http://127.0.0.1:2"));
        let e = env(&[("AWS_ENDPOINT_URL_PINPOINT", ""), ("AWS_ENDPOINT_URL", "http://127.0.0.1:3")]);
        let s = Settings::resolve(&Global::default(), &e, cfg(""), Mode::Client).unwrap();
        assert_eq!(s.aws.pinpoint_endpoint_url.as_deref(), Some("http://127.0.0.1:3"), "blank is unset");
        let g = Global { endpoint_url: Some("http://127.0.0.1:4".into()), ..Global::default() };
        let s = Settings::resolve(&g, &e, cfg(""), Mode::Client).unwrap();
        assert_eq!(
            s.aws.pinpoint_endpoint_url.as_deref(),
            Some("http://127.0.0.1:4"),
            "the flag points both"
        );
        let e = env(&[("AWS_ENDPOINT_URL_PINPOINT", "nope")]);
        assert!(Settings::resolve(&Global::default(), &e, cfg(""), Mode::Client).is_err());
    }

    #[test]
    fn bad_values_name_their_source_and_code() {
        let g = Global { region: Some("us east 1".into()), ..Global::default() };
        let e = Settings::resolve(&g, &env(&[]), cfg(""), Mode::Client).unwrap_err();
        assert_eq!(e.code, EXIT_BAD_ARGS);
        assert!(e.message.starts_with("--region: "), "{e}");
        let e = Settings::resolve(
            &Global::default(),
            &env(&[("AWS_REGION", "us east 1")]),
            cfg(""),
            Mode::Client,
        )
        .unwrap_err();
        assert_eq!(e.code, EXIT_CONFIG);
        assert!(e.message.starts_with("AWS_REGION: "), "{e}");
        let e = Settings::resolve(
            &Global::default(),
            &env(&[("AWS_ENDPOINT_URL", "nope")]),
            cfg(""),
            Mode::Client,
        )
        .unwrap_err();
        assert_eq!(e.code, EXIT_CONFIG);
        let e = Settings::resolve(&Global::default(), &env(&[]), cfg("[aws]\ntimeout = 3\n"), Mode::History)
            .unwrap_err();
        assert_eq!(e.code, EXIT_CONFIG);
        assert!(e.message.contains("/c/config.toml, line 2"), "{e}");
    }

    #[test]
    fn readonly_from_the_flag_the_environment_or_the_config() {
        let on = |g: &Global, e: &[(&str, &str)], c: &str| {
            let s = Settings::resolve(g, &env(e), cfg(c), Mode::Client).unwrap();
            (s.readonly, s.readonly_source)
        };
        let g = Global::default();
        assert_eq!(on(&g, &[], ""), (false, Source::Default));
        assert_eq!(on(&g, &[], "[aws]\nreadonly = true\n"), (true, Source::Config("[aws] readonly")));
        assert_eq!(on(&g, &[(READONLY_VAR, "1")], ""), (true, Source::Env(READONLY_VAR)));
        assert_eq!(on(&g, &[(READONLY_VAR, "0")], ""), (false, Source::Default));
        assert_eq!(on(&g, &[(READONLY_VAR, "")], ""), (false, Source::Default), "empty is unset");
        let flag = Global { readonly: true, ..Global::default() };
        assert_eq!(on(&flag, &[(READONLY_VAR, "1")], ""), (true, Source::Flag("--readonly")));
        // The environment saying 0 does not undo the config file's true: safety only adds up.
        assert!(on(&g, &[(READONLY_VAR, "0")], "[aws]\nreadonly = true\n").0);
        let e = Settings::resolve(&g, &env(&[(READONLY_VAR, "maybe")]), cfg(""), Mode::Client).unwrap_err();
        assert_eq!(e.code, EXIT_CONFIG);
        assert!(e.message.starts_with("CHIMESCOPE_READONLY=maybe"), "{e}");
    }

    #[test]
    fn urls() {
        assert!(check_url("http://127.0.0.1:8000").is_ok());
        assert!(check_url("https://identity-chime.us-east-1.amazonaws.com/").is_ok());
        for bad in ["", "127.0.0.1:8000", "http://", "http:///x", "http://a b", "ftp://x"] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
