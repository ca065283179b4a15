#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The layers, checked by reading the sources (DESIGN.md, "Module map"):
//! - only src/aws/ names the AWS SDK (its crates: `aws_sdk_*`, `aws_smithy_*`, `aws_config`,
//!   `aws_types`, `aws_credential_types`, `aws_runtime`);
//! - src/model/ is the domain: no runtime, screen, files or SDK (`tokio`, `ratatui`,
//!   `crossterm`, `std::fs`, `crate::aws`), and nothing of the crate but itself;
//! - src/doctor/ is pure too: no runtime, screen, files or SDK, and nothing of the crate but
//!   itself and src/model/;
//! - src/store/ and src/commands/ never reach into the browser (`tui`).
//!
//! The emulator's own rule is in tests/emulator_layering.rs.
//!
//! One test binary for the layering rules read from the sources: the browser's (`tui.rs`) and
//! the import graph's (`imports.rs`: no import cycle among the files of `src/`) are its modules.

mod imports;
mod tui;

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The code of a line: what comes before a `//` comment (doc comments included).
fn code(line: &str) -> &str {
    line.split("//").next().unwrap_or("")
}

/// Whether `code` names the path `name` as a whole word at its start (`aws_config::…`, not
/// `my_aws_config`), or, for a name ending in `_`, any crate of that prefix.
fn names(code: &str, name: &str) -> bool {
    code.match_indices(name).any(|(i, _)| {
        let before = code[..i].chars().last();
        let after = code[i + name.len()..].chars().next();
        let starts = !before.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let ends = name.ends_with('_') || !after.is_some_and(|c| c.is_alphanumeric() || c == '_');
        starts && ends
    })
}

/// `use std::{fs, …}` and `std::{io, fs::File}` name `std::fs` too.
fn names_std_fs(code: &str) -> bool {
    if code.contains("std::fs") {
        return true;
    }
    code.match_indices("std::{").any(|(i, _)| {
        let group = &code[i + "std::{".len()..];
        let group = group.split('}').next().unwrap_or("");
        group.split(',').any(|item| {
            let item = item.trim();
            item == "fs" || item.starts_with("fs::") || item.starts_with("fs ")
        })
    })
}

/// Every line under `dir` (relative to src/) for which `bad` says what is forbidden.
fn offences(dir: &str, bad: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let root = src().join(dir);
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(!files.is_empty(), "found the sources of src/{dir}");
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            if let Some(what) = bad(code(line)) {
                found.push(format!("{}:{}: {what}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

const SDK: [&str; 6] =
    ["aws_sdk_", "aws_smithy_", "aws_config", "aws_types", "aws_credential_types", "aws_runtime"];

fn sdk_named(code: &str) -> Option<String> {
    SDK.iter().find(|c| names(code, c)).map(|c| format!("names the SDK ({c})"))
}

#[test]
fn only_aws_names_the_sdk() {
    let root = src();
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name == "aws" {
            continue;
        }
        if p.is_dir() {
            found.extend(offences(&name, sdk_named));
        } else if name.ends_with(".rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            for (n, line) in text.lines().enumerate() {
                if let Some(what) = sdk_named(code(line)) {
                    found.push(format!("{}:{}: {what}: {}", p.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "the SDK outside src/aws/:\n{}", found.join("\n"));
}

fn model_offence(code: &str) -> Option<String> {
    pure_offence(code, &["model"])
}

/// What a pure layer may not name: the runtime, the screen, files, the SDK, and any module of
/// the crate but those in `allowed`.
fn pure_offence(code: &str, allowed: &[&str]) -> Option<String> {
    for c in ["tokio", "ratatui", "crossterm", "chimescope::"] {
        if names(code, c) {
            return Some(format!("names {c}"));
        }
    }
    if names_std_fs(code) {
        return Some("names std::fs".into());
    }
    for (i, _) in code.match_indices("crate::") {
        if code[..i].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[i + "crate::".len()..];
        if !allowed.iter().any(|a| rest.starts_with(a)) {
            let module = rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or("");
            return Some(format!("imports crate::{module}"));
        }
    }
    if code.contains("super::super::") {
        return Some("climbs out of its directory".into());
    }
    sdk_named(code)
}

#[test]
fn the_model_is_the_domain_only() {
    let found = offences("model", model_offence);
    assert!(found.is_empty(), "src/model/ reaches outside the domain:\n{}", found.join("\n"));
}

fn doctor_offence(code: &str) -> Option<String> {
    pure_offence(code, &["model", "doctor"])
}

#[test]
fn the_doctor_is_pure() {
    let found = offences("doctor", doctor_offence);
    assert!(found.is_empty(), "src/doctor/ reaches outside the records:\n{}", found.join("\n"));
}

fn tui_named(code: &str) -> Option<String> {
    ["crate::tui", "chimescope::tui", "super::tui", "super::super::tui"]
        .iter()
        .find(|p| names(code, p))
        .map(|p| format!("imports the browser ({p})"))
}

#[test]
fn store_and_commands_never_reach_into_the_browser() {
    let mut found = offences("store", tui_named);
    found.extend(offences("commands", tui_named));
    assert!(found.is_empty(), "the browser imported from below it:\n{}", found.join("\n"));
}

/// The checks themselves catch what they are for.
#[test]
fn the_checks_see_what_they_forbid() {
    assert!(sdk_named("use aws_sdk_chimesdkidentity as sdk;").is_some());
    assert!(sdk_named("    let c: aws_smithy_types::DateTime;").is_some());
    assert!(sdk_named("use aws_config::BehaviorVersion;").is_some());
    assert!(sdk_named("let my_aws_config = 1;").is_none());
    assert!(model_offence("use tokio::sync::mpsc;").is_some());
    assert!(model_offence("use std::{fmt, fs};").is_some());
    assert!(model_offence("let t = std::fs::read(p);").is_some());
    assert!(model_offence("use crate::aws::Client;").is_some());
    assert!(model_offence("use ratatui::style::Color;").is_some());
    assert!(model_offence("use crate::model::Timestamp;").is_none());
    assert!(model_offence("use std::fmt;").is_none());
    assert!(model_offence("\"a type this version of chimescope does not know\"").is_none());
    assert!(doctor_offence("use crate::model::Endpoint;").is_none());
    assert!(doctor_offence("use crate::aws::Client;").is_some());
    assert!(doctor_offence("use tokio::time;").is_some());
    assert!(doctor_offence("use crossterm::event;").is_some());
    assert!(doctor_offence("use std::fs;").is_some());
    assert!(doctor_offence("use aws_sdk_pinpoint as pp;").is_some());
    assert!(doctor_offence("use crate::tui::App;").is_some());
    assert!(tui_named("use crate::tui::app::App;").is_some());
    assert!(tui_named("use crate::tuik;").is_none());
    // `code` drops comments, so documentation may name what code may not.
    assert_eq!(code("use x; // aws_config"), "use x; ");
}
