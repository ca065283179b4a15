//! No import cycle among the files of `src/`. The sources are parsed (`syn`): the `mod`
//! declarations give the module tree (which file holds which module), and every path that
//! names the crate's own modules (`use crate::…`, `super::…`, `self::…`, a child module's
//! name, and the same paths written inline in code or in macro arguments) is an edge from the
//! file it is written in to the file of the longest module it names. Test code (items under
//! `#[cfg(test)]`, and so the `tests.rs` files they declare) is left out: a test may reach
//! anywhere. A cycle is a strongly connected group of files; the test fails on any group that
//! is not inside one entry of [`KNOWN`], printing its files and one cycle through them.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// The import cycles that exist today, each by the files in it (relative to `src/`), with why
/// it is allowed for now. A group found in the sources must lie inside one entry: a new cycle,
/// or a known one that takes in another file, fails. When a cycle is cut, drop its files here
/// (the test says which entries or files are no longer in any cycle).
const KNOWN: &[(&str, &[&str])] = &[(
    "the browser's state hub: `App` (state/app/) is extended by `impl App` blocks in the \
         features' files, which reach back into it and into each other, and the key tables and \
         actions name the state's types; cut when the features own their state behind narrow \
         interfaces",
    &[
        "tui/action.rs",
        "tui/keymap/bindings.rs",
        "tui/keymap/help.rs",
        "tui/keymap/hints.rs",
        "tui/keymap/mod.rs",
        "tui/state/app/mod.rs",
        "tui/state/batch.rs",
        "tui/state/browse/intent.rs",
        "tui/state/browse/mod.rs",
        "tui/state/command/mod.rs",
        "tui/state/completion.rs",
        "tui/state/copy.rs",
        "tui/state/detail.rs",
        "tui/state/diagnosis.rs",
        "tui/state/layout.rs",
        "tui/state/paste.rs",
        "tui/state/pinpoint.rs",
        "tui/state/recent/mod.rs",
        "tui/state/recent/record.rs",
        "tui/state/scan.rs",
        "tui/state/user_check.rs",
        "tui/state/watch.rs",
        "tui/state/write/mod.rs",
    ],
)];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Whether the attributes put the item under `#[cfg(test)]`.
fn test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test"))
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    use syn::Item::*;
    match item {
        Const(i) => &i.attrs,
        Enum(i) => &i.attrs,
        ExternCrate(i) => &i.attrs,
        Fn(i) => &i.attrs,
        ForeignMod(i) => &i.attrs,
        Impl(i) => &i.attrs,
        Macro(i) => &i.attrs,
        Mod(i) => &i.attrs,
        Static(i) => &i.attrs,
        Struct(i) => &i.attrs,
        Trait(i) => &i.attrs,
        TraitAlias(i) => &i.attrs,
        Type(i) => &i.attrs,
        Union(i) => &i.attrs,
        Use(i) => &i.attrs,
        _ => &[],
    }
}

/// A path written in a module, as its segments (`crate`, `super` and `self` included).
struct Reference {
    module: Vec<String>,
    segments: Vec<String>,
}

/// What one file holds: its modules (the file's own and the inline ones), the files it
/// declares, and the paths it writes.
struct Collector {
    file: PathBuf,
    /// The module the visitor is in.
    module: Vec<String>,
    /// Where the files of the current module's children live.
    dir: PathBuf,
    modules: Vec<(Vec<String>, PathBuf)>,
    declared: Vec<(Vec<String>, PathBuf)>,
    references: Vec<Reference>,
}

