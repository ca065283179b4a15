//! The small forms of the writes: `e` edits an endpoint's Name and AllowMessages, `n`
//! registers an endpoint for the user whose endpoints are listed. Each field is checked as it
//! is typed (with the checks `chimescope register` / `update` make, `model::write`), and the
//! form only turns into a [`Write`] when every field is good.

use crate::model::write::{self, EndpointUpdate, Registration, Write};
use crate::model::{AllowMessages, EndpointType, InputError};
use tui_input::{Input, InputRequest};

/// The longest text a form's field takes (a token is at most 1,600 characters).
const MAX_FIELD: usize = 4096;

/// What a field holds.
#[derive(Clone, Debug)]
pub enum Value {
    Text(Input),
    /// One of `options`, the selected index.
    Choice {
        options: &'static [&'static str],
        selected: usize,
    },
}

/// Which field it is (what it is checked as, where it goes in the write).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Type,
    ResourceArn,
    DeviceToken,
    VoipToken,
    Name,
    AllowMessages,
    /// The edit form of an endpoint with a Name: whether to clear it (an empty Name field
    /// otherwise means "unchanged").
    ClearName,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub kind: FieldKind,
    pub label: &'static str,
    pub value: Value,
    /// Masked on screen unless secrets are shown.
    pub secret: bool,
    /// May be left empty.
    pub optional: bool,
    /// What is wrong with the value, checked at every edit.
    pub error: Option<String>,
    /// A note under the field (where a prefilled value came from).
    pub note: Option<String>,
    /// The user typed here (a late prefill does not overwrite it).
    pub touched: bool,
}

impl Field {
    fn text(kind: FieldKind, label: &'static str, value: &str, secret: bool, optional: bool) -> Self {
        let mut f = Field {
            kind,
            label,
            value: Value::Text(Input::new(value.to_string())),
            secret,
            optional,
            error: None,
            note: None,
            touched: false,
        };
        f.check();
        f
    }

    fn choice(
        kind: FieldKind,
        label: &'static str,
        options: &'static [&'static str],
        selected: usize,
    ) -> Self {
        Field {
            kind,
            label,
            value: Value::Choice { options, selected },
            secret: false,
            optional: false,
            error: None,
            note: None,
            touched: false,
        }
    }

    /// The text, or the chosen option.
    pub fn text_value(&self) -> &str {
        match &self.value {
            Value::Text(i) => i.value(),
            Value::Choice { options, selected } => options.get(*selected).copied().unwrap_or(""),
        }
    }

    fn check(&mut self) {
        let v = self.text_value();
        let r: Result<(), InputError> = match self.kind {
            _ if self.optional && v.is_empty() => Ok(()),
            FieldKind::Type => write::parse_type(v).map(|_| ()),
            FieldKind::ResourceArn => write::check_resource_arn(v),
            FieldKind::DeviceToken => write::check_token("device token", v),
            FieldKind::VoipToken => write::check_token("VoIP token", v),
            FieldKind::Name => write::check_name(v),
            FieldKind::AllowMessages => write::parse_allow(v).map(|_| ()),
            FieldKind::ClearName => Ok(()),
        };
        // The field's label says which it is: only the problem is kept.
        self.error = r.err().map(|e| e.problem);
    }
}

/// What the form is for.
#[derive(Clone, Debug, PartialEq)]
pub enum FormKind {
    Edit { user_arn: String, endpoint_id: String, name: Option<String>, allow: Option<AllowMessages> },
    Register { user_arn: String },
}

#[derive(Clone, Debug)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    /// The field with the keyboard.
    pub focus: usize,
    /// The ClientRequestToken of the registration: made once when the form opens, so that
    /// sending the same form again (after a lost answer) is idempotent.
    pub request_token: String,
    /// Describe jobs asked for to prefill the Resource ARN (ids).
    pub prefill_jobs: Vec<u64>,
    /// The Resource ARNs those jobs answered (None: an answer without one, or a failure).
    pub prefill_seen: Vec<Option<String>>,
    /// Why Enter did not go on (a field is wrong, nothing changed).
    pub message: Option<String>,
    /// The service's answer to the last attempt (ConflictException, …), explained in place.
    pub failure: Option<crate::model::ServiceError>,
    /// The register form: the user's endpoints as listed when it opened (for the 10-endpoint
    /// limit; a list still paging only counts fewer).
    pub user_endpoints: Option<Vec<crate::model::EndpointSummary>>,
    /// A re-registration (`R`): the endpoint the new one replaces, deregistered only after the
    /// registration succeeded. Its token is compared, never shown.
    pub replaces: Option<Box<crate::model::Endpoint>>,
}

