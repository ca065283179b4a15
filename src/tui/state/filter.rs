//! A list's filter (`/`) and sort (`<` / `>`).
//!
//! The filter is words, every one of which a row must match: a bare word is looked for in
//! every column shown (as before), a quoted one (`"ep-1"`) must be a column's whole value, and
//! `key:value` looks in one column — `status:INACTIVE`, `msgs:NONE` (or `messages:`, `allow:`),
//! `type:GCM`, `reason:INVALID`, `id:`, `name:` — from the start of its value (`type:APNS`
//! holds APNS_SANDBOX too; `type:"APNS"` only APNS). Case does not matter. A key that is no
//! column of the list (an ARN's `arn:aws:…`) is a bare word. An endpoint's Name is searched only
//! while it is shown.
//!
//! Sorting cycles with `>` (and back with `<`): the list's order as loaded, then by status
//! (cannot receive first), type, updated time (newest first) and name (an endpoint's Name
//! while shown, its ID while masked). The list operations' summaries carry no times: an
//! endpoint's updated time is known when it was looked up (the recent lookups' stored results,
//! the detail pane), and the "updated" order is offered only when one of the rows has one;
//! rows without come after, in the list's order.

use super::rows::{Rows, user_id};
use crate::model::Health;

/// One column a `key:value` word looks in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Status,
    Messages,
    Type,
    Reason,
    Id,
    Name,
}

impl Column {
    fn of(key: &str) -> Option<Column> {
        Some(match key {
            "status" | "state" => Column::Status,
            "msgs" | "messages" | "allow" => Column::Messages,
            "type" => Column::Type,
            "reason" => Column::Reason,
            "id" => Column::Id,
            "name" => Column::Name,
            _ => return None,
        })
    }
}

/// One word of a filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// Anywhere in a column shown (lower case).
    Any(String),
    /// A column's whole value (lower case).
    Exact(String),
    /// One column: from the start of its value, or (quoted) its whole value.
    In { column: Column, value: String, exact: bool },
}

/// A parsed filter: every term must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub terms: Vec<Term>,
}

/// Split on whitespace outside double quotes; each word with whether it had quotes.
fn words(s: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut inside, mut any) = (false, false, false);
    for c in s.chars() {
        match c {
            '"' => {
                inside = !inside;
                quoted = true;
                any = true;
            }
            c if c.is_whitespace() && !inside => {
                if any {
                    out.push((std::mem::take(&mut cur), quoted));
                }
                quoted = false;
                any = false;
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push((cur, quoted));
    }
    out
}

impl Filter {
    pub fn parse(text: &str) -> Filter {
        let terms = words(text)
            .into_iter()
            .filter(|(w, q)| !w.is_empty() || *q)
            .map(|(w, quoted)| {
                let lower = w.to_lowercase();
                if let Some((k, v)) = lower.split_once(':')
                    && let Some(column) = Column::of(k)
                {
                    return Term::In { column, value: v.to_string(), exact: quoted };
                }
                if quoted { Term::Exact(lower) } else { Term::Any(lower) }
            })
            .collect();
        Filter { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether row `i` passes every term.
    pub fn matches(&self, rows: &Rows, i: usize, show_secrets: bool) -> bool {
        self.terms.iter().all(|t| term_matches(t, rows, i, show_secrets))
    }
}

/// The values of row `i` a filter sees: (column, value) for each column shown.
fn values(rows: &Rows, i: usize, show_secrets: bool) -> Vec<(Option<Column>, String)> {
    let v = |s: Option<&str>| s.unwrap_or("").to_string();
    match rows {
        Rows::Instances(r) => {
            let r = &r[i];
            vec![
                (Some(Column::Name), v(r.name.as_deref())),
                (None, v(r.metadata.as_deref())),
                (Some(Column::Id), v(r.app_instance_arn.as_deref())),
            ]
        }
        Rows::Users(r) => {
            let r = &r[i];
            vec![
                (Some(Column::Name), v(r.name.as_deref())),
                (None, v(r.metadata.as_deref())),
                (Some(Column::Id), v(user_id(r.app_instance_user_arn.as_deref()))),
                (None, v(r.app_instance_user_arn.as_deref())),
            ]
        }
        Rows::Endpoints(r) => {
            let r = &r[i];
            let st = r.state.as_ref();
            let mut out = vec![
                (Some(Column::Id), v(r.endpoint_id.as_deref())),
                (Some(Column::Status), v(st.map(|s| s.status.as_str()))),
                (Some(Column::Reason), v(st.and_then(|s| s.reason.as_ref()).map(|x| x.as_str()))),
                (Some(Column::Type), v(r.endpoint_type.as_ref().map(|t| t.as_str()))),
                (Some(Column::Messages), v(r.allow_messages.as_ref().map(|a| a.as_str()))),
            ];
            if show_secrets {
                out.push((Some(Column::Name), v(r.name.as_deref())));
            }
            out
        }
    }
}

fn term_matches(t: &Term, rows: &Rows, i: usize, show_secrets: bool) -> bool {
    let vals = values(rows, i, show_secrets);
    match t {
        Term::Any(w) => vals.iter().any(|(_, v)| v.to_lowercase().contains(w.as_str())),
        Term::Exact(w) => vals.iter().any(|(_, v)| v.to_lowercase() == *w),
        Term::In { column, value, exact } => {
            vals.iter().filter(|(c, _)| *c == Some(*column)).any(|(_, v)| {
                let v = v.to_lowercase();
                if *exact { v == *value } else { v.starts_with(value.as_str()) }
            })
        }
    }
}

/// A list's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Status,
    Type,
    /// Newest first, where known (`ListView::updated`).
    Updated,
    Name,
}

impl SortKey {
    /// "status", "type", "name" (an endpoint's ID while names are masked).
    pub fn label(self, rows: &Rows, show_secrets: bool) -> &'static str {
        match (self, rows) {
            (SortKey::Status, _) => "status",
            (SortKey::Type, _) => "type",
            (SortKey::Updated, _) => "updated (where known)",
            (SortKey::Name, Rows::Endpoints(_)) if !show_secrets => "ID (names masked)",
            (SortKey::Name, _) => "name",
        }
    }
}

/// The orders a list cycles through after its own (endpoints: status, type, name; users and
/// app instances: name).
pub fn sort_keys(rows: &Rows) -> &'static [SortKey] {
    match rows {
        Rows::Endpoints(_) => &[SortKey::Status, SortKey::Type, SortKey::Updated, SortKey::Name],
        Rows::Users(_) | Rows::Instances(_) => &[SortKey::Name],
    }
}

