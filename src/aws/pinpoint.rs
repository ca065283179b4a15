//! The AWS End User Messaging push (Pinpoint API) reads the doctor makes, through
//! `aws-sdk-pinpoint`: GetApp and the five Get*Channel; and `push-test`'s SendMessages. Built
//! like the Identity client: the
//! same profile, credentials, retry mode, timeouts and response-size cap, one client per region
//! (the region comes from the endpoint's ResourceArn). Where requests go: `--endpoint-url` (and
//! the demo's embedded service) for both services, else `AWS_ENDPOINT_URL_PINPOINT`, then
//! `AWS_ENDPOINT_URL` (chosen in `settings`), else AWS. SDK types stop here; a channel's
//! credential is never converted.

use super::{BodyLimit, Client, ThrottledClientClassifier, check_region, convert};
use crate::doctor::pinpoint::PinpointReads;
use crate::model::push::{PushAnswer, PushResult, PushSend};
use crate::model::{ChannelInfo, ErrorKind, PinpointApp, PinpointChannel, ServiceError};
use aws_sdk_pinpoint as pp;
use aws_sdk_pinpoint::config::Region;
use std::future::Future;

/// A channel's `LastModifiedDate` (an ISO 8601 string); one that is no date is left out.
fn modified(d: Option<&str>) -> Option<crate::model::Timestamp> {
    d.and_then(|d| crate::model::Timestamp::from_json(&serde_json::Value::String(d.to_string())).ok())
}

impl Client {
    /// The Pinpoint client for `region`, checked and built once.
    fn pinpoint_client(&self, region: &str, operation: &str) -> Result<pp::Client, ServiceError> {
        if let Err(e) = check_region(region) {
            return Err(ServiceError {
                hint: "fix the region of the endpoint's ResourceArn; nothing was sent".into(),
                ..ServiceError::new(
                    ErrorKind::InvalidInput,
                    format!("the ResourceArn's region: {e}"),
                    operation,
                )
            });
        }
        let mut map = self.pinpoint.lock().unwrap_or_else(|e| e.into_inner());
        let client = map.entry(region.to_string()).or_insert_with(|| {
            let mut conf = pp::config::Builder::from(&self.base)
                .region(Region::new(region.to_string()))
                .retry_classifier(ThrottledClientClassifier)
                .interceptor(BodyLimit { max: self.settings.max_response_bytes });
            // As for Identity: the URL `settings` chose is set explicitly (the base config
            // may carry `--endpoint-url` for both), and a blank variable is dropped.
            match &self.settings.pinpoint_endpoint_url {
                Some(url) => conf = conf.endpoint_url(url),
                None => {
                    conf.set_endpoint_url(None);
                }
            }
            pp::Client::from_conf(conf.build())
        });
        Ok(client.clone())
    }

    /// GetApp.
    pub async fn get_app(&self, region: &str, app_id: &str) -> Result<PinpointApp, ServiceError> {
        const OP: &str = "GetApp";
        let out = self
            .pinpoint_client(region, OP)?
            .get_app()
            .application_id(app_id)
            .send()
            .await
            .map_err(|e| convert::classify(e, OP))?;
        let a = out.application_response();
        Ok(PinpointApp {
            arn: a.and_then(|a| a.arn()).map(str::to_string),
            id: a.and_then(|a| a.id()).map(str::to_string),
            name: a.and_then(|a| a.name()).map(str::to_string),
        })
    }

    /// The Get*Channel of `channel`.
    pub async fn get_channel(
        &self,
        region: &str,
        app_id: &str,
        channel: PinpointChannel,
    ) -> Result<ChannelInfo, ServiceError> {
        let op = channel.operation();
        let c = self.pinpoint_client(region, op)?;
        macro_rules! apns {
            ($call:ident, $get:ident) => {{
                let out =
                    c.$call().application_id(app_id).send().await.map_err(|e| convert::classify(e, op))?;
                out.$get().map(|r| ChannelInfo {
                    enabled: r.enabled(),
                    is_archived: r.is_archived(),
                    default_authentication_method: r.default_authentication_method().map(str::to_string),
                    last_modified: modified(r.last_modified_date()),
                    has_token_key: r.has_token_key(),
                    has_fcm_service_credentials: None,
                })
            }};
        }
        let info = match channel {
            PinpointChannel::Apns => apns!(get_apns_channel, apns_channel_response),
            PinpointChannel::ApnsSandbox => apns!(get_apns_sandbox_channel, apns_sandbox_channel_response),
            PinpointChannel::ApnsVoip => apns!(get_apns_voip_channel, apns_voip_channel_response),
            PinpointChannel::ApnsVoipSandbox => {
                apns!(get_apns_voip_sandbox_channel, apns_voip_sandbox_channel_response)
            }
            PinpointChannel::Gcm => {
                let out = c
                    .get_gcm_channel()
                    .application_id(app_id)
                    .send()
                    .await
                    .map_err(|e| convert::classify(e, op))?;
                out.gcm_channel_response().map(|r| ChannelInfo {
                    enabled: r.enabled(),
                    is_archived: r.is_archived(),
                    default_authentication_method: r.default_authentication_method().map(str::to_string),
                    last_modified: modified(r.last_modified_date()),
                    has_token_key: None,
                    has_fcm_service_credentials: r.has_fcm_service_credentials(),
                })
            }
        };
        info.ok_or_else(|| ServiceError::new(ErrorKind::InvalidResponse, "the response has no channel", op))
    }
}

