//! The endpoint writes: RegisterAppInstanceUserEndpoint, UpdateAppInstanceUserEndpoint and
//! DeregisterAppInstanceUserEndpoint. Each input is checked first ([`Write::validate`]):
//! nothing invalid is sent. Failures are classified as the reads' are, with hints for what a
//! write can run into (the IAM action named, a duplicate device token, the endpoint limit).

use super::Client;
use crate::model::paging::invalid_response;
use crate::model::write::{EndpointUpdate, Registration, Write, Written};
use crate::model::{self, ErrorKind, ServiceError, answer};
use aws_sdk_chimesdkidentity as sdk;

impl Client {
    /// Send one write. Register answers the new endpoint's ID; update and deregister the IDs
    /// they were given.
    pub async fn write(&self, w: &Write) -> Result<Written, ServiceError> {
        w.validate().map_err(|e| ServiceError::invalid_input(&e))?;
        match w {
            Write::Register(r) => self.register_endpoint(r).await,
            Write::Update(u) => self.update_endpoint(u).await,
            Write::Deregister { user_arn, endpoint_id } => {
                self.deregister_endpoint(user_arn, endpoint_id).await
            }
        }
    }

    /// RegisterAppInstanceUserEndpoint.
    pub async fn register_endpoint(&self, r: &Registration) -> Result<Written, ServiceError> {
        let op = model::write::REGISTER;
        let arn = model::parse_user_arn(&r.user_arn).map_err(|e| ServiceError::invalid_input(&e))?;
        let attrs = sdk::types::EndpointAttributes::builder()
            .device_token(&r.device_token)
            .set_voip_device_token(r.voip_device_token.clone())
            .build()
            .map_err(|e| ServiceError::new(ErrorKind::InvalidInput, e.to_string(), op))?;
        let out = self
            .client_for(Some(arn.region()), op)?
            .register_app_instance_user_endpoint()
            .app_instance_user_arn(&r.user_arn)
            .r#type(sdk::types::AppInstanceUserEndpointType::from(r.endpoint_type.as_str()))
            .resource_arn(&r.resource_arn)
            .endpoint_attributes(attrs)
            .set_name(r.name.clone())
            .set_allow_messages(
                r.allow_messages.as_ref().map(|a| sdk::types::AllowMessages::from(a.as_str())),
            )
            .client_request_token(&r.client_request_token)
            .send()
            .await
            .map_err(|e| write_error(self.classify(e, op, arn.region()), op))?;
        let endpoint_id = out.endpoint_id().unwrap_or_default().to_string();
        if endpoint_id.is_empty() {
            return Err(ServiceError::new(ErrorKind::InvalidResponse, "the answer has no EndpointId", op));
        }
        let lie = |e: String| invalid_response(op, e);
        answer::same_resource("AppInstanceUserArn", &r.user_arn, out.app_instance_user_arn()).map_err(lie)?;
        model::validate_endpoint_id(&endpoint_id)
            .map_err(|e| lie(format!("the answer's EndpointId {}", e.problem)))?;
        Ok(Written { user_arn: r.user_arn.clone(), endpoint_id, removed: None })
    }

    /// UpdateAppInstanceUserEndpoint (Name and AllowMessages only).
    pub async fn update_endpoint(&self, u: &EndpointUpdate) -> Result<Written, ServiceError> {
        let op = model::write::UPDATE;
        let arn = model::parse_user_arn(&u.user_arn).map_err(|e| ServiceError::invalid_input(&e))?;
        let out = self
            .client_for(Some(arn.region()), op)?
            .update_app_instance_user_endpoint()
            .app_instance_user_arn(&u.user_arn)
            .endpoint_id(&u.endpoint_id)
            .set_name(u.name.clone())
            .set_allow_messages(
                u.allow_messages.as_ref().map(|a| sdk::types::AllowMessages::from(a.as_str())),
            )
            .send()
            .await
            .map_err(|e| write_error(self.classify(e, op, arn.region()), op))?;
        answer::same_resource("AppInstanceUserArn", &u.user_arn, out.app_instance_user_arn())
            .and_then(|()| answer::same_resource("EndpointId", &u.endpoint_id, out.endpoint_id()))
            .map_err(|e| invalid_response(op, e))?;
        Ok(Written { user_arn: u.user_arn.clone(), endpoint_id: u.endpoint_id.clone(), removed: None })
    }

