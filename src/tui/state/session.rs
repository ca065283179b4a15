//! Where requests go and on whose behalf: fixed for the life of the browser.

use crate::model;
use crate::model::Target;

/// Where requests go and on whose behalf: fixed for the life of the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// "default", the profile's name, or "demo".
    pub profile: String,
    pub target: Target,
    /// `--region` (or the config file's), which wins over the ARN's region.
    pub region_flag: Option<String>,
    /// The profile's or environment's region, for requests that carry no ARN.
    pub default_region: String,
    /// Read-only mode: the write keys are hidden and refused.
    pub readonly: bool,
    /// What turned read-only on from outside the browser (`--readonly`,
    /// `CHIMESCOPE_READONLY`, `[aws] readonly in config.toml`): `:write` cannot lift it, only
    /// a restart without it. None: read-only, if on, was the session's own `:readonly`.
    pub readonly_locked: Option<String>,
}

impl Session {
    /// The same rule as the client's: the flag, then the ARN, then the profile.
    pub fn region_for(&self, arn_region: Option<&str>) -> String {
        crate::model::choose_region(self.region_flag.as_deref(), arn_region, &self.default_region)
    }

    /// Where requests go, for the status bar.
    pub fn target_label(&self) -> String {
        match &self.target {
            Target::Aws => "AWS".into(),
            Target::Custom(u) => format!("custom {}", model::escape_control(u)),
            Target::Demo(_) => "demo (local)".into(),
        }
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.target, Target::Demo(_))
    }

    /// A session for tests and benches: the embedded demo service.
    pub fn demo() -> Self {
        Self {
            profile: "demo".into(),
            target: Target::Demo("http://127.0.0.1:4566".into()),
            region_flag: None,
            default_region: "us-east-1".into(),
            readonly: false,
            readonly_locked: None,
        }
    }

    /// Read-only from `source` (a flag, the environment, the config file), for the life of
    /// the browser.
    pub fn locked_readonly(self, source: impl Into<String>) -> Self {
        Self { readonly: true, readonly_locked: Some(source.into()), ..self }
    }
}
