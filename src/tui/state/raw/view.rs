//! The raw view's state: one record's JSON, masked and in clear, the scroll and the search.
//! No `App` here (the keys are `super`'s), so that the state hub does not take this file in.

use crate::model;
use tui_input::Input;

/// The longest search typed.
pub const MAX_SEARCH: usize = 256;

/// The raw view of one record.
#[derive(Clone, Debug)]
pub struct RawView {
    /// What the record is ("endpoint", "row", "scan row"), for the title.
    pub what: String,
    /// The JSON with Name and the tokens masked, one line each, control characters escaped.
    masked: Vec<String>,
    /// The JSON in clear (the same as `masked` for a record without secrets).
    clear: Vec<String>,
    /// The first line shown.
    pub scroll: usize,
    /// The search typed (None: no search box open).
    pub search: Option<Input>,
    /// The search kept (Enter), matched case-insensitively.
    pub query: String,
    /// The match the cursor is on (index into [`RawView::matches`]).
    pub current: usize,
}

/// Lines of `text`, each escaped for the terminal.
fn lines_of(text: &str) -> Vec<String> {
    text.lines().map(|l| model::escape_control(l).into_owned()).collect()
}

/// Where `query` occurs in `line` (byte ranges), case-insensitively (ASCII).
pub fn find_all(line: &str, query: &str) -> Vec<(usize, usize)> {
    if query.is_empty() {
        return vec![];
    }
    let hay = line.to_ascii_lowercase();
    let needle = query.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = hay[from..].find(&needle) {
        out.push((from + i, from + i + needle.len()));
        from += i + needle.len().max(1);
        if from >= hay.len() {
            break;
        }
    }
    out
}

impl RawView {
    pub fn new(what: String, masked: &str, clear: &str) -> Self {
        Self {
            what,
            masked: lines_of(masked),
            clear: lines_of(clear),
            scroll: 0,
            search: None,
            query: String::new(),
            current: 0,
        }
    }

    /// The lines as shown: in clear when secrets are shown.
    pub fn lines(&self, show_secrets: bool) -> &[String] {
        if show_secrets { &self.clear } else { &self.masked }
    }

    /// Whether the record has anything masked.
    pub fn has_secrets(&self) -> bool {
        self.masked != self.clear
    }

    /// Every match of the search kept: (line, start, end).
    pub fn matches(&self, show_secrets: bool) -> Vec<(usize, usize, usize)> {
        self.lines(show_secrets)
            .iter()
            .enumerate()
            .flat_map(|(i, l)| find_all(l, &self.query).into_iter().map(move |(s, e)| (i, s, e)))
            .collect()
    }
}
