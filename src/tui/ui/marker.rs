//! The finding marker of an endpoint list row: the worst of the doctor's findings
//! that a summary can show (`doctor::summary_findings`: the codes the registry marks for rows,
//! `doctor::Code::in_rows`) and how many there are, `✗ 2` in the severity's
//! colour; blank when there is none. The symbol carries the meaning, not only the colour.

use crate::doctor::{self, Severity};
use crate::model::EndpointSummary;
use crate::tui::theme::Theme;
use ratatui::style::Style;

/// The column's header and width.
pub const HEADER: &str = "DIAG";
pub const WIDTH: u16 = 4;

/// The marker cell of a row.
pub fn cell(e: &EndpointSummary, t: &Theme) -> (String, Style) {
    let findings = doctor::summary_findings(e);
    let Some(worst) = findings.iter().map(|f| f.severity).max() else { return (String::new(), t.dim) };
    let (symbol, style) = match worst {
        Severity::Error => ("✗", t.status_bad),
        Severity::Warning => ("!", t.status_warn),
        Severity::Info => ("i", t.dim),
    };
    (format!("{symbol} {}", findings.len()), style)
}
