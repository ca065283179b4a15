// Actions are fed and the state checked: not every effect is used.
#![allow(unused_must_use)]
use super::*;
use crate::doctor::Code;
use crate::model::messaging::{ChannelMembership, MemberOf, PushPreferences};
use crate::model::{Endpoint, ErrorKind, ServiceError};
use crate::tui::action::Action;
use crate::tui::keymap::{HintFocus, Keyed, Mode};
use crate::tui::state::Session;
use crate::tui::state::layer::Layer;
use crate::tui::state::testing::{answer as done, jobs};
use crate::tui::state::trace::{Gate, Mark};

const U: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/u-42";

fn channel(id: &str) -> String {
    format!("arn:aws:chime:us-east-1:123456789012:app-instance/i-1/channel/{id}")
}

fn member(id: &str, name: &str, allow: Option<&str>, rule: Option<&str>) -> MemberOf {
    MemberOf {
        membership: ChannelMembership {
            channel_arn: channel(id),
            channel_name: Some(name.into()),
            mode: Some("UNRESTRICTED".into()),
            privacy: Some("PUBLIC".into()),
            membership_type: Some("DEFAULT".into()),
        },
        preferences: PushPreferences {
            allow_notifications: allow.map(str::to_string),
            filter_rule: rule.map(str::to_string),
        },
    }
}

/// The demo app showing endpoint ep-1 of U.
fn showing() -> App {
    let mut a = App::new(Session::demo());
    a.update(Action::PinpointOff("--no-pinpoint".into()));
    a.set_inputs(U, "ep-1");
    let r = jobs(&a.update(Action::Cmd(Cmd::Submit))).remove(0);
    let e = Endpoint {
        app_instance_user_arn: Some(U.into()),
        endpoint_id: Some("ep-1".into()),
        ..Default::default()
    };
    done(&mut a, &r, Ok(Answer::Endpoint(Box::new(e))));
    a
}