impl Collector {
    fn reference(&mut self, segments: Vec<String>) {
        if !segments.is_empty() {
            self.references.push(Reference { module: self.module.clone(), segments });
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) if n.ident == "self" => self.reference(prefix.clone()),
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.reference(prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.reference(prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.reference(prefix.clone()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }

    /// The paths in a macro's tokens: runs of `ident :: ident :: …`.
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        let mut run: Vec<String> = Vec::new();
        let mut colons = 0;
        for tt in tokens {
            match tt {
                proc_macro2::TokenTree::Ident(i) if colons == 2 || run.is_empty() => {
                    run.push(i.to_string());
                    colons = 0;
                }
                proc_macro2::TokenTree::Punct(p) if p.as_char() == ':' && !run.is_empty() && colons < 2 => {
                    colons += 1;
                }
                other => {
                    if run.len() > 1 {
                        self.reference(std::mem::take(&mut run));
                    }
                    run.clear();
                    colons = 0;
                    match other {
                        proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                        proc_macro2::TokenTree::Ident(i) => run.push(i.to_string()),
                        _ => {}
                    }
                }
            }
        }
        if run.len() > 1 {
            self.reference(run);
        }
    }
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !test_only(item_attrs(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let name = m.ident.to_string();
        let mut module = self.module.clone();
        module.push(name.clone());
        match &m.content {
            None => {
                let flat = self.dir.join(format!("{name}.rs"));
                let file = if flat.exists() { flat } else { self.dir.join(&name).join("mod.rs") };
                self.declared.push((module, file));
            }
            Some((_, items)) => {
                let saved = (std::mem::replace(&mut self.module, module.clone()), self.dir.clone());
                self.dir = self.dir.join(&name);
                self.modules.push((module, self.file.clone()));
                for item in items {
                    self.visit_item(item);
                }
                (self.module, self.dir) = saved;
            }
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        if p.leading_colon.is_none() && p.segments.len() > 1 {
            self.reference(p.segments.iter().map(|s| s.ident.to_string()).collect());
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.tokens(m.tokens.clone());
        syn::visit::visit_macro(self, m);
    }
}

/// Each module (by its path from the crate root) and the file that holds it.
type Modules = BTreeMap<Vec<String>, PathBuf>;

/// The crate's files, the module each holds (and the inline modules in them), and the paths
/// each writes: from `lib.rs` down its `mod` declarations.
fn crate_tree() -> (Modules, Vec<(PathBuf, Reference)>) {
    let mut modules = BTreeMap::new();
    let mut references = Vec::new();
    let mut queue = VecDeque::from([(Vec::<String>::new(), src().join("lib.rs"))]);
    while let Some((module, file)) = queue.pop_front() {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let is_dir_owner = file.file_name().is_some_and(|n| n == "lib.rs" || n == "mod.rs");
        let parent = file.parent().unwrap().to_path_buf();
        let dir = if is_dir_owner { parent } else { parent.join(file.file_stem().unwrap()) };
        let mut c = Collector {
            file: file.clone(),
            module: module.clone(),
            dir,
            modules: Vec::new(),
            declared: Vec::new(),
            references: Vec::new(),
        };
        for item in &ast.items {
            c.visit_item(item);
        }
        modules.insert(module, file.clone());
        modules.extend(c.modules);
        queue.extend(c.declared);
        references.extend(c.references.into_iter().map(|r| (file.clone(), r)));
    }
    (modules, references)
}

/// The file a path leads to: that of the longest module it names, or None when it names
/// none of the crate's modules (std, another crate, a local name).
fn target(modules: &Modules, r: &Reference) -> Option<PathBuf> {
    let mut segments = r.segments.iter().map(String::as_str).peekable();
    let mut at: Vec<String> = match *segments.peek()? {
        "crate" => {
            segments.next();
            Vec::new()
        }
        "self" | "super" => r.module.clone(),
        child => {
            let mut m = r.module.clone();
            m.push(child.to_string());
            if !modules.contains_key(&m) {
                return None;
            }
            r.module.clone()
        }
    };
    while let Some(s) = segments.peek() {
        match *s {
            "self" => {}
            "super" => {
                at.pop();
            }
            _ => break,
        }
        segments.next();
    }
    for s in segments {
        let mut next = at.clone();
        next.push(s.to_string());
        if !modules.contains_key(&next) {
            break;
        }
        at = next;
    }
    modules.get(&at).cloned()
}

fn relative(p: &Path) -> String {
    p.strip_prefix(src()).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// The file-level import graph: each file's files, by their path relative to `src/`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let (modules, references) = crate_tree();
    // Each file's own module (the shortest of those it holds).
    let mut own: BTreeMap<&PathBuf, &Vec<String>> = BTreeMap::new();
    for (m, file) in &modules {
        own.entry(file)
            .and_modify(|o| {
                if m.len() < o.len() {
                    *o = m
                }
            })
            .or_insert(m);
    }
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in modules.values() {
        g.entry(relative(file)).or_default();
    }
    for (from, r) in &references {
        let Some(to) = target(&modules, r) else { continue };
        // A module's parts use what their parent defines (`use super::…`), as Rust's privacy
        // means them to: the edge up to an ancestor's file is not a cycle's edge. Its parent
        // using them, a sibling, a cousin or anything else is.
        let up = own[from].starts_with(own[&to]);
        if &to != from && !up {
            g.entry(relative(from)).or_default().insert(relative(&to));
        }
    }
    g
}

/// The strongly connected groups of more than one file (Tarjan).
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    struct Tarjan<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        groups: Vec<BTreeSet<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.g.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = BTreeSet::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    group.insert(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    self.groups.push(group);
                }
            }
        }
    }
    let mut t = Tarjan {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.groups
}

/// One shortest cycle through the group's first file, as `a → b → a`.
fn one_cycle(g: &BTreeMap<String, BTreeSet<String>>, group: &BTreeSet<String>) -> String {
    let start = group.iter().next().unwrap();
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start.as_str()]);
    while let Some(v) = queue.pop_front() {
        for w in g[v].iter().filter(|w| group.contains(*w)) {
            if w == start {
                let mut path = vec![v];
                let mut at = v;
                while at != start {
                    at = came_from[at];
                    path.push(at);
                }
                path.reverse();
                path.push(start);
                return path.join(" → ");
            }
            if !came_from.contains_key(w.as_str()) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    String::new()
}

/// The groups of `found` that lie inside no entry of `known`: new cycles, or known ones grown.
fn unexpected<'a>(found: &'a [BTreeSet<String>], known: &[(&str, &[&str])]) -> Vec<&'a BTreeSet<String>> {
    found
        .iter()
        .filter(|group| !known.iter().any(|(_, files)| group.iter().all(|f| files.contains(&f.as_str()))))
        .collect()
}