/// The next order after `now` (`forward`: `>`), None being the list's own; "updated" only
/// when `times` is set (some row's time is known).
pub fn cycle(rows: &Rows, now: Option<SortKey>, forward: bool, times: bool) -> Option<SortKey> {
    let keys: Vec<SortKey> =
        sort_keys(rows).iter().copied().filter(|k| times || *k != SortKey::Updated).collect();
    let pos = now.and_then(|k| keys.iter().position(|x| *x == k));
    let n = keys.len() + 1; // the list's own order is slot 0
    let slot = pos.map_or(0, |p| p + 1);
    let next = if forward { (slot + 1) % n } else { (slot + n - 1) % n };
    next.checked_sub(1).map(|i| keys[i])
}

/// Sort `visible` (indices into `rows`) by `key`, stable: equal rows keep the list's order.
/// `updated`: the known updated times by endpoint ID.
pub fn sort(
    visible: &mut [usize],
    rows: &Rows,
    key: SortKey,
    show_secrets: bool,
    updated: &std::collections::HashMap<String, crate::model::Timestamp>,
) {
    let rank = |h: Health| match h {
        Health::Broken => 0,
        Health::Muted => 1,
        Health::Unknown => 2,
        Health::Ok => 3,
    };
    match rows {
        Rows::Endpoints(r) => visible.sort_by_cached_key(|&i| {
            let e = &r[i];
            let id = e.endpoint_id.clone().unwrap_or_default();
            match key {
                SortKey::Status => (
                    rank(e.health()),
                    e.state.as_ref().map(|s| s.status.as_str().to_string()).unwrap_or_default(),
                    id,
                ),
                SortKey::Type => {
                    (0, e.endpoint_type.as_ref().map(|t| t.as_str().to_string()).unwrap_or_default(), id)
                }
                SortKey::Updated => match updated.get(&id) {
                    // Newest first: the time subtracted from a far one, as a sortable string.
                    Some(t) => (0, format!("{:020.3}", 1e15 - t.as_secs_f64()), String::new()),
                    None => (1, String::new(), String::new()),
                },
                SortKey::Name if show_secrets => (0, e.name.clone().unwrap_or_default().to_lowercase(), id),
                SortKey::Name => (0, id, String::new()),
            }
        }),
        Rows::Users(r) => {
            visible.sort_by_cached_key(|&i| r[i].name.clone().unwrap_or_default().to_lowercase())
        }
        Rows::Instances(r) => {
            visible.sort_by_cached_key(|&i| r[i].name.clone().unwrap_or_default().to_lowercase())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        AllowMessages, EndpointState, EndpointStatus, EndpointSummary, EndpointType, StatusReason,
    };

    fn ep(
        id: &str,
        st: EndpointStatus,
        reason: Option<StatusReason>,
        ty: EndpointType,
        allow: AllowMessages,
    ) -> EndpointSummary {
        EndpointSummary {
            endpoint_id: Some(id.into()),
            state: Some(EndpointState { status: st, reason }),
            endpoint_type: Some(ty),
            allow_messages: Some(allow),
            name: Some(format!("Phone {id}")),
            ..Default::default()
        }
    }

    fn rows() -> Rows {
        use EndpointStatus::{Active, Inactive};
        use EndpointType::{Apns, ApnsSandbox, Gcm};
        let (all, none) = (AllowMessages::All, AllowMessages::None);
        Rows::Endpoints(vec![
            ep("ep-1", Active, None, ApnsSandbox, all.clone()),
            ep("ep-9", Inactive, Some(StatusReason::InvalidDeviceToken), Gcm, all.clone()),
            ep("ep-muted", Active, None, Apns, none),
            ep("ep-pinpoint", Inactive, Some(StatusReason::InvalidPinpointArn), Apns, all),
        ])
    }

    fn shown(text: &str, secrets: bool) -> Vec<usize> {
        let f = Filter::parse(text);
        let r = rows();
        (0..r.len()).filter(|&i| f.matches(&r, i, secrets)).collect()
    }

    #[test]
    fn structured_words_look_in_one_column() {
        assert_eq!(shown("status:INACTIVE", false), vec![1, 3]);
        assert_eq!(shown("status:inactive reason:invalid_d", false), vec![1]);
        assert_eq!(shown("msgs:NONE", false), vec![2]);
        assert_eq!(shown("type:GCM", false), vec![1]);
        assert_eq!(shown("type:APNS", false), vec![0, 2, 3], "from the start: APNS_SANDBOX too");
        assert_eq!(shown("type:\"APNS\"", false), vec![2, 3], "quoted: the whole value");
        assert_eq!(shown("reason:INVALID_PINPOINT_ARN", false), vec![3]);
        // A bare word anywhere shown, as before; a quoted one a whole value.
        assert_eq!(shown("pin", false), vec![3]);
        assert_eq!(shown("ep-9", false), vec![1]);
        assert_eq!(shown("\"ep\"", false), Vec::<usize>::new());
        assert_eq!(shown("\"ep-muted\"", false), vec![2]);
        // The Name only while shown.
        assert_eq!(shown("name:phone", false), Vec::<usize>::new());
        assert_eq!(shown("name:\"phone ep-1\"", true), vec![0]);
        // An ARN is a bare word, not a key.
        assert!(matches!(Filter::parse("arn:aws:chime").terms[0], Term::Any(_)));
        assert!(Filter::parse("   ").is_empty());
    }

    #[test]
    fn sorting_cycles_and_is_stable() {
        let r = rows();
        assert_eq!(cycle(&r, None, true, false), Some(SortKey::Status));
        assert_eq!(cycle(&r, Some(SortKey::Status), true, false), Some(SortKey::Type));
        assert_eq!(cycle(&r, Some(SortKey::Type), true, false), Some(SortKey::Name), "no times known");
        assert_eq!(cycle(&r, Some(SortKey::Type), true, true), Some(SortKey::Updated));
        assert_eq!(cycle(&r, Some(SortKey::Name), true, false), None, "back to the list's own order");
        assert_eq!(cycle(&r, None, false, false), Some(SortKey::Name));
        let none = std::collections::HashMap::new();
        let mut v: Vec<usize> = (0..4).collect();
        sort(&mut v, &r, SortKey::Status, false, &none);
        assert_eq!(v, vec![1, 3, 2, 0], "cannot receive first, then muted, then fine");
        sort(&mut v, &r, SortKey::Type, false, &none);
        assert_eq!(v, vec![2, 3, 0, 1]);
        sort(&mut v, &r, SortKey::Name, false, &none);
        assert_eq!(v, vec![0, 1, 2, 3]);
        let times: std::collections::HashMap<String, crate::model::Timestamp> = [
            ("ep-muted".to_string(), crate::model::Timestamp::from_secs(1_700_000_000.0)),
            ("ep-9".to_string(), crate::model::Timestamp::from_secs(1_760_000_000.0)),
        ]
        .into();
        sort(&mut v, &r, SortKey::Updated, false, &times);
        assert_eq!(v, vec![1, 2, 0, 3], "newest first, then the unknown in the list's order");
        assert_eq!(SortKey::Name.label(&r, false), "ID (names masked)");
    }
}
