#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The emulator is built from the service model, not from the client: nothing under
//! src/emulator/ may name a module of the crate outside src/emulator/ (the client's model,
//! aws, tui, doctor, …), whether by `crate::` or by climbing out with `super::`.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// What a line of `file` imports from outside the emulator, if anything.
fn escapes(root: &Path, file: &Path, line: &str, nested: usize) -> Option<String> {
    let code = line.split("//").next().unwrap_or("");
    for (i, _) in code.match_indices("crate::") {
        let before = code[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `some_crate::`
        }
        let rest = &code[i + "crate::".len()..];
        if !rest.starts_with("emulator") {
            return Some(format!(
                "crate::{}",
                rest.split(|c: char| !c.is_alphanumeric() && c != '_' && c != '{').next().unwrap_or("")
            ));
        }
    }
    if code.contains("chimescope::") {
        return Some("chimescope::".into());
    }
    // How many `super::` a file may climb and still be inside src/emulator/.
    let rel = file.strip_prefix(root).unwrap();
    let depth = rel.components().count() - 1; // directories below src/emulator
    let is_mod = file.file_name().is_some_and(|n| n == "mod.rs");
    let allowed = if is_mod { depth } else { depth + 1 } + nested;
    let mut max = 0;
    for (i, _) in code.match_indices("super::") {
        let mut n = 0;
        let mut rest = &code[i..];
        while let Some(r) = rest.strip_prefix("super::") {
            n += 1;
            rest = r;
        }
        max = max.max(n);
    }
    (max > allowed).then(|| format!("{} × super::", max))
}

#[test]
fn the_emulator_imports_nothing_of_the_client() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emulator");
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(files.len() > 10, "found the emulator's sources");
    let mut bad = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        // Inside an inline `mod tests { … }`, `super::` climbs one level less far.
        let mut nested = 0;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("mod ") && line.trim_end().ends_with('{') {
                nested += 1;
            }
            if let Some(what) = escapes(&root, f, line, nested) {
                bad.push(format!("{}:{}: {what}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(bad.is_empty(), "the emulator reaches outside src/emulator/:\n{}", bad.join("\n"));
}

#[test]
fn the_check_catches_what_it_must() {
    let root = Path::new("/r/src/emulator");
    let top = root.join("request.rs");
    let deep = root.join("spec/input.rs");
    let module = root.join("mod.rs");
    assert!(escapes(root, &top, "use crate::model::Endpoint;", 0).is_some());
    assert!(escapes(root, &top, "use crate::{aws, model};", 0).is_some());
    assert!(escapes(root, &top, "    let x = crate::tui::run();", 0).is_some());
    assert!(escapes(root, &top, "use super::super::doctor;", 0).is_some());
    assert!(escapes(root, &module, "use super::model;", 0).is_some());
    assert!(escapes(root, &deep, "use super::super::super::aws;", 0).is_some());
    assert!(escapes(root, &top, "use crate::emulator::http::ApiError;", 0).is_none());
    assert!(escapes(root, &module, "    use super::*;", 1).is_none());
    assert!(escapes(root, &module, "    use super::super::model;", 1).is_some());
    assert!(escapes(root, &deep, "use super::super::store::Store;", 0).is_none());
    assert!(escapes(root, &top, "use super::spec::ServiceModel; // not crate::model", 0).is_none());
    assert!(escapes(root, &top, "use serde_crate::x;", 0).is_none());
}