fn three() -> Vec<MemberOf> {
    vec![
        member("lab", "Device lab", Some("ALL"), None),
        member("alerts", "Release alerts", Some("NONE"), None),
        member("standup", "Standup", Some("FILTERED"), Some(r#"{"mention":["u-42"]}"#)),
    ]
}

fn membership_gate(a: &App) -> Mark {
    a.push_trace().unwrap().into_iter().find(|(g, _)| *g == Gate::Membership).unwrap().1
}

#[test]
fn m_reads_the_user_s_memberships_once_as_one_job_and_shows_them_in_their_layer() {
    let mut a = showing();
    assert!(matches!(membership_gate(&a), Mark::NotChecked(w) if w.starts_with("M reads")));
    let read = jobs(&a.update(Action::Cmd(Cmd::Memberships)));
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].owner, Owner::Members);
    assert_eq!(read[0].query, Query::Memberships { user_arn: U.into() });
    assert_eq!(a.layer(), Layer::Members);
    assert_eq!((a.key_mode(), a.hint_focus()), (Mode::Members, HintFocus::Members));
    assert!(matches!(membership_gate(&a), Mark::NotChecked(w) if w.contains("reading")));
    done(&mut a, &read[0], Ok(Answer::Memberships(three())));
    let rows = a.members().rows.as_ref().unwrap();
    assert_eq!(
        rows.iter().map(Membership::preference).collect::<Vec<_>>(),
        ["ALL", "NONE: muted", "FILTERED"]
    );
    assert_eq!(rows[1].findings[0].code, Code::ChannelMuted);
    assert_eq!(rows[2].findings[0].code, Code::ChannelFiltered);
    // The cursor moves; y copies the channel's ARN; v its JSON, over the list.
    a.update(Action::Cmd(Cmd::Down));
    let eff = a.update(Action::Cmd(Cmd::CopyField));
    assert!(matches!(&eff[..], [Effect::Copy { text, .. }] if *text == channel("alerts")), "{eff:?}");
    a.update(Action::Cmd(Cmd::RawView));
    assert_eq!(a.layers()[..2], [Layer::Raw, Layer::Members]);
    let raw = a.raw_view().unwrap();
    let text = raw.lines(false).join("\n");
    assert!(text.contains(r#""AllowNotifications": "NONE""#), "{text}");
    assert!(text.contains(r#""Name": "Release alerts""#), "{text}");
    a.update(Action::Cmd(Cmd::Cancel));
    assert_eq!(a.layer(), Layer::Members);
    // Esc closes; M again opens what was read without reading again; r reads again.
    a.update(Action::Cmd(Cmd::Cancel));
    assert_eq!(a.layer(), Layer::Panes);
    assert!(jobs(&a.update(Action::Cmd(Cmd::Memberships))).is_empty());
    assert_eq!(a.layer(), Layer::Members);
    let again = jobs(&a.update(Action::Cmd(Cmd::Retry)));
    assert_eq!(again.len(), 1);
    // An answer to the first read is stale now.
    done(&mut a, &read[0], Ok(Answer::Memberships(vec![])));
    assert!(a.members().loading.is_some(), "the stale answer was dropped");
}

#[test]
fn the_membership_gate_follows_the_memberships_read() {
    let mut a = showing();
    let read = jobs(&a.update(Action::Cmd(Cmd::Memberships))).remove(0);
    done(&mut a, &read, Ok(Answer::Memberships(three())));
    let Mark::Fail(why) = membership_gate(&a) else { panic!("{:?}", membership_gate(&a)) };
    assert!(why.contains("channel-muted on Release alerts"), "{why}");
    assert!(why.contains(r#"channel-filtered on Standup (FilterRule {"mention":["u-42"]})"#), "{why}");
    assert!(why.contains("1 of 3 channels push every message"), "{why}");
    // The message gate names the channel chosen in the list.
    a.update(Action::Cmd(Cmd::Bottom));
    let message = a.push_trace().unwrap()[0].1.clone();
    assert!(
        matches!(&message, Mark::NotChecked(w) if w.starts_with(&format!("chimescope doctor --channel-arn {} --message-id", channel("standup")))),
        "{message:?}"
    );
    // Every channel ALL: passed.
    let again = jobs(&a.update(Action::Cmd(Cmd::Retry))).remove(0);
    done(&mut a, &again, Ok(Answer::Memberships(vec![member("lab", "Device lab", None, None)])));
    assert!(matches!(membership_gate(&a), Mark::Pass(w) if w.contains("member of 1 channels")));
    // No channel at all.
    let again = jobs(&a.update(Action::Cmd(Cmd::Retry))).remove(0);
    done(&mut a, &again, Ok(Answer::Memberships(vec![])));
    assert!(matches!(membership_gate(&a), Mark::Fail(w) if w.starts_with("not-a-member")));
    // A bad rule is flagged with its code.
    let again = jobs(&a.update(Action::Cmd(Cmd::Retry))).remove(0);
    done(&mut a, &again, Ok(Answer::Memberships(vec![member("x", "X", Some("FILTERED"), Some("{mention"))])));
    assert!(matches!(membership_gate(&a), Mark::Fail(w) if w.starts_with("filter-rule-invalid on X")));
}

#[test]
fn a_failed_read_is_said_in_words_and_r_reads_again() {
    let mut a = showing();
    let read = jobs(&a.update(Action::Cmd(Cmd::Memberships))).remove(0);
    let e =
        ServiceError::new(ErrorKind::Forbidden, "not allowed", "ListChannelMembershipsForAppInstanceUser");
    done(&mut a, &read, Err(e));
    assert!(a.members().error.is_some());
    assert!(a.members().rows.is_none());
    assert!(matches!(membership_gate(&a), Mark::NotChecked(w) if w.contains("could not be read")));
    // Nothing to view or copy; no panic.
    assert!(a.update(Action::Cmd(Cmd::CopyField)).is_empty());
    a.update(Action::Cmd(Cmd::RawView));
    assert!(a.raw_view().is_none());
    assert_eq!(jobs(&a.update(Action::Cmd(Cmd::Retry))).len(), 1);
}

#[test]
fn m_names_the_user_of_a_list_or_asks_for_one() {
    let mut a = App::new(Session::demo());
    assert!(a.update(Action::Cmd(Cmd::Memberships)).is_empty(), "no user in view");
    assert!(a.notice().unwrap().text.contains("M lists a user's channel memberships"));
    assert_eq!(a.layer(), Layer::Panes);
    // The ARN input names one.
    a.set_inputs(U, "");
    a.set_focus(crate::tui::state::Focus::Detail);
    let read = jobs(&a.update(Action::Cmd(Cmd::Memberships)));
    assert_eq!(read[0].query, Query::Memberships { user_arn: U.into() });
}

#[test]
fn a_context_switch_forgets_the_memberships_and_cancels_their_read() {
    let mut a = showing();
    let read = jobs(&a.update(Action::Cmd(Cmd::Memberships))).remove(0);
    a.update(Action::Cmd(Cmd::Cancel));
    let eff = a.update(Action::Cmd(Cmd::CommandLine));
    assert!(eff.is_empty());
    for ch in ":region eu-central-1".chars().skip(1) {
        a.update(Action::Edit(tui_input::InputRequest::InsertChar(ch)));
    }
    let eff = a.update(Action::Cmd(Cmd::Submit));
    assert!(eff.iter().any(|e| matches!(e, Effect::CancelJob(id) if *id == read.id)), "{eff:?}");
    assert!(a.members().loading.is_none() && a.members().user_arn.is_empty());
    assert!(matches!(membership_gate(&a), Mark::NotChecked(w) if w.starts_with("M reads")));
}
