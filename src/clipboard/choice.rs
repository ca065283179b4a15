//! Which clipboard to use: the [`Backend`] and where the choice came from ([`Origin`]: flag,
//! environment, config file, default), the environment it reads ([`Env`], injectable), and
//! what `auto` picks in it ([`auto_route`]).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// The environment variable that picks the backend (clap also reads it into
/// `Global::clipboard`).
pub const ENV_VAR: &str = "CHIMESCOPE_CLIPBOARD";

/// Which clipboard to use (also `[clipboard] backend` in config.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, strum::VariantArray)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// System clipboard with a display and no SSH; OSC 52 otherwise or when the system fails.
    #[default]
    Auto,
    /// Only the system clipboard (arboard: X11 or Wayland data-control).
    System,
    /// Only OSC 52 written to the terminal (plus tmux's buffer inside tmux).
    Osc52,
    /// Copying is disabled; every copy fails with the reason.
    Off,
}

impl Backend {
    /// Every backend, in the order above (derived: a new backend is in it).
    pub const ALL: &'static [Backend] = <Self as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Auto => "auto",
            Backend::System => "system",
            Backend::Osc52 => "osc52",
            Backend::Off => "off",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A backend name that is none of `auto`, `system`, `osc52`, `off`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid clipboard backend \"{value}\"{}: expected one of auto, system, osc52, off",
    origin.map(|o| format!(" (from {})", o.name())).unwrap_or_default()
)]
pub struct ParseBackendError {
    pub value: String,
    /// Where the value came from, when known (set by [`BackendChoice::resolve`]).
    pub origin: Option<Origin>,
}

impl FromStr for Backend {
    type Err = ParseBackendError;

    /// Case-insensitive, surrounding whitespace ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Backend::ALL
            .iter()
            .copied()
            .find(|b| b.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| ParseBackendError { value: s.to_string(), origin: None })
    }
}

/// Where the backend choice came from; used to explain "clipboard is off".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--clipboard` on the command line.
    Flag,
    /// The `CHIMESCOPE_CLIPBOARD` environment variable.
    Env,
    /// `[clipboard] backend = "..."` in config.toml.
    Config,
    /// Nothing set: [`Backend::Auto`].
    Default,
}

impl Origin {
    /// The name of the setting, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Flag => "--clipboard",
            Origin::Env => ENV_VAR,
            Origin::Config => "config.toml",
            Origin::Default => "the default",
        }
    }

    /// How the setting reads with `backend` as its value, e.g. `CHIMESCOPE_CLIPBOARD=off`.
    pub fn describe(self, backend: Backend) -> String {
        match self {
            Origin::Flag => format!("--clipboard {backend}"),
            Origin::Env => format!("{ENV_VAR}={backend}"),
            Origin::Config => format!("[clipboard] backend = \"{backend}\" in config.toml"),
            Origin::Default => format!("default {backend}"),
        }
    }
}

/// The backend to use and where that choice came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackendChoice {
    pub backend: Backend,
    pub origin: Origin,
}

impl Default for BackendChoice {
    fn default() -> Self {
        BackendChoice { backend: Backend::Auto, origin: Origin::Default }
    }
}

impl BackendChoice {
    pub fn new(backend: Backend, origin: Origin) -> Self {
        BackendChoice { backend, origin }
    }

    /// Pick the backend: `flag_or_env` (clap's `Global::clipboard`, which holds `--clipboard` or
    /// else `CHIMESCOPE_CLIPBOARD`), then `config` (config.toml's `[clipboard] backend`), then `Auto`.
    ///
    /// `env` only serves to tell the flag and the variable apart for messages: the value counts
    /// as coming from the variable when the variable holds exactly that value.
    pub fn resolve(
        flag_or_env: Option<&str>,
        config: Option<&str>,
        env: &Env,
    ) -> Result<Self, ParseBackendError> {
        let (value, origin) = if let Some(v) = flag_or_env {
            let origin = if env.get(ENV_VAR).as_deref() == Some(v) { Origin::Env } else { Origin::Flag };
            (v, origin)
        } else if let Some(v) = config {
            (v, Origin::Config)
        } else {
            return Ok(BackendChoice::default());
        };
        value
            .parse::<Backend>()
            .map(|backend| BackendChoice { backend, origin })
            .map_err(|e| ParseBackendError { origin: Some(origin), ..e })
    }
}

// ---------------------------------------------------------------------------------------------
// Environment, injectable

/// Where environment variables are read from: the process, or a fixed map in tests (so unit
/// tests never mutate the process environment). An empty value counts as unset.
#[derive(Clone)]
pub struct Env(Arc<EnvFn>);

