//! What the detail pane shows when it shows no fresh endpoint: an offline copy from the
//! history, a lookup in flight, an error, or nothing yet.

use super::*;

/// "From history, 12 min ago": what is on show was not looked up now, where it was looked up,
/// and when the latest lookup failed since, how.
pub(super) fn history_rows(app: &App, width: usize) -> Vec<Row> {
    let Some(v) = app.from_history() else { return vec![] };
    let t = app.theme();
    let now = crate::tui::state::recent::timestamp(app.wall());
    let ago = |ts| relative_time(ts, now);
    let refresh = if pane_keys_work(app) { "; r refreshes it" } else { "" };
    let mut rows = Vec::new();
    let removed = v.failed_since.as_ref().is_some_and(|f| f.error == crate::store::history::REMOVED);
    if removed {
        let copy = if app.show_secrets() {
            "Y copies it"
        } else {
            "Y copies it (s first: Name and tokens in clear)"
        };
        rows.push(text_row(
            vec![(
                format!("✘ Deregistered {} from this browser: this is the record removed", ago(v.time)),
                t.status_bad,
            )],
            width,
        ));
        rows.push(text_row(vec![(format!("{copy}, to register it again"), t.dim)], width));
        return rows;
    }
    let taken = match (&v.failed_since, v.result_time) {
        (Some(_), Some(rt)) => format!("From history: the last good answer, taken {}", ago(rt)),
        (Some(_), None) => "From history: the last good answer, from an earlier lookup".to_string(),
        (None, _) => format!("From history, {}", ago(v.time)),
    };
    rows.push(text_row(
        vec![(taken, t.status_warn), (format!(" · offline copy from {}{refresh}", v.context.label()), t.dim)],
        width,
    ));
    if let Some(f) = &v.failed_since {
        let status = f.http_status.map(|s| format!(", HTTP {s}")).unwrap_or_default();
        let msg = if f.message.is_empty() { String::new() } else { format!(": {}", esc(&f.message)) };
        rows.push(text_row(
            vec![(
                format!(
                    "✘ The latest lookup, {}, failed: {} ({}{status}){msg}",
                    ago(v.time),
                    esc(&f.exception),
                    esc(&f.error)
                ),
                t.status_bad,
            )],
            width,
        ));
    }
    let arn = match &v.query {
        Query::Describe { user_arn, .. } => user_arn.as_str(),
        _ => "",
    };
    let here = app.session_context(&app.arn_region(arn));
    if !v.context.same_as(&here) {
        rows.push(text_row(
            vec![(
                format!("⚠ Looked up in {}; this browser looks up in {}", v.context.label(), here.label()),
                t.status_warn,
            )],
            width,
        ));
    }
    rows
}

pub(super) fn query_name(q: &Query) -> String {
    match q {
        Query::Describe { endpoint_id, .. } => esc(endpoint_id),
        Query::ListEndpoints { .. } => "the user's endpoints".into(),
        Query::ListUsers { .. } => "the app instance's users".into(),
        Query::ListInstances { .. } => "the app instances".into(),
        Query::Pinpoint { .. } => "the Pinpoint app".into(),
        Query::DescribeUser { .. } => "the user".into(),
        Query::Write(w) => format!("the {}", w.operation()),
        Query::PushTest(p) => format!("the test push to {}", esc(&p.endpoint_id)),
        Query::Memberships { .. } => "the user's channel memberships".into(),
    }
}

pub(super) fn loading_rows(
    app: &App,
    query: &Query,
    region: &str,
    started: std::time::Instant,
    width: usize,
) -> Vec<Row> {
    let t = app.theme();
    let elapsed = app.now().saturating_duration_since(started);
    let frame = crate::tui::text::spinner_frame(elapsed);
    vec![
        text_row(
            vec![
                (format!("{frame} "), t.spinner),
                (format!("Looking up {} in {region}", query_name(query)), t.value),
                (format!(" … {:.1} s", elapsed.as_secs_f64()), t.dim),
            ],
            width,
        ),
        text_row(vec![(format!("  → {}", app.session().target_label()), t.dim)], width),
        text_row(vec![("  Esc cancels; the screen keeps answering keys".into(), t.dim)], width),
    ]
}

