//! The AWS CLI for the cross-checks: where to find it, and a command that runs it isolated
//! from the machine's AWS configuration (no profile files, no IMDS, one attempt).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `$CHIMESCOPE_AWS_CLI`, then `.venv-awscli/bin/aws` (where `.ci/run` installs it), then `aws`
/// on PATH. Under CI it must be there (a panic); elsewhere `None` with a SKIPPED message.
pub fn find() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHIMESCOPE_AWS_CLI") {
        return Some(PathBuf::from(p));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv-awscli/bin/aws");
    if venv.exists() {
        return Some(venv);
    }
    if Command::new("aws").arg("--version").output().is_ok_and(|o| o.status.success()) {
        return Some(PathBuf::from("aws"));
    }
    if std::env::var_os("CI").is_some() {
        panic!("the AWS CLI is required under CI (.ci/run installs it into .venv-awscli)");
    }
    eprintln!("SKIPPED: no AWS CLI found (run .ci/run, or pip install awscli)");
    None
}

/// `aws chime-sdk-identity --endpoint-url URL --output json` with the environment cleared but
/// for PATH, a throw-away HOME, the given key and secret and region us-east-1 (a later
/// `--region` argument wins). The caller adds the operation's arguments and keeps `home` alive.
pub fn command(bin: &Path, url: &str, key: &str, secret: &str, home: &Path) -> Command {
    command_for(bin, "chime-sdk-identity", url, key, secret, home)
}

/// As [`command`], for another service of the CLI (`pinpoint`).
pub fn command_for(bin: &Path, service: &str, url: &str, key: &str, secret: &str, home: &Path) -> Command {
    let mut c = Command::new(bin);
    c.arg(service)
        .args(["--endpoint-url", url, "--output", "json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_ACCESS_KEY_ID", key)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    c
}

/// The endpoint as another client reads it: the AWS CLI when there is one, else `chimescope
/// describe` (the built binary). None: it does not exist (NotFoundException; anything else
/// panics). The emulator at `url` takes the key `AKIDTEST` / `secret`.
pub fn describe_elsewhere(url: &str, user: &str, id: &str) -> Option<serde_json::Value> {
    let home = tempfile::tempdir().unwrap();
    let args = ["describe-app-instance-user-endpoint", "--app-instance-user-arn", user, "--endpoint-id", id];
    let out = match find() {
        Some(cli) => command(&cli, url, "AKIDTEST", "secret", home.path()).args(args).output().unwrap(),
        None => Command::new(env!("CARGO_BIN_EXE_chimescope"))
            .args(["describe", "--app-instance-user-arn", user, "--endpoint-id", id, "--endpoint-url", url])
            .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .env("HOME", home.path())
            .output()
            .unwrap(),
    };
    if out.status.success() {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        return Some(v["AppInstanceUserEndpoint"].clone());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("NotFoundException"), "{err}");
    None
}
