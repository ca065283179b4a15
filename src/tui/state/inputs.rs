//! The two inputs a lookup starts from (the user ARN and the endpoint ID), and what is wrong
//! with each, checked again after every change. Owned here: the rest of the state reads them
//! and changes them only through these methods, so a check is never out of step with its input.

use crate::model::{self, InputError, ParsedArn};
use tui_input::{Input, InputRequest};

/// One of the two inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Arn,
    EndpointId,
}

/// The ARN and endpoint-ID inputs, each with its check.
pub struct Inputs {
    arn: Input,
    endpoint_id: Input,
    /// The ARN input parsed, kept in step with every edit.
    arn_check: Result<ParsedArn, InputError>,
    id_check: Result<(), InputError>,
}

impl Default for Inputs {
    fn default() -> Self {
        let arn = Input::default();
        let endpoint_id = Input::default();
        Self {
            arn_check: model::parse_user_arn(arn.value()),
            id_check: model::validate_endpoint_id(endpoint_id.value()),
            arn,
            endpoint_id,
        }
    }
}

impl Inputs {
    pub fn arn(&self) -> &Input {
        &self.arn
    }

    pub fn endpoint_id(&self) -> &Input {
        &self.endpoint_id
    }

    pub fn get(&self, which: Which) -> &Input {
        match which {
            Which::Arn => &self.arn,
            Which::EndpointId => &self.endpoint_id,
        }
    }

    /// The ARN input parsed (or what is wrong with it).
    pub fn arn_check(&self) -> &Result<ParsedArn, InputError> {
        &self.arn_check
    }

    pub fn id_check(&self) -> &Result<(), InputError> {
        &self.id_check
    }

    /// Fill both inputs.
    pub(super) fn set(&mut self, arn: &str, endpoint_id: &str) {
        self.arn = Input::new(arn.to_string());
        self.endpoint_id = Input::new(endpoint_id.to_string());
        self.recheck();
    }

    /// Empty one input.
    pub(super) fn clear(&mut self, which: Which) {
        *self.get_mut(which) = Input::default();
        self.recheck();
    }

    /// An edit of one input; true when its value changed.
    pub(super) fn handle(&mut self, which: Which, req: InputRequest) -> bool {
        let changed = self.get_mut(which).handle(req).is_some_and(|s| s.value);
        if changed {
            self.recheck();
        }
        changed
    }

    /// `text` inserted at the input's cursor, the cursor after it (a paste: one new value
    /// rather than char by char).
    pub(super) fn insert(&mut self, which: Which, text: &str) {
        let input = self.get_mut(which);
        let cursor = input.cursor();
        let value = input.value();
        let split = value.char_indices().nth(cursor).map(|(i, _)| i).unwrap_or(value.len());
        let new_value = format!("{}{}{}", &value[..split], text, &value[split..]);
        let new_cursor = cursor + text.chars().count();
        *input = Input::new(new_value).with_cursor(new_cursor);
        self.recheck();
    }

    fn get_mut(&mut self, which: Which) -> &mut Input {
        match which {
            Which::Arn => &mut self.arn,
            Which::EndpointId => &mut self.endpoint_id,
        }
    }

    fn recheck(&mut self) {
        self.arn_check = model::parse_user_arn(self.arn.value());
        self.id_check = model::validate_endpoint_id(self.endpoint_id.value());
    }
}
