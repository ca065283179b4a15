//! The memberships list's state: the user asked about, the memberships read with their gate and
//! findings, the read running or its failure, and the cursor. No `App` here (the keys are
//! `super`'s), so that the state hub does not take this file in.

use crate::doctor::Finding;
use crate::doctor::membership::{self as gate, GateResult};
use crate::model::messaging::MemberOf;
use crate::model::{self, ServiceError};
use crate::tui::state::picker::{Keep, Picker};
use serde_json::{Value, json};

/// One membership of the user: what was read, what the membership gate says of it (on the
/// preference alone) and the registry's findings (`channel-muted`, `channel-filtered`,
/// `filter-rule-invalid`).
#[derive(Clone, Debug, PartialEq)]
pub struct Membership {
    pub of: MemberOf,
    pub gate: GateResult,
    pub findings: Vec<Finding>,
}

impl Membership {
    pub fn new(of: MemberOf) -> Self {
        let gate = gate::gate(true, &of.preferences, None);
        // Among all the user's channels: a muted one is the user's choice on it (a warning).
        let findings = gate::findings(&gate, &of.membership.channel_arn, &of.preferences, false);
        Self { of, gate, findings }
    }

    /// The channel's name (escaped), or its ARN's last part.
    pub fn name(&self) -> String {
        let m = &self.of.membership;
        match m.channel_name.as_deref().filter(|n| !n.is_empty()) {
            Some(n) => model::escape_control(n).into_owned(),
            None => model::escape_control(m.channel_arn.rsplit('/').next().unwrap_or("")).into_owned(),
        }
    }

    /// The push preference in a word: ALL, NONE (muted), FILTERED, or not set (ALL).
    pub fn preference(&self) -> &'static str {
        match self.gate {
            GateResult::Muted => "NONE: muted",
            GateResult::Filtered | GateResult::Passed | GateResult::Stopped(_) => "FILTERED",
            GateResult::Invalid(_) => "FILTERED: bad rule",
            GateResult::NotMember => "not a member",
            GateResult::All if self.of.preferences.allow_notifications.is_none() => "ALL (not set)",
            GateResult::All => "ALL",
        }
    }

    /// The FilterRule, escaped (empty when there is none).
    pub fn rule(&self) -> String {
        model::escape_control(self.of.preferences.filter_rule.as_deref().unwrap_or("")).into_owned()
    }

    /// What the preference lets through, in words.
    pub fn meaning(&self) -> String {
        match &self.gate {
            GateResult::All => "every push of the channel reaches the user's endpoints".into(),
            GateResult::Muted => "no push of the channel reaches the user (AllowNotifications NONE)".into(),
            GateResult::Filtered | GateResult::Passed | GateResult::Stopped(_) => {
                "only messages whose attributes pass the FilterRule are pushed".into()
            }
            GateResult::Invalid(why) => format!(
                "the FilterRule cannot be read ({}): what the service does with it is not known",
                model::escape_control(why)
            ),
            GateResult::NotMember => "none of the channel's messages is pushed to the user".into(),
        }
    }

    /// Whether the membership stops or narrows pushes (muted, filtered, a bad rule).
    pub fn stands_out(&self) -> bool {
        !matches!(self.gate, GateResult::All)
    }

    /// The membership as JSON: ListChannelMembershipsForAppInstanceUser's summary (the AWS CLI's
    /// names) with GetChannelMembershipPreferences' `Preferences`. Nothing in it is a secret.
    pub fn json(&self) -> Value {
        let m = &self.of.membership;
        let p = &self.of.preferences;
        let mut channel = json!({"ChannelArn": m.channel_arn});
        let mut put = |k: &str, v: &Option<String>| {
            if let (Some(v), Some(o)) = (v, channel.as_object_mut()) {
                o.insert(k.into(), Value::String(v.clone()));
            }
        };
        put("Name", &m.channel_name);
        put("Mode", &m.mode);
        put("Privacy", &m.privacy);
        let mut push = serde_json::Map::new();
        if let Some(a) = &p.allow_notifications {
            push.insert("AllowNotifications".into(), Value::String(a.clone()));
        }
        if let Some(r) = &p.filter_rule {
            push.insert("FilterRule".into(), Value::String(r.clone()));
        }
        let mut out = json!({"ChannelSummary": channel});
        if let Some(o) = out.as_object_mut() {
            if let Some(t) = &m.membership_type {
                o.insert("AppInstanceUserMembershipSummary".into(), json!({"Type": t}));
            }
            o.insert("Preferences".into(), json!({"PushNotifications": push}));
        }
        out
    }
}

/// The memberships list of one user.
#[derive(Clone, Debug, Default)]
pub struct Members {
    /// The overlay is on show.
    pub open: bool,
    /// The user whose memberships are read (or being read).
    pub user_arn: String,
    /// The read running (its job id).
    pub loading: Option<u64>,
    /// The memberships read, in the service's order; None until a read answered.
    pub rows: Option<Vec<Membership>>,
    /// Why the last read failed.
    pub error: Option<ServiceError>,
    pub picker: Picker,
    /// Enter: the selected membership's preference in full under the list.
    pub expanded: bool,
}

impl Members {
    /// A read of `user_arn`'s memberships started as job `id`.
    pub fn start(&mut self, user_arn: &str, id: u64) {
        if self.user_arn != user_arn {
            self.rows = None;
            self.picker = Picker::default();
            self.expanded = false;
        }
        self.user_arn = user_arn.to_string();
        self.loading = Some(id);
        self.error = None;
    }

    pub fn awaits(&self, id: u64) -> bool {
        self.loading == Some(id)
    }

    /// The read answered.
    pub fn loaded(&mut self, read: Vec<MemberOf>) {
        self.loading = None;
        self.error = None;
        let rows: Vec<Membership> = read.into_iter().map(Membership::new).collect();
        self.picker.show((0..rows.len()).collect(), Keep::RowOrTop);
        self.rows = Some(rows);
    }

    /// The read failed: the rows of an earlier read are dropped (they may be stale).
    pub fn failed(&mut self, e: ServiceError) {
        self.loading = None;
        self.rows = None;
        self.error = Some(e);
    }

    /// The membership under the cursor.
    pub fn selected(&self) -> Option<&Membership> {
        self.rows.as_ref()?.get(self.picker.selected()?)
    }

    /// The memberships read of `user_arn`, if they were.
    pub fn of_user(&self, user_arn: &str) -> Option<&[Membership]> {
        self.rows.as_deref().filter(|_| self.user_arn == user_arn)
    }

    /// Whether `user_arn`'s memberships are being read.
    pub fn reading(&self, user_arn: &str) -> bool {
        self.loading.is_some() && self.user_arn == user_arn
    }

    /// Why `user_arn`'s memberships could not be read, if they could not.
    pub fn error_of(&self, user_arn: &str) -> Option<&ServiceError> {
        self.error.as_ref().filter(|_| self.user_arn == user_arn)
    }
}