#[test]
fn no_import_cycle_among_the_files_of_src_but_the_known_ones() {
    let g = graph();
    assert!(g.len() > 100, "the crate's files were not all found: {}", g.len());
    let found = cycles(&g);
    let mut bad = Vec::new();
    for group in unexpected(&found, KNOWN) {
        let known: Vec<&str> = group
            .iter()
            .filter(|f| KNOWN.iter().any(|(_, files)| files.contains(&f.as_str())))
            .map(String::as_str)
            .collect();
        bad.push(format!(
            "an import cycle among {} files{}:\n  {}\n  for example {}",
            group.len(),
            if known.is_empty() { String::new() } else { format!(" (grown from a known one: {known:?})") },
            group.iter().cloned().collect::<Vec<_>>().join("\n  "),
            one_cycle(&g, group)
        ));
    }
    // Files of KNOWN no longer in any cycle: the list can shrink (said, not failed, so that a
    // branch cutting a cycle and one adding to this list merge in either order).
    for (why, files) in KNOWN {
        let gone: Vec<&&str> = files.iter().filter(|f| !found.iter().any(|g| g.contains(**f))).collect();
        if !gone.is_empty() {
            eprintln!("no longer in a cycle, drop from KNOWN ({why}): {gone:?}");
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
}

#[test]
fn a_new_cycle_or_a_known_one_grown_is_unexpected_a_known_one_or_part_of_it_is_not() {
    let set = |files: &[&str]| files.iter().map(|f| f.to_string()).collect::<BTreeSet<_>>();
    let known: &[(&str, &[&str])] = &[("why", &["a.rs", "b.rs", "c.rs"])];
    let found = [set(&["a.rs", "b.rs", "c.rs"]), set(&["a.rs", "b.rs"])];
    assert!(unexpected(&found, known).is_empty());
    let grown = [set(&["a.rs", "b.rs", "c.rs", "d.rs"])];
    assert_eq!(unexpected(&grown, known).len(), 1);
    let new = [set(&["x.rs", "y.rs"])];
    assert_eq!(unexpected(&new, known).len(), 1);
}

#[test]
fn the_graph_sees_uses_and_inline_paths_and_leaves_tests_out() {
    let g = graph();
    let edge = |from: &str, to: &str| g.get(from).is_some_and(|t| t.contains(to));
    // `use crate::…` and a child module named in a `use`.
    assert!(edge("scan/send.rs", "aws/mod.rs"), "{:?}", g.get("scan/send.rs"));
    assert!(edge("scan/mod.rs", "scan/send.rs"), "{:?}", g.get("scan/mod.rs"));
    // `crate::…` in a `use` group; `super::…` up to the parent is no cycle's edge.
    assert!(edge("doctor/records.rs", "model/mod.rs"), "{:?}", g.get("doctor/records.rs"));
    assert!(!edge("doctor/records.rs", "doctor/mod.rs"), "{:?}", g.get("doctor/records.rs"));
    // A path written inline in code (`crate::store::history::Options { … }`).
    assert!(edge("settings.rs", "store/history/mod.rs"), "{:?}", g.get("settings.rs"));
    // Nothing from a `#[cfg(test)]` module: the doctor's tests use the model's EndpointState
    // only there, its code reaches the model anyway; a tests.rs file is never a node.
    assert!(!g.keys().any(|f| f.ends_with("/tests.rs")), "test files in the graph");
}

#[test]
fn a_cycle_is_found_and_printed() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut add = |a: &str, b: &str| {
        g.entry(a.into()).or_default().insert(b.into());
        g.entry(b.into()).or_default();
    };
    add("a.rs", "b.rs");
    add("b.rs", "c.rs");
    add("c.rs", "a.rs");
    add("c.rs", "d.rs");
    let found = cycles(&g);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].iter().map(String::as_str).collect::<Vec<_>>(), ["a.rs", "b.rs", "c.rs"]);
    assert_eq!(one_cycle(&g, &found[0]), "a.rs → b.rs → c.rs → a.rs");
}

#[test]
fn paths_are_read_from_uses_code_and_macros_but_not_from_test_items() {
    let text = r#"
        use crate::a::{self, b::C, d as e};
        use super::*;
        fn f() { let _ = crate::g::h(); println!("{}", crate::m::n::o); }
        #[cfg(test)]
        mod tests { use crate::t::u; }
        #[cfg(test)]
        use crate::v::w;
    "#;
    let ast = syn::parse_file(text).unwrap();
    let mut c = Collector {
        file: PathBuf::from("x.rs"),
        module: vec!["x".into()],
        dir: PathBuf::from("x"),
        modules: Vec::new(),
        declared: Vec::new(),
        references: Vec::new(),
    };
    for item in &ast.items {
        c.visit_item(item);
    }
    let got: Vec<String> = c.references.iter().map(|r| r.segments.join("::")).collect();
    for want in ["crate::a", "crate::a::b::C", "crate::a::d", "super", "crate::g::h", "crate::m::n::o"] {
        assert!(got.contains(&want.to_string()), "{want} not in {got:?}");
    }
    assert!(!got.iter().any(|p| p.starts_with("crate::t") || p.starts_with("crate::v")), "{got:?}");
}