pub(super) fn error_rows(
    app: &App,
    e: &ServiceError,
    region: &str,
    elapsed: std::time::Duration,
    width: usize,
) -> Vec<Row> {
    let t = app.theme();
    let mut rows = vec![text_row(
        vec![
            (format!("✘ {}", esc(&e.exception)), t.status_bad),
            (format!(" ({})", e.kind.label()), t.status_bad),
        ],
        width,
    )];
    let mut add = |label: &str, segs: Vec<(String, Style)>| {
        rows.push(Row { field: None, finding: None, lines: labelled(label, &segs, width, t), pin: false });
    };
    add("Message", vec![(if e.message.is_empty() { "—".into() } else { esc(&e.message) }, t.status_bad)]);
    add(
        "HTTP status",
        vec![
            e.http_status
                .map(|s| (s.to_string(), t.value))
                .unwrap_or_else(|| ("— (no answer)".into(), t.missing)),
        ],
    );
    add("Request ID", plain(e.request_id.as_deref(), t));
    if model::region_warning(region).is_some() {
        // Before any hint about networks or proxies: there is no service there to reach.
        add(
            "Note",
            vec![(
                format!(
                    "⚠ {} has no Identity endpoint (only {})",
                    if app.session().region_flag.as_deref() == Some(region) {
                        format!("--region {}", esc(region))
                    } else {
                        "the ARN's region".to_string()
                    },
                    model::IDENTITY_REGIONS.join(", ")
                ),
                t.status_warn,
            )],
        );
    }
    add("Hint", vec![(esc(&e.hint), t.value)]);
    add("Region", vec![(esc(region), t.value), (format!(" → {}", app.session().target_label()), t.dim)]);
    add("Took", vec![(format_elapsed(elapsed), t.value)]);
    // Keys that work where the focus is.
    let keys = match app.focus() {
        Focus::Arn | Focus::EndpointId => {
            " Enter tries again · Esc leaves the input (then y copies the report)"
        }
        Focus::Detail => " r retries · y copies the report · i edits the ARN",
        _ => " Tab to this pane, then r retries · y copies the report",
    };
    rows.push(text_row(vec![(keys.into(), t.dim)], width));
    rows
}

pub(super) fn empty_rows(app: &App, width: usize) -> Vec<Row> {
    let t = app.theme();
    let mut rows = vec![
        text_row(vec![("Nothing looked up yet.".into(), t.title)], width),
        text_row(
            vec![(
                "Paste a user ARN into the Lookup pane, press Tab, type the endpoint ID, press Enter. \
                 The answer shows here: whether the endpoint can receive pushes, and if not, why."
                    .into(),
                t.dim,
            )],
            width,
        ),
    ];
    if app.session().is_demo() {
        rows.push(text_row(
            vec![
                ("Demo: user ".into(), t.dim),
                (DEMO_USER.into(), t.value),
                (" with endpoints ep-1, ep-9, ep-pinpoint or ep-muted.".into(), t.dim),
            ],
            width,
        ));
    }
    // In the inputs `?` types: only F1 opens the help there.
    let help = if pane_keys_work(app) { "? or F1 lists every key." } else { "F1 lists every key." };
    rows.push(text_row(vec![(help.into(), t.dim)], width));
    rows
}

/// A user of the demo seed, for the empty screen of `--demo`.
pub const DEMO_USER: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69/user/u-42";

pub fn format_elapsed(d: std::time::Duration) -> String {
    if d.as_millis() < 1000 { format!("{} ms", d.as_millis()) } else { format!("{:.1} s", d.as_secs_f64()) }
}