/// The operation a test push sends.
pub const SEND_MESSAGES: &str = "SendMessages";

impl Client {
    /// One SendMessages to `token` on `channel` through the app `app_id` of `region` (a test
    /// push), sent once: never retried, so that a retry cannot push twice. The token goes in
    /// the request only; the answer is the one address's result.
    pub async fn send_test_push(&self, target: &PushSend) -> Result<PushAnswer, ServiceError> {
        let (region, app_id, token, channel, push) = (
            target.region.as_str(),
            target.app_id.as_str(),
            target.token.as_str(),
            target.channel,
            &target.push,
        );
        use pp::types::{
            AddressConfiguration, ApnsMessage, ChannelType, DirectMessageConfiguration, GcmMessage,
            MessageRequest,
        };
        let c = self.pinpoint_client(region, SEND_MESSAGES)?;
        let title = (!push.silent).then(|| push.title().to_string());
        let body = (!push.silent).then(|| push.body().to_string());
        let config = if channel == PinpointChannel::Gcm {
            let m = GcmMessage::builder().set_title(title).set_body(body).silent_push(push.silent).build();
            DirectMessageConfiguration::builder().gcm_message(m).build()
        } else {
            let m = ApnsMessage::builder()
                .set_title(title)
                .set_body(body)
                .silent_push(push.silent)
                .apns_push_type(push.apns_push_type(channel))
                .build();
            DirectMessageConfiguration::builder().apns_message(m).build()
        };
        let request = MessageRequest::builder()
            .addresses(
                token,
                AddressConfiguration::builder().channel_type(ChannelType::from(channel.label())).build(),
            )
            .message_configuration(config)
            .build();
        let once = pp::config::Builder::default().retry_config(aws_config::retry::RetryConfig::disabled());
        let out = c
            .send_messages()
            .application_id(app_id)
            .message_request(request)
            .customize()
            .config_override(once)
            .send()
            .await
            .map_err(|e| {
                let mut e = convert::classify(e, SEND_MESSAGES);
                if e.kind == ErrorKind::Forbidden {
                    e.hint = format!(
                        "either the IAM identity lacks mobiletargeting:SendMessages on the app's messages \
                         (arn:aws:mobiletargeting:{region}:ACCOUNT:apps/{app_id}/messages), or the endpoint's \
                         ResourceArn names an app of another account: the service answers both with Forbidden"
                    );
                }
                e
            })?;
        let resp = out.message_response();
        let result = resp.and_then(|r| r.result()).and_then(|m| m.get(token)).ok_or_else(|| {
            ServiceError::new(
                ErrorKind::InvalidResponse,
                "the response has no result for the address sent to",
                SEND_MESSAGES,
            )
        })?;
        Ok(PushAnswer {
            application_id: resp.and_then(|r| r.application_id()).map(str::to_string),
            request_id: resp.and_then(|r| r.request_id()).map(str::to_string),
            result: PushResult {
                delivery_status: result.delivery_status().map(|d| d.as_str().to_string()).unwrap_or_default(),
                status_code: result.status_code(),
                status_message: result.status_message().map(str::to_string),
                message_id: result.message_id().map(str::to_string),
                updated_token: result.updated_token().map(str::to_string),
            },
        })
    }
}

impl PinpointReads for Client {
    fn get_app(
        &self,
        region: &str,
        app_id: &str,
    ) -> impl Future<Output = Result<PinpointApp, ServiceError>> + Send {
        Client::get_app(self, region, app_id)
    }

    fn get_channel(
        &self,
        region: &str,
        app_id: &str,
        channel: PinpointChannel,
    ) -> impl Future<Output = Result<ChannelInfo, ServiceError>> + Send {
        Client::get_channel(self, region, app_id, channel)
    }
}