    /// DescribeAppInstanceUserEndpoint, then DeregisterAppInstanceUserEndpoint: the record
    /// removed comes back with the answer (so that it can be registered again). A failed
    /// describe sends no deregistration.
    pub async fn deregister_endpoint(
        &self,
        user_arn: &str,
        endpoint_id: &str,
    ) -> Result<Written, ServiceError> {
        let removed = self.describe_endpoint(user_arn, endpoint_id).await?;
        self.deregister_described(user_arn, endpoint_id, removed).await
    }

    /// DeregisterAppInstanceUserEndpoint of an endpoint already described (`removed`, its
    /// record, comes back with the answer): the second half of [`Client::deregister_endpoint`],
    /// for a caller that reports the describe's failure as its own.
    pub async fn deregister_described(
        &self,
        user_arn: &str,
        endpoint_id: &str,
        removed: crate::model::Endpoint,
    ) -> Result<Written, ServiceError> {
        self.deregister_only(user_arn, endpoint_id).await?;
        Ok(Written {
            user_arn: user_arn.to_string(),
            endpoint_id: endpoint_id.to_string(),
            removed: Some(Box::new(removed)),
        })
    }
}

impl Client {
    /// DeregisterAppInstanceUserEndpoint alone (the batch describes first itself).
    pub async fn deregister_only(&self, user_arn: &str, endpoint_id: &str) -> Result<(), ServiceError> {
        let op = model::write::DEREGISTER;
        let arn = model::parse_user_arn(user_arn).map_err(|e| ServiceError::invalid_input(&e))?;
        self.client_for(Some(arn.region()), op)?
            .deregister_app_instance_user_endpoint()
            .app_instance_user_arn(user_arn)
            .endpoint_id(endpoint_id)
            .send()
            .await
            .map_err(|e| write_error(self.classify(e, op, arn.region()), op))?;
        Ok(())
    }
}

/// The hints of a failed write: what the reads' classification says, made specific.
pub fn write_error(mut e: ServiceError, operation: &str) -> ServiceError {
    e.hint = match e.kind {
        ErrorKind::Forbidden if operation == model::write::REGISTER => format!(
            "the IAM identity lacks chime:{operation} on this user (registering also needs mobiletargeting:GetApp on the ResourceArn), or an ARN is wrong (another account, a typo): the service answers both with Forbidden"
        ),
        ErrorKind::Forbidden => format!(
            "the IAM identity lacks chime:{operation} on this user, or the ARN is wrong (another account, a typo): the service answers both with Forbidden"
        ),
        ErrorKind::Conflict if operation == model::write::REGISTER => "the user already has an endpoint with this device token and type (or this ClientRequestToken was used with other input): look the user's endpoints up; nothing was registered".into(),
        ErrorKind::ResourceLimitExceeded => "the user has the most endpoints allowed (10): deregister one that is no longer used, then register again; nothing was registered".into(),
        ErrorKind::NotFound => "no such endpoint (already deregistered?) or user: list the user's endpoints".into(),
        ErrorKind::Throttled => "the service is throttling this account (the SDK already retried): wait a moment and try again; the write was not applied".into(),
        ErrorKind::Timeout | ErrorKind::Network => format!(
            "{} — the write may or may not have been applied: look the endpoint up before trying again",
            e.hint
        ),
        _ => return e,
    };
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_hints_name_the_iam_action_and_the_cause() {
        let f = write_error(ServiceError::new(ErrorKind::Forbidden, "no", ""), model::write::UPDATE);
        assert!(f.hint.contains("chime:UpdateAppInstanceUserEndpoint"), "{}", f.hint);
        let f = write_error(ServiceError::new(ErrorKind::Forbidden, "no", ""), model::write::REGISTER);
        assert!(
            f.hint.contains("chime:RegisterAppInstanceUserEndpoint")
                && f.hint.contains("mobiletargeting:GetApp")
        );
        let c = write_error(ServiceError::new(ErrorKind::Conflict, "dup", ""), model::write::REGISTER);
        assert!(c.hint.contains("device token"), "{}", c.hint);
        let t = write_error(ServiceError::new(ErrorKind::Timeout, "slow", ""), model::write::DEREGISTER);
        assert!(t.hint.contains("may or may not have been applied"), "{}", t.hint);
    }
}
