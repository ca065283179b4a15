//! The Chime SDK Messaging reads of the doctor's membership gate, through
//! `aws-sdk-chimesdkmessaging`: DescribeChannelMembershipForAppInstanceUser,
//! GetChannelMembershipPreferences, ListChannelMembershipsForAppInstanceUser (one page; the
//! caller pages, bounded and paced) and GetChannelMessage. Every call is made as the user
//! (`x-amz-chime-bearer` is the user's ARN): the service reads preferences only for the member
//! itself. Built like the Identity client: the same profile, credentials, retry mode, timeouts and
//! response-size cap, one client per region (the channel's or the user's). Where requests go:
//! `--endpoint-url` (and the demo's embedded service), else `AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING`,
//! then `AWS_ENDPOINT_URL` (chosen in `settings`), else AWS. SDK types stop here; a message's
//! content is never converted.

use super::{BodyLimit, Client, ThrottledClientClassifier, check_region, convert};
use crate::model::messaging::{ChannelMembership, MessageInfo, PushPreferences};
use crate::model::{ErrorKind, Page, ServiceError, answer};
use aws_sdk_chimesdkmessaging as msg;
use aws_sdk_chimesdkmessaging::config::Region;

/// Operation names, as the Messaging model spells them.
pub mod op {
    pub const DESCRIBE_MEMBERSHIP: &str = "DescribeChannelMembershipForAppInstanceUser";
    pub const GET_PREFERENCES: &str = "GetChannelMembershipPreferences";
    pub const LIST_MEMBERSHIPS: &str = "ListChannelMembershipsForAppInstanceUser";
    pub const GET_MESSAGE: &str = "GetChannelMessage";
}

/// The most memberships one page may bring (the model's MaxResults).
pub const MEMBERSHIP_PAGE: i32 = 50;

