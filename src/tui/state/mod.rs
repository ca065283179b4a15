//! The browser's state and the one place it changes: [`App::update`]. Pure: no I/O, no clock
//! (time arrives in actions), no drawing. Never imports `ui`: drawing reads the state, and
//! what only drawing knows (the detail pane's rows on screen) comes back in an action
//! ([`crate::tui::action::Action::Drawn`]).
//!
//! - `app`: the state, `update`, and where each action goes; the panes' keys
//! - `layer`: who gets a key: the layers that can hold the keyboard, in the one order that
//!   decides it, and what the body shows
//! - `session`: where requests go and on whose behalf
//! - `chrome`: the screen (size, theme, mouse, key tables, what was drawn), the status line's
//!   message, the help overlay's scroll and the clock
//! - `layout`: the frame's geometry (panes, compact or not, list rows, recent entries, help)
//! - `route`: job answers routed by who asked, stale ones dropped by one rule
//! - `inputs`: the ARN and endpoint-ID inputs, each checked after every change
//! - `lookup`: looking an endpoint up, repeating, cancelling, the answer; what the ARN says
//! - `detail`: what the detail pane shows, and its field cursor
//! - `fields`: the detail pane's field catalogue
//! - `diagnosis`: the doctor's findings about the endpoint on show (the Diagnosis group)
//! - `pinpoint`: the background Pinpoint checks of the endpoint on show
//! - `copy`: `y`, `Y`, `c` in the detail pane
//! - `paste`: bracketed paste into the inputs
//! - `mouse`: hit-testing for clicks and the wheel
//! - `picker`: one list's rows shown, cursor, view and marks, under every list on screen
//! - `list`: one paged list (rows, filter, the page in flight) over a picker
//! - `filter`: a list's structured filter (`status:INACTIVE`, quoted words) and its sort
//! - `browse`: the stack of lists (instances → users → endpoints) and their keys
//! - `completion`: the endpoint-ID completions
//! - `recent`: the recent lookups (history)
//! - `scan`: the Scan pane (a background scan of an app instance)
//! - `context`: where a lookup went (profile, endpoint URL, region)
//! - `cursor`: moving a cursor by a key
//! - `command`: the command line (`:`): completion, history, parsing, running a command
//! - `switch`: switching profile, region or endpoint URL without restarting
//! - `watch`: describing the endpoint on show again every few seconds, changes marked
//! - `export`: `:export`, the list on show as CSV or JSON
//! - `write`: the writes (m, e, D, n): confirmations, the write job, what it refreshes
//! - `form`: the edit and register forms, checked as they are typed

pub mod actions;
pub mod app;
pub mod batch;
pub mod browse;
pub mod chrome;
pub mod command;
pub mod completion;
pub mod context;
pub mod copy;
pub mod cursor;
pub mod detail;
pub mod diagnosis;
pub mod export;
pub mod fields;
pub mod filter;
pub mod form;
pub mod inputs;
pub mod layer;
pub mod layout;
pub mod list;
pub mod lookup;
pub mod members;
pub mod mouse;
pub mod paste;
pub mod picker;
pub mod pinpoint;
pub mod raw;
pub mod recent;
pub mod route;
pub mod rows;
pub mod scan;
pub mod session;
pub mod switch;
#[cfg(test)]
pub mod testing;
pub mod trace;
pub mod user_check;
pub mod watch;
pub mod write;

pub use app::{App, Focus};
pub use detail::Detail;
pub use fields::{FIELDS, FieldId, Group};
pub use session::Session;
