//! Run `chimescope emulator` as a process for tests: parse its first stdout line for the URL,
//! kill it on drop.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_chimescope");

pub struct EmuProc {
    child: Child,
    pub url: String,
}

impl EmuProc {
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .arg("emulator")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn chimescope emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("read first line");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        EmuProc { child, url }
    }
}

impl Drop for EmuProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo seed as JSON.
pub fn demo_seed() -> serde_json::Value {
    serde_json::from_str(chimescope::emulator::store::DEMO_SEED).unwrap()
}

pub const U42: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69/user/u-42";
pub const ULOAD: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69/user/u-load-test";
pub const INSTANCE: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69";
