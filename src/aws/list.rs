//! The list operations, one [`List`] each: what the request carries and how its page reads.
//! [`super::Client::page`] does the rest (input checks, the region's client, classification),
//! so a new list operation is one small impl here.

use super::convert;
use super::op;
use crate::model::{
    self, EndpointSummary, InputError, InstanceSummary, Page, ParsedArn, UserSummary, answer,
};
use aws_sdk_chimesdkidentity as sdk;
use aws_sdk_chimesdkidentity::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_types::request_id::RequestId;
use std::future::Future;

/// One list operation of the service.
pub trait List {
    /// What one row of the page is.
    type Item: Send;
    /// The operation's error, as the SDK types it.
    type Error: ProvideErrorMetadata + RequestId + std::error::Error + Send + Sync + 'static;
    /// The operation's name, as the service model spells it.
    const OPERATION: &'static str;

    /// The ARN the list belongs to, checked (its region picks where the request goes);
    /// `None` for a list of the whole account and region.
    fn scope(&self) -> Result<Option<ParsedArn>, InputError>;

    /// Whether a row of the answer is what the service model and the request say it must be
    /// (`scope` is [`List::scope`]'s ARN): a row that fails makes the page an invalid response.
    fn check(&self, row: &Self::Item, scope: Option<&ParsedArn>) -> Result<(), String>;

    /// Send the request for one page.
    fn send(
        &self,
        client: &sdk::Client,
        next_token: Option<String>,
        max_results: Option<i32>,
    ) -> impl Future<Output = Result<Page<Self::Item>, SdkError<Self::Error, HttpResponse>>> + Send;
}

/// ListAppInstanceUserEndpoints: the endpoints of one user.
#[derive(Clone, Copy, Debug)]
pub struct Endpoints<'a> {
    pub user_arn: &'a str,
}

/// ListAppInstanceUsers: the users of one app instance.
#[derive(Clone, Copy, Debug)]
pub struct Users<'a> {
    pub app_instance_arn: &'a str,
}

/// ListAppInstances: the app instances of the account in the region (`--region`, or the
/// profile's).
#[derive(Clone, Copy, Debug)]
pub struct Instances;

impl List for Endpoints<'_> {
    type Item = EndpointSummary;
    type Error = sdk::operation::list_app_instance_user_endpoints::ListAppInstanceUserEndpointsError;
    const OPERATION: &'static str = op::LIST_ENDPOINTS;

    fn scope(&self) -> Result<Option<ParsedArn>, InputError> {
        model::parse_user_arn(self.user_arn).map(Some)
    }

    fn check(&self, row: &EndpointSummary, _: Option<&ParsedArn>) -> Result<(), String> {
        answer::check_endpoint_row(row, self.user_arn)
    }

    async fn send(
        &self,
        client: &sdk::Client,
        next_token: Option<String>,
        max_results: Option<i32>,
    ) -> Result<Page<EndpointSummary>, SdkError<Self::Error, HttpResponse>> {
        let out = client
            .list_app_instance_user_endpoints()
            .app_instance_user_arn(self.user_arn)
            .set_next_token(next_token)
            .set_max_results(max_results)
            .send()
            .await?;
        Ok(Page {
            items: out.app_instance_user_endpoints().iter().map(convert::endpoint_summary).collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }
}

impl List for Users<'_> {
    type Item = UserSummary;
    type Error = sdk::operation::list_app_instance_users::ListAppInstanceUsersError;
    const OPERATION: &'static str = op::LIST_USERS;

    fn scope(&self) -> Result<Option<ParsedArn>, InputError> {
        model::parse_instance_arn(self.app_instance_arn).map(Some)
    }

    fn check(&self, row: &UserSummary, scope: Option<&ParsedArn>) -> Result<(), String> {
        match scope {
            Some(instance) => answer::check_user_row(row, instance),
            None => Err("no app instance was listed".into()),
        }
    }

    async fn send(
        &self,
        client: &sdk::Client,
        next_token: Option<String>,
        max_results: Option<i32>,
    ) -> Result<Page<UserSummary>, SdkError<Self::Error, HttpResponse>> {
        let out = client
            .list_app_instance_users()
            .app_instance_arn(self.app_instance_arn)
            .set_next_token(next_token)
            .set_max_results(max_results)
            .send()
            .await?;
        Ok(Page {
            items: out.app_instance_users().iter().map(convert::user_summary).collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }
}

impl List for Instances {
    type Item = InstanceSummary;
    type Error = sdk::operation::list_app_instances::ListAppInstancesError;
    const OPERATION: &'static str = op::LIST_INSTANCES;

    fn scope(&self) -> Result<Option<ParsedArn>, InputError> {
        Ok(None)
    }

    fn check(&self, row: &InstanceSummary, _: Option<&ParsedArn>) -> Result<(), String> {
        answer::check_instance_row(row)
    }

    async fn send(
        &self,
        client: &sdk::Client,
        next_token: Option<String>,
        max_results: Option<i32>,
    ) -> Result<Page<InstanceSummary>, SdkError<Self::Error, HttpResponse>> {
        let out = client
            .list_app_instances()
            .set_next_token(next_token)
            .set_max_results(max_results)
            .send()
            .await?;
        Ok(Page {
            items: out.app_instances().iter().map(convert::instance_summary).collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }
}
