//! What `register` was given, as typed: from its options, or from `--cli-input-json` with the
//! options over the file (`cli_input.rs`); `write.rs` sends it.

use crate::model::InputError;
use crate::model::write::{Registration, Write, parse_allow, parse_type};

/// What `register` was given, as typed.
#[derive(Clone, Debug, Default)]
pub struct RegisterArgs {
    pub user_arn: String,
    pub endpoint_type: String,
    pub resource_arn: String,
    pub device_token: String,
    pub voip_device_token: Option<String>,
    pub name: Option<String>,
    pub allow_messages: Option<String>,
    pub client_request_token: Option<String>,
    /// `--force`: send even when the doctor's record checks find an error.
    pub force: bool,
}

/// A new ClientRequestToken (a UUID: 36 of `[-0-9a-f]`, inside the model's 2..64 `[-_a-zA-Z0-9]`).
pub fn new_request_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl RegisterArgs {
    /// The registration, every field checked; a ClientRequestToken made when none is given
    /// (the second value says so).
    pub fn to_write(&self) -> Result<(Write, bool), InputError> {
        let generated = self.client_request_token.is_none();
        let w = Write::Register(Registration {
            user_arn: self.user_arn.clone(),
            endpoint_type: parse_type(&self.endpoint_type)?,
            resource_arn: self.resource_arn.clone(),
            device_token: self.device_token.clone(),
            voip_device_token: self.voip_device_token.clone(),
            name: self.name.clone(),
            allow_messages: self.allow_messages.as_deref().map(parse_allow).transpose()?,
            client_request_token: self.client_request_token.clone().unwrap_or_else(new_request_token),
        });
        w.validate()?;
        Ok((w, generated))
    }
}