pub const TYPES: &[&str] = &["APNS", "APNS_SANDBOX", "GCM"];
pub const ALLOW: &[&str] = &["ALL", "NONE"];
pub const NO_YES: &[&str] = &["no", "yes"];

impl Form {
    /// `e`: Name and AllowMessages of an endpoint, as they are now.
    pub fn for_edit(
        user_arn: &str,
        endpoint_id: &str,
        name: Option<&str>,
        allow: Option<&AllowMessages>,
    ) -> Self {
        let sel = match allow {
            Some(AllowMessages::None) => 1,
            _ => 0,
        };
        Form {
            kind: FormKind::Edit {
                user_arn: user_arn.into(),
                endpoint_id: endpoint_id.into(),
                name: name.map(str::to_string),
                allow: allow.cloned(),
            },
            // The Name starts empty, meaning "unchanged": what is typed is the whole new Name
            // (never appended blindly to a masked one); clearing it is a choice of its own.
            fields: {
                let mut f = vec![
                    Field::text(FieldKind::Name, "Name", "", true, true),
                    Field::choice(FieldKind::AllowMessages, "Messages", ALLOW, sel),
                ];
                if name.is_some_and(|n| !n.is_empty()) {
                    f.push(Field::choice(FieldKind::ClearName, "Clear Name", NO_YES, 0));
                }
                f
            },
            focus: 0,
            request_token: String::new(),
            prefill_jobs: Vec::new(),
            prefill_seen: Vec::new(),
            message: None,
            failure: None,
            user_endpoints: None,
            replaces: None,
        }
    }

    /// `n`: a new endpoint for `user_arn`; `resource_arn` prefilled when the user's other
    /// endpoints agree on one (`note` says so).
    pub fn register(user_arn: &str, resource_arn: Option<(&str, String)>, request_token: String) -> Self {
        let mut arn = Field::text(FieldKind::ResourceArn, "Resource ARN", "", false, false);
        if let Some((a, note)) = resource_arn {
            arn = Field::text(FieldKind::ResourceArn, "Resource ARN", a, false, false);
            arn.note = Some(note);
        }
        Form {
            kind: FormKind::Register { user_arn: user_arn.into() },
            fields: vec![
                Field::choice(FieldKind::Type, "Type", TYPES, 0),
                arn,
                Field::text(FieldKind::DeviceToken, "Device token", "", true, false),
                Field::text(FieldKind::VoipToken, "VoIP token", "", true, true),
                Field::text(FieldKind::Name, "Name", "", true, true),
                Field::choice(FieldKind::AllowMessages, "Messages", ALLOW, 0),
            ],
            focus: 0,
            request_token,
            prefill_jobs: Vec::new(),
            prefill_seen: Vec::new(),
            message: None,
            failure: None,
            user_endpoints: None,
            replaces: None,
        }
    }

    /// `R`: a new endpoint in place of `old`, prefilled from its record (Type, Resource ARN,
    /// Name, AllowMessages) for a new device token or Resource ARN; the VoIP token is asked
    /// again too (a secret is never carried over unseen).
    pub fn reregister(old: &crate::model::Endpoint, request_token: String) -> Self {
        let user = old.app_instance_user_arn.clone().unwrap_or_default();
        let mut form = Form::register(&user, None, request_token);
        let ty = old.endpoint_type.as_ref().map(|t| t.as_str().to_string()).unwrap_or_default();
        let allow = old.allow_messages.as_ref().map(|a| a.as_str().to_string()).unwrap_or_default();
        for f in &mut form.fields {
            match (f.kind, &mut f.value) {
                (FieldKind::Type, Value::Choice { options, selected }) => {
                    *selected = options.iter().position(|o| *o == ty).unwrap_or(0);
                }
                (FieldKind::AllowMessages, Value::Choice { options, selected }) => {
                    *selected = options.iter().position(|o| *o == allow).unwrap_or(0);
                }
                (FieldKind::ResourceArn, _) => {
                    f.value = Value::Text(Input::new(old.resource_arn.clone().unwrap_or_default()));
                    f.note = Some("from the endpoint replaced".into());
                    f.check();
                }
                (FieldKind::Name, _) => {
                    f.value = Value::Text(Input::new(old.name.clone().unwrap_or_default()));
                    f.check();
                }
                (FieldKind::DeviceToken, _) => {
                    f.note = Some(
                        "the device's new token (the old one is refused while the old endpoint exists)"
                            .into(),
                    );
                }
                _ => {}
            }
        }
        form.focus = form.fields.iter().position(|f| f.kind == FieldKind::DeviceToken).unwrap_or(0);
        form.replaces = Some(Box::new(old.clone()));
        form
    }