fn membership(s: &msg::types::ChannelMembershipForAppInstanceUserSummary) -> ChannelMembership {
    let c = s.channel_summary();
    ChannelMembership {
        channel_arn: c.and_then(|c| c.channel_arn()).unwrap_or_default().to_string(),
        channel_name: c.and_then(|c| c.name()).map(str::to_string),
        mode: c.and_then(|c| c.mode()).map(|m| m.as_str().to_string()),
        privacy: c.and_then(|c| c.privacy()).map(|p| p.as_str().to_string()),
        membership_type: s
            .app_instance_user_membership_summary()
            .and_then(|m| m.r#type())
            .map(|t| t.as_str().to_string()),
    }
}

impl Client {
    /// The Messaging client for `region`, checked and built once.
    fn messaging_client(&self, region: &str, operation: &str) -> Result<msg::Client, ServiceError> {
        if let Err(e) = check_region(region) {
            return Err(ServiceError {
                hint: "fix the ARN's region; nothing was sent".into(),
                ..ServiceError::new(ErrorKind::InvalidInput, format!("the ARN's region: {e}"), operation)
            });
        }
        let mut map = self.messaging.lock().unwrap_or_else(|e| e.into_inner());
        let client = map.entry(region.to_string()).or_insert_with(|| {
            let mut conf = msg::config::Builder::from(&self.base)
                .region(Region::new(region.to_string()))
                .retry_classifier(ThrottledClientClassifier)
                .interceptor(BodyLimit { max: self.settings.max_response_bytes });
            // As for Pinpoint: the URL `settings` chose is set explicitly, else none.
            match &self.settings.messaging_endpoint_url {
                Some(url) => conf = conf.endpoint_url(url),
                None => {
                    conf.set_endpoint_url(None);
                }
            }
            msg::Client::from_conf(conf.build())
        });
        Ok(client.clone())
    }

    /// DescribeChannelMembershipForAppInstanceUser, as the user: its membership of the channel.
    pub async fn describe_membership(
        &self,
        region: &str,
        channel_arn: &str,
        user_arn: &str,
    ) -> Result<ChannelMembership, ServiceError> {
        let out = self
            .messaging_client(region, op::DESCRIBE_MEMBERSHIP)?
            .describe_channel_membership_for_app_instance_user()
            .channel_arn(channel_arn)
            .app_instance_user_arn(user_arn)
            .chime_bearer(user_arn)
            .send()
            .await
            .map_err(|e| convert::classify(e, op::DESCRIBE_MEMBERSHIP))?;
        let m = out.channel_membership().map(membership).ok_or_else(|| {
            ServiceError::new(
                ErrorKind::InvalidResponse,
                "the response has no ChannelMembership",
                op::DESCRIBE_MEMBERSHIP,
            )
        })?;
        answer::same_resource("ChannelArn", channel_arn, Some(m.channel_arn.as_str()))
            .map_err(|e| crate::model::paging::invalid_response(op::DESCRIBE_MEMBERSHIP, e))?;
        Ok(m)
    }

    /// GetChannelMembershipPreferences, as the member itself.
    pub async fn membership_preferences(
        &self,
        region: &str,
        channel_arn: &str,
        user_arn: &str,
    ) -> Result<PushPreferences, ServiceError> {
        let out = self
            .messaging_client(region, op::GET_PREFERENCES)?
            .get_channel_membership_preferences()
            .channel_arn(channel_arn)
            .member_arn(user_arn)
            .chime_bearer(user_arn)
            .send()
            .await
            .map_err(|e| convert::classify(e, op::GET_PREFERENCES))?;
        let push = out.preferences().and_then(|p| p.push_notifications());
        Ok(PushPreferences {
            allow_notifications: push.map(|p| p.allow_notifications().as_str().to_string()),
            filter_rule: push.and_then(|p| p.filter_rule()).map(str::to_string),
        })
    }

    /// One page of ListChannelMembershipsForAppInstanceUser, as the user.
    pub async fn memberships_page(
        &self,
        region: &str,
        user_arn: &str,
        next_token: Option<String>,
    ) -> Result<Page<ChannelMembership>, ServiceError> {
        let out = self
            .messaging_client(region, op::LIST_MEMBERSHIPS)?
            .list_channel_memberships_for_app_instance_user()
            .app_instance_user_arn(user_arn)
            .chime_bearer(user_arn)
            .max_results(MEMBERSHIP_PAGE)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| convert::classify(e, op::LIST_MEMBERSHIPS))?;
        let items: Vec<ChannelMembership> = out.channel_memberships().iter().map(membership).collect();
        if items.len() > MEMBERSHIP_PAGE as usize {
            return Err(crate::model::paging::invalid_response(
                op::LIST_MEMBERSHIPS,
                format!("the service sent {} rows on a page of at most {MEMBERSHIP_PAGE}", items.len()),
            ));
        }
        Ok(Page { items, next_token: out.next_token().map(str::to_string) })
    }

    /// GetChannelMessage, as the user: the message's sender and attributes (never its content).
    pub async fn channel_message(
        &self,
        region: &str,
        channel_arn: &str,
        message_id: &str,
        user_arn: &str,
    ) -> Result<MessageInfo, ServiceError> {
        let out = self
            .messaging_client(region, op::GET_MESSAGE)?
            .get_channel_message()
            .channel_arn(channel_arn)
            .message_id(message_id)
            .chime_bearer(user_arn)
            .send()
            .await
            .map_err(|e| convert::classify(e, op::GET_MESSAGE))?;
        let m = out.channel_message().ok_or_else(|| {
            ServiceError::new(
                ErrorKind::InvalidResponse,
                "the response has no ChannelMessage",
                op::GET_MESSAGE,
            )
        })?;
        answer::same_resource("MessageId", message_id, m.message_id())
            .map_err(|e| crate::model::paging::invalid_response(op::GET_MESSAGE, e))?;
        let attributes = m
            .message_attributes()
            .map(|a| a.iter().map(|(k, v)| (k.clone(), v.string_values().to_vec())).collect())
            .unwrap_or_default();
        Ok(MessageInfo {
            channel_arn: channel_arn.to_string(),
            message_id: message_id.to_string(),
            sender_arn: m.sender().and_then(|s| s.arn()).map(str::to_string),
            attributes,
        })
    }
}