/// Looks one variable up.
type EnvFn = dyn Fn(&str) -> Option<String> + Send + Sync;

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Env(Arc::new(|k| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned())))
    }

    /// A fixed set of variables; everything else is unset.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let map: HashMap<String, String> = pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Env(Arc::new(move |k| map.get(k).cloned()))
    }

    /// The value of `key`, `None` when unset or empty.
    pub fn get(&self, key: &str) -> Option<String> {
        (self.0)(key).filter(|v| !v.is_empty())
    }

    pub fn is_set(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Env(..)")
    }
}

/// What `auto` does in this environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoRoute {
    /// A display and no SSH: try the system clipboard first.
    System,
    /// OSC 52, for this reason ("no display", "over SSH").
    Osc52(&'static str),
}

/// The `auto` decision: the system clipboard when `DISPLAY` or `WAYLAND_DISPLAY` is set and none
/// of `SSH_CONNECTION`, `SSH_TTY`, `SSH_CLIENT` is (over SSH a forwarded X display would put the
/// text on the remote machine's clipboard, or a slow tunnel's); OSC 52 otherwise.
pub fn auto_route(env: &Env) -> AutoRoute {
    let display = env.is_set("DISPLAY") || env.is_set("WAYLAND_DISPLAY");
    let ssh = ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"].iter().any(|k| env.is_set(k));
    match (display, ssh) {
        (true, false) => AutoRoute::System,
        (false, _) => AutoRoute::Osc52("no display"),
        (true, true) => AutoRoute::Osc52("over SSH"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_parses_case_insensitively_and_displays() {
        for (s, b) in [
            ("auto", Backend::Auto),
            ("SYSTEM", Backend::System),
            ("Osc52", Backend::Osc52),
            (" off ", Backend::Off),
        ] {
            assert_eq!(s.parse::<Backend>(), Ok(b));
        }
        for &b in Backend::ALL {
            assert_eq!(b.to_string().parse::<Backend>(), Ok(b));
        }
        assert_eq!(Backend::Osc52.to_string(), "osc52");
    }

    #[test]
    fn backend_parse_error_lists_the_four_values() {
        let err = "xclip".parse::<Backend>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid clipboard backend \"xclip\": expected one of auto, system, osc52, off"
        );
        let env = Env::from_pairs([(ENV_VAR, "osc-52")]);
        let err = BackendChoice::resolve(Some("osc-52"), None, &env).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid clipboard backend \"osc-52\" (from CHIMESCOPE_CLIPBOARD): expected one of \
             auto, system, osc52, off"
        );
        let err = BackendChoice::resolve(None, Some("x"), &Env::from_pairs::<&str, &str>([])).unwrap_err();
        assert_eq!(err.origin, Some(Origin::Config));
    }

    #[test]
    fn choice_order_flag_env_config_default() {
        let none = Env::from_pairs::<&str, &str>([]);
        let env = Env::from_pairs([(ENV_VAR, "off")]);
        assert_eq!(
            BackendChoice::resolve(Some("osc52"), Some("off"), &none),
            Ok(BackendChoice::new(Backend::Osc52, Origin::Flag))
        );
        // clap gives the flag precedence over the variable; the origin follows the value.
        assert_eq!(
            BackendChoice::resolve(Some("system"), None, &env),
            Ok(BackendChoice::new(Backend::System, Origin::Flag))
        );
        assert_eq!(
            BackendChoice::resolve(Some("off"), Some("system"), &env),
            Ok(BackendChoice::new(Backend::Off, Origin::Env))
        );
        assert_eq!(
            BackendChoice::resolve(None, Some("osc52"), &none),
            Ok(BackendChoice::new(Backend::Osc52, Origin::Config))
        );
        assert_eq!(BackendChoice::resolve(None, None, &env), Ok(BackendChoice::default()));
        assert_eq!(BackendChoice::default().backend, Backend::Auto);
    }

    #[test]
    fn auto_route_matrix() {
        let cases: &[(&[(&str, &str)], AutoRoute)] = &[
            (&[("DISPLAY", ":0")], AutoRoute::System),
            (&[("WAYLAND_DISPLAY", "wayland-0")], AutoRoute::System),
            (&[], AutoRoute::Osc52("no display")),
            (&[("DISPLAY", "")], AutoRoute::Osc52("no display")),
            (&[("SSH_TTY", "/dev/pts/1")], AutoRoute::Osc52("no display")),
            (&[("DISPLAY", "localhost:10.0"), ("SSH_CONNECTION", "a 1 b 22")], AutoRoute::Osc52("over SSH")),
            (&[("DISPLAY", ":0"), ("SSH_TTY", "/dev/pts/1")], AutoRoute::Osc52("over SSH")),
            (&[("WAYLAND_DISPLAY", "w"), ("SSH_CLIENT", "a 1 22")], AutoRoute::Osc52("over SSH")),
        ];
        for (vars, want) in cases {
            assert_eq!(auto_route(&Env::from_pairs(vars.iter().copied())), *want, "{vars:?}");
        }
    }
}
