//! The browser's layering, read from the sources: the state (`src/tui/state/**`) and the
//! modules it may use (`action`, `keymap`, `text`, `theme`) never import drawing
//! (`src/tui/ui/`), so that `src/tui` has no import cycle through `ui`. Test modules
//! (`#[cfg(test)]` and what follows, and `tests.rs` files) are left out: a test may draw.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file before its tests, without comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// The ways a module can name `ui`.
fn names_ui(code: &str) -> Option<&'static str> {
    ["crate::tui::ui", "super::ui", "super::super::ui", "tui::ui::", "use ui", "ui::draw", "ui::areas"]
        .into_iter()
        .find(|needle| code.contains(needle))
}

fn below_ui(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&root.join("state"), &mut files);
    rust_files(&root.join("keymap"), &mut files);
    for leaf in ["action.rs", "text.rs", "theme.rs"] {
        files.push(root.join(leaf));
    }
    // A module's tests in a file of their own (`mod tests;` under `#[cfg(test)]`).
    files.retain(|f| f.file_name().is_none_or(|n| n != "tests.rs"));
    files
}

#[test]
fn the_state_never_imports_ui() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let files = below_ui(&root);
    assert!(files.len() > 10, "the state modules are found: {files:?}");
    let offenders: Vec<String> = files
        .iter()
        .filter_map(|f| names_ui(&code(f)).map(|n| format!("{} names `{n}`", f.display())))
        .collect();
    assert!(offenders.is_empty(), "state → ui imports: {offenders:#?}");
}

/// The check itself catches an import of `ui` in any of its forms.
#[test]
fn the_check_sees_an_import_of_ui() {
    for bad in [
        "use crate::tui::ui::help;",
        "let a = super::ui::areas(s, self);",
        "use super::super::ui::list;",
        "let h = crate::tui::ui::help::max_scroll(self);",
    ] {
        assert!(names_ui(bad).is_some(), "{bad}");
    }
    assert!(names_ui("use crate::tui::state::layout::areas;").is_none());
}

/// The state modules are where the module map says (so that the check above reads them).
#[test]
fn the_state_modules_are_where_the_map_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/state");
    for m in ["app", "lookup", "detail", "list", "browse", "completion", "recent", "paste", "copy", "layout"]
    {
        assert!(
            root.join(format!("{m}.rs")).is_file() || root.join(m).join("mod.rs").is_file(),
            "src/tui/state/{m}.rs or {m}/mod.rs"
        );
    }
}

/// The fields of `name` in the Rust source `text` that are visible outside its module (any
/// `pub`), or None when the source declares no such struct.
fn open_fields(text: &str, name: &str) -> Option<Vec<String>> {
    let file = syn::parse_file(text).unwrap();
    file.items.iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident == name => Some(
            s.fields
                .iter()
                .filter(|f| !matches!(f.vis, syn::Visibility::Inherited))
                .map(|f| f.ident.as_ref().map_or_else(|| "(unnamed)".to_string(), |i| i.to_string()))
                .collect(),
        ),
        _ => None,
    })
}

/// The features that own their state keep its fields private to their module: the rest of
/// the state reads and changes them through methods (and Rust's privacy then guards the
/// boundary). A struct listed here that gains a `pub` field, or moves, fails.
#[test]
fn the_features_own_state_keeps_its_fields_private() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/state");
    for (file, name) in [
        ("chrome.rs", "Chrome"),
        ("inputs.rs", "Inputs"),
        ("context.rs", "Contexts"),
        ("detail.rs", "DetailCursor"),
        ("watch.rs", "Watching"),
        ("pinpoint.rs", "PinpointCheck"),
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let open = open_fields(&text, name).unwrap_or_else(|| panic!("no struct {name} in state/{file}"));
        assert!(open.is_empty(), "state/{file}: {name} shows its fields {open:?}: give them methods");
    }
}

/// The check itself sees a field that is visible outside its module, in any form of `pub`.
#[test]
fn the_check_sees_an_open_field() {
    let text = "pub struct S { a: u8, pub b: u8, pub(super) c: u8, pub(crate) d: u8 } struct T(pub u8);";
    assert_eq!(open_fields(text, "S"), Some(vec!["b".to_string(), "c".to_string(), "d".to_string()]));
    assert_eq!(open_fields(text, "T"), Some(vec!["(unnamed)".to_string()]));
    assert_eq!(open_fields(text, "U"), None);
}