    /// The device token field filled with `token` (a secret), with a note saying where it
    /// came from.
    pub fn set_device_token(&mut self, token: &str, note: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.kind == FieldKind::DeviceToken) {
            f.value = Value::Text(Input::new(token.to_string()));
            f.note = Some(note.to_string());
            f.check();
        }
        if let Some(i) = self.fields.iter().position(|f| f.kind == FieldKind::Name) {
            self.focus = i;
        }
    }

    /// The register form's Type set to `ty` (the user's endpoints have it), said in a note.
    pub fn preselect_type(&mut self, ty: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.kind == FieldKind::Type)
            && let Value::Choice { options, selected } = &mut f.value
            && let Some(i) = options.iter().position(|o| *o == ty)
        {
            *selected = i;
            f.note = Some("the Type of the user's endpoints".into());
        }
    }

    /// The endpoint a re-registration replaces (its ID).
    pub fn replaces_id(&self) -> Option<&str> {
        self.replaces.as_ref().and_then(|e| e.endpoint_id.as_deref())
    }

    /// A re-registration with the replaced endpoint's own token and Resource ARN is the same
    /// endpoint: the service refuses the token while that endpoint exists (ConflictException).
    fn check_replacement(&mut self) {
        let Some(old) = &self.replaces else { return };
        let token = self.text_of(FieldKind::DeviceToken);
        if token.is_some()
            && token == old.device_token
            && let Some(f) = self.fields.iter_mut().find(|f| f.kind == FieldKind::DeviceToken)
        {
            f.error = Some(
                "the replaced endpoint's own token: the service refuses it while that endpoint exists (to move it to another Resource ARN, D deregisters it first; Recent keeps its record)"
                    .into(),
            );
        }
    }

    pub fn title(&self) -> String {
        if let (Some(id), FormKind::Register { .. }) = (self.replaces_id(), &self.kind) {
            return format!("Register {} again", crate::model::escape_control(id));
        }
        match &self.kind {
            FormKind::Edit { endpoint_id, .. } => {
                format!("Edit endpoint {}", crate::model::escape_control(endpoint_id))
            }
            FormKind::Register { user_arn } => {
                format!(
                    "Register an endpoint for {}",
                    crate::model::escape_control(crate::model::short_user(user_arn))
                )
            }
        }
    }

    pub fn user_arn(&self) -> &str {
        match &self.kind {
            FormKind::Edit { user_arn, .. } | FormKind::Register { user_arn } => user_arn,
        }
    }

    fn field(&self, kind: FieldKind) -> Option<&Field> {
        self.fields.iter().find(|f| f.kind == kind)
    }

    fn text_of(&self, kind: FieldKind) -> Option<String> {
        self.field(kind).map(|f| f.text_value().to_string()).filter(|s| !s.is_empty())
    }

    /// The register form: what the doctor would find on the endpoint it would register
    /// (`doctor::register`, the checks `chimescope register` makes), once the Resource ARN and
    /// the tokens pass their field checks. Errors first; empty for the edit form.
    pub fn findings(&self) -> Vec<crate::doctor::Finding> {
        let FormKind::Register { user_arn } = &self.kind else { return Vec::new() };
        let checked = [FieldKind::ResourceArn, FieldKind::DeviceToken, FieldKind::VoipToken];
        if self.fields.iter().any(|f| checked.contains(&f.kind) && f.error.is_some()) {
            return Vec::new();
        }
        let r = Registration {
            user_arn: user_arn.clone(),
            endpoint_type: EndpointType::parse(&self.text_of(FieldKind::Type).unwrap_or_default()),
            resource_arn: self.text_of(FieldKind::ResourceArn).unwrap_or_default(),
            device_token: self.text_of(FieldKind::DeviceToken).unwrap_or_default(),
            voip_device_token: self.text_of(FieldKind::VoipToken),
            name: None,
            allow_messages: self.text_of(FieldKind::AllowMessages).map(|a| AllowMessages::parse(&a)),
            client_request_token: self.request_token.clone(),
        };
        crate::doctor::register::registration_findings(&r, self.user_endpoints.as_deref())
    }

    /// Whether every field is good.
    pub fn is_valid(&self) -> bool {
        self.fields.iter().all(|f| f.error.is_none())
    }

    /// The first field that is wrong.
    pub fn first_error(&self) -> Option<usize> {
        self.fields.iter().position(|f| f.error.is_some())
    }

    /// The write the form says, when every field is good; `Err` says what is wrong (and the
    /// focus goes to that field).
    pub fn to_write(&mut self) -> Result<Write, String> {
        if let Some(i) = self.first_error() {
            self.focus = i;
            let f = &self.fields[i];
            return Err(format!("{}: {}", f.label, f.error.clone().unwrap_or_default()));
        }
        let allow = self.text_of(FieldKind::AllowMessages).map(|a| AllowMessages::parse(&a));
        let w = match &self.kind {
            FormKind::Edit { user_arn, endpoint_id, name, allow: was } => {
                let typed = self.text_of(FieldKind::Name);
                let clear = self.text_of(FieldKind::ClearName).as_deref() == Some("yes");
                let new_name = match (clear, typed) {
                    (true, Some(_)) => {
                        self.focus = self.fields.iter().position(|f| f.kind == FieldKind::Name).unwrap_or(0);
                        return Err("Clear Name is yes: empty the Name field, or choose no".into());
                    }
                    (true, None) => Some(String::new()),
                    (false, typed) => typed.filter(|t| Some(t) != name.as_ref()),
                };
                let allow_changed = allow != *was;
                if new_name.is_none() && !allow_changed {
                    return Err("Nothing changed: type a new Name, clear it, or change Messages first".into());
                }
                Write::Update(EndpointUpdate {
                    user_arn: user_arn.clone(),
                    endpoint_id: endpoint_id.clone(),
                    name: new_name,
                    allow_messages: if allow_changed { allow } else { None },
                })
            }
            FormKind::Register { user_arn } => Write::Register(Registration {
                user_arn: user_arn.clone(),
                endpoint_type: EndpointType::parse(&self.text_of(FieldKind::Type).unwrap_or_default()),
                resource_arn: self.text_of(FieldKind::ResourceArn).unwrap_or_default(),
                device_token: self.text_of(FieldKind::DeviceToken).unwrap_or_default(),
                voip_device_token: self.text_of(FieldKind::VoipToken),
                name: self.text_of(FieldKind::Name),
                allow_messages: allow,
                client_request_token: self.request_token.clone(),
            }),
        };
        w.validate().map_err(|e| e.to_string())?;
        Ok(w)
    }

    pub fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        self.focus = if forward { (self.focus + 1) % n } else { (self.focus + n - 1) % n };
    }

    /// A key that edits the focused field. A choice takes ←/→ and Space (a letter picks the
    /// option it starts, so `N` picks NONE); a text field is edited by the text-input crate.
    pub fn edit(&mut self, req: InputRequest) {
        let Some(f) = self.fields.get_mut(self.focus) else { return };
        match &mut f.value {
            Value::Choice { options, selected } => {
                let n = options.len();
                match req {
                    InputRequest::GoToPrevChar => *selected = (*selected + n - 1) % n,
                    InputRequest::GoToNextChar | InputRequest::InsertChar(' ') => {
                        *selected = (*selected + 1) % n
                    }
                    InputRequest::InsertChar(c) => {
                        let up = c.to_ascii_uppercase();
                        // Cycle among the options starting with the letter (APNS, APNS_SANDBOX).
                        let starts: Vec<usize> =
                            (0..n).filter(|&i| options[i].to_ascii_uppercase().starts_with(up)).collect();
                        if let Some(next) = starts.iter().find(|&&i| i > *selected).or(starts.first()) {
                            *selected = *next;
                        }
                    }
                    _ => return,
                }
            }
            Value::Text(input) => {
                if let InputRequest::InsertChar(c) = req
                    && (c.is_control() || input.value().len() >= MAX_FIELD)
                {
                    return;
                }
                if input.handle(req).is_none_or(|s| !s.value) {
                    return;
                }
            }
        }
        f.touched = true;
        f.note = None;
        f.check();
        self.check_replacement();
    }

    /// A paste into the focused text field: whitespace around it trimmed (a token never has
    /// it), inserted at the cursor.
    pub fn paste(&mut self, text: &str) {
        let Some(f) = self.fields.get_mut(self.focus) else { return };
        let Value::Text(input) = &mut f.value else { return };
        let t = text.trim().trim_matches(|c| c == '"' || c == '\'');
        let t: String = t.chars().take(MAX_FIELD.saturating_sub(input.value().len())).collect();
        for c in t.chars() {
            input.handle(InputRequest::InsertChar(c));
        }
        f.touched = true;
        f.note = None;
        f.check();
        self.check_replacement();
    }

    /// A Resource ARN answered for the prefill. When every job has answered and the ARNs
    /// agree, the field (if untouched) takes it.
    pub fn prefill_answer(&mut self, id: u64, resource_arn: Option<String>) -> bool {
        let Some(pos) = self.prefill_jobs.iter().position(|j| *j == id) else { return false };
        self.prefill_jobs.remove(pos);
        self.prefill_seen.push(resource_arn);
        if !self.prefill_jobs.is_empty() {
            return true;
        }
        let seen: Vec<&str> = self.prefill_seen.iter().flatten().map(String::as_str).collect();
        let agree =
            !seen.is_empty() && seen.len() == self.prefill_seen.len() && seen.iter().all(|a| *a == seen[0]);
        let n = seen.len();
        let first = seen.first().map(|s| s.to_string());
        if let Some(f) = self.fields.iter_mut().find(|f| f.kind == FieldKind::ResourceArn)
            && !f.touched
            && f.text_value().is_empty()
        {
            match (agree, first) {
                (true, Some(a)) => {
                    f.value = Value::Text(Input::new(a));
                    f.note = Some(format!(
                        "from the user's {}",
                        if n == 1 { "endpoint".to_string() } else { format!("{n} endpoints (they agree)") }
                    ));
                    f.check();
                }
                _ if n > 0 => {
                    f.note = Some("the user's endpoints name different Resource ARNs: paste one".into())
                }
                _ => {}
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const U: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";
    const P: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/app1";

    fn typed(f: &mut Form, s: &str) {
        for c in s.chars() {
            f.edit(InputRequest::InsertChar(c));
        }
    }

    #[test]
    fn the_register_form_validates_as_it_is_typed() {
        let mut f = Form::register(U, None, "tok-1".into());
        assert!(!f.is_valid(), "no Resource ARN, no device token");
        assert_eq!(f.fields[0].text_value(), "APNS");
        f.edit(InputRequest::InsertChar('g'));
        assert_eq!(f.fields[0].text_value(), "GCM", "a letter picks its option");
        f.move_focus(true);
        typed(&mut f, "arn:aws:sns:us-east-1:1:x");
        assert!(f.fields[1].error.as_deref().unwrap().contains("Pinpoint"), "{:?}", f.fields[1].error);
        f.edit(InputRequest::DeleteLine);
        f.paste(&format!("  {P}\n"));
        assert_eq!(f.fields[1].error, None);
        assert!(f.to_write().unwrap_err().starts_with("Device token"), "the first bad field is named");
        assert_eq!(f.focus, 2, "and gets the keyboard");
        f.paste("fcm-token");
        let Write::Register(r) = f.to_write().unwrap() else { panic!() };
        assert_eq!((r.endpoint_type, r.device_token.as_str()), (EndpointType::Gcm, "fcm-token"));
        assert_eq!((r.voip_device_token, r.name, r.client_request_token.as_str()), (None, None, "tok-1"));
    }

    #[test]
    fn the_register_form_runs_the_doctor_rules_as_it_is_typed() {
        let mut f = Form::register(U, Some((P, "prefilled".into())), "tok-1".into());
        f.edit(InputRequest::InsertChar('g'));
        f.focus = 2;
        typed(&mut f, &"ab".repeat(32));
        let found = f.findings();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("APNs token on a GCM endpoint"), "{}", found[0].message);
        f.focus = 0;
        f.edit(InputRequest::InsertChar('a'));
        assert!(f.findings().is_empty(), "the same token on APNS is fine");
        let ten: Vec<_> = (0..10)
            .map(|i| crate::model::EndpointSummary {
                endpoint_id: Some(format!("ep-{i}")),
                ..Default::default()
            })
            .collect();
        f.user_endpoints = Some(ten);
        assert_eq!(f.findings()[0].code, "endpoint-limit");
    }

    #[test]
    fn the_resource_arn_is_prefilled_only_when_the_other_endpoints_agree() {
        let mut f = Form::register(U, None, "t".into());
        f.prefill_jobs = vec![1, 2];
        f.prefill_answer(1, Some(P.into()));
        assert_eq!(f.fields[1].text_value(), "", "waits for every answer");
        f.prefill_answer(2, Some(P.into()));
        assert_eq!(f.fields[1].text_value(), P);
        assert!(f.fields[1].note.as_deref().unwrap().contains("2 endpoints (they agree)"));
        let mut f = Form::register(U, None, "t".into());
        f.prefill_jobs = vec![1, 2];
        f.prefill_answer(1, Some(P.into()));
        f.prefill_answer(2, Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/other".into()));
        assert_eq!(f.fields[1].text_value(), "");
        assert!(f.fields[1].note.as_deref().unwrap().contains("different"));
    }

    #[test]
    fn the_edit_form_sends_only_what_changed() {
        let mut f = Form::for_edit(U, "ep-1", Some("phone"), Some(&AllowMessages::All));
        assert!(f.to_write().unwrap_err().starts_with("Nothing changed"));
        f.move_focus(true);
        f.edit(InputRequest::GoToNextChar);
        let Write::Update(u) = f.to_write().unwrap() else { panic!() };
        assert_eq!((u.name, u.allow_messages), (None, Some(AllowMessages::None)));
        f.move_focus(false);
        f.edit(InputRequest::InsertChar('\u{1b}'));
        f.edit(InputRequest::InsertChar('!'));
        let Write::Update(u) = f.to_write().unwrap() else { panic!() };
        assert_eq!(u.name.as_deref(), Some("!"), "a control character is not typed");
    }

    #[test]
    fn the_edit_form_name_starts_empty_for_unchanged_and_clearing_is_a_choice() {
        let mut f = Form::for_edit(U, "ep-1", Some("phone"), Some(&AllowMessages::All));
        assert_eq!(f.fields[0].text_value(), "", "never typed into blindly");
        assert!(f.to_write().unwrap_err().starts_with("Nothing changed"), "empty: unchanged");
        // The same Name typed again is no change either.
        for c in "phone".chars() {
            f.edit(InputRequest::InsertChar(c));
        }
        assert!(f.to_write().unwrap_err().starts_with("Nothing changed"));
        // Clear Name: yes with a Name typed is refused; with the field empty, the Name goes.
        f.focus = 2;
        assert_eq!(f.fields[2].kind, FieldKind::ClearName);
        f.edit(InputRequest::InsertChar('y'));
        assert!(f.to_write().unwrap_err().starts_with("Clear Name is yes"));
        assert_eq!(f.focus, 0, "back to the Name field");
        f.edit(InputRequest::DeleteLine);
        let Write::Update(u) = f.to_write().unwrap() else { panic!() };
        assert_eq!((u.name.as_deref(), u.allow_messages), (Some(""), None));
        // An endpoint without a Name has nothing to clear.
        let f = Form::for_edit(U, "ep-1", None, Some(&AllowMessages::All));
        assert!(f.fields.iter().all(|f| f.kind != FieldKind::ClearName));
    }
}
