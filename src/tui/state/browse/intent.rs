//! What Enter in the lookup pane asks for, read from what was typed: both inputs empty list
//! the app instances, an app-instance ARN its users, a user ARN without an endpoint ID its
//! endpoints (each with the levels above it), and a user ARN with an ID looks the endpoint up.
//! An endpoint ID without its user, or with an app-instance ARN, is refused, saying why.

use crate::jobs::worker::Query;
use crate::model::{self, ArnKind};
use crate::tui::state::app::Focus;

/// What Enter in the lookup pane asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Open these lists, outermost first; the last is shown, the others wait above it.
    Browse(Vec<Query>),
    /// Look the endpoint up (the lookup's own checks explain anything wrong).
    Describe,
    /// Nothing sent: the input to fix, and why.
    Refuse(Focus, String),
}

/// Read what was typed (see the module documentation).
pub fn intent(arn: &str, endpoint_id: &str) -> Intent {
    let instances = Query::ListInstances { next_token: None };
    if arn.is_empty() {
        return if endpoint_id.is_empty() {
            Intent::Browse(vec![instances])
        } else {
            Intent::Refuse(
                Focus::Arn,
                "Not looked up: an endpoint ID needs its user ARN (with both empty, Enter lists the app instances)"
                    .into(),
            )
        };
    }
    let Ok(parsed) = model::parse_chime_arn("ARN", arn) else { return Intent::Describe };
    let users = |a: String| Query::ListUsers { app_instance_arn: a, next_token: None };
    match parsed.kind {
        ArnKind::AppInstance { .. } if endpoint_id.is_empty() => Intent::Browse(vec![instances, users(arn.into())]),
        ArnKind::AppInstance { .. } => Intent::Refuse(
            Focus::EndpointId,
            "Not looked up: the ARN names an app instance, and endpoints belong to users (clear the endpoint ID to list its users)"
                .into(),
        ),
        ArnKind::User { .. } if endpoint_id.is_empty() => Intent::Browse(vec![
            instances,
            users(parsed.app_instance_arn()),
            Query::ListEndpoints { user_arn: arn.into(), next_token: None },
        ]),
        ArnKind::User { .. } => Intent::Describe,
    }
}
