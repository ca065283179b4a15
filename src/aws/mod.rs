//! The only module that touches the AWS SDK. It loads configuration the way the AWS CLI does
//! (profiles, SSO, environment, `--profile`, `--region`, `--endpoint-url`), sends the six read
//! operations, converts SDK types into [`crate::model`], and classifies every failure into a
//! [`LookupError`].

mod convert;
pub mod error;

pub use error::{ErrorKind, LookupError};

use crate::model::{self, Endpoint, EndpointSummary, InstanceSummary, Page, UserSummary};
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_chimesdkidentity as sdk;
use aws_sdk_chimesdkidentity::config::Region;
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Region used for calls that carry no ARN when nothing else names one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// Operation names, as the service model spells them.
pub mod op {
    pub const DESCRIBE_ENDPOINT: &str = "DescribeAppInstanceUserEndpoint";
    pub const LIST_ENDPOINTS: &str = "ListAppInstanceUserEndpoints";
    pub const DESCRIBE_USER: &str = "DescribeAppInstanceUser";
    pub const LIST_USERS: &str = "ListAppInstanceUsers";
    pub const DESCRIBE_INSTANCE: &str = "DescribeAppInstance";
    pub const LIST_INSTANCES: &str = "ListAppInstances";
}

/// Where requests go and who signs them.
#[derive(Clone, Debug)]
pub struct Settings {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// Whole-operation timeout (all attempts).
    pub timeout: Duration,
    /// Attempts, counting the first (the SDK's standard mode).
    pub max_attempts: u32,
    /// Use fixed throw-away credentials and skip the profile files (the embedded demo).
    pub static_credentials: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            endpoint_url: None,
            timeout: DEFAULT_TIMEOUT,
            max_attempts: 3,
            static_credentials: false,
        }
    }
}

/// The region a request goes to: `--region` wins; then the region in the ARN; then the
/// profile's or environment's (`default`).
pub fn choose_region(flag: Option<&str>, arn_region: Option<&str>, default: &str) -> String {
    flag.or(arn_region.filter(|r| !r.is_empty())).unwrap_or(default).to_string()
}

/// Where requests go, for the status bar and the `c` copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Aws,
    Custom(String),
    Demo(String),
}

/// The SDK client, one per region (the region comes from each ARN), built lazily.
pub struct Client {
    base: aws_types::SdkConfig,
    settings: Settings,
    demo: bool,
    clients: Mutex<HashMap<String, sdk::Client>>,
}

impl Client {
    /// Load the configuration. Nothing is sent and no probe is made here: the region chain
    /// and credentials are only resolved when a request needs them.
    pub async fn new(settings: Settings) -> Self {
        Self::build(settings, false).await
    }

    /// A client for the embedded demo service at `url`.
    pub async fn demo(url: &str, mut settings: Settings) -> Self {
        settings.endpoint_url = Some(url.to_string());
        settings.static_credentials = true;
        Self::build(settings, true).await
    }

    async fn build(settings: Settings, demo: bool) -> Self {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::standard().with_max_attempts(settings.max_attempts.max(1)))
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(settings.timeout)
                    .connect_timeout(settings.timeout.min(Duration::from_secs(5)))
                    .build(),
            );
        if let Some(p) = &settings.profile {
            loader = loader.profile_name(p);
        }
        if let Some(url) = &settings.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        // A region is always set here so that loading never walks the region chain (which
        // may end in an instance-metadata probe); the real choice is made per request.
        let region = match &settings.region {
            Some(r) => r.clone(),
            None => {
                configured_region(settings.profile.as_deref()).await.unwrap_or_else(|| FALLBACK_REGION.into())
            }
        };
        loader = loader.region(Region::new(region));
        if settings.static_credentials {
            loader = loader.credentials_provider(sdk::config::Credentials::new(
                "AKIDCHIMESCOPEDEMO",
                "chimescope-demo-secret",
                None,
                None,
                "chimescope-demo",
            ));
        }
        let base = loader.load().await;
        Self { base, settings, demo, clients: Mutex::new(HashMap::new()) }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn profile_label(&self) -> String {
        if self.demo {
            return "demo".into();
        }
        self.settings
            .profile
            .clone()
            .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
            .unwrap_or_else(|| "default".into())
    }

    /// The endpoint URL in use, if any (flag, or the environment variables the SDK reads).
    pub fn endpoint_url(&self) -> Option<String> {
        self.settings.endpoint_url.clone().or_else(|| {
            ["AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", "AWS_ENDPOINT_URL"]
                .iter()
                .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        })
    }

    pub fn target(&self) -> Target {
        match self.endpoint_url() {
            Some(u) if self.demo => Target::Demo(u),
            Some(u) => Target::Custom(u),
            None => Target::Aws,
        }
    }

    /// See [`choose_region`].
    pub fn region_for(&self, arn_region: Option<&str>) -> String {
        choose_region(self.settings.region.as_deref(), arn_region, &self.default_region())
    }

    pub fn default_region(&self) -> String {
        self.base.region().map(|r| r.to_string()).unwrap_or_else(|| FALLBACK_REGION.into())
    }

    fn client(&self, region: &str) -> sdk::Client {
        let mut map = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(region.to_string())
            .or_insert_with(|| {
                let conf = sdk::config::Builder::from(&self.base)
                    .region(Region::new(region.to_string()))
                    .retry_classifier(ThrottledClientClassifier)
                    .build();
                sdk::Client::from_conf(conf)
            })
            .clone()
    }

    /// DescribeAppInstanceUserEndpoint. The inputs are validated first: nothing invalid is sent.
    pub async fn describe_endpoint(
        &self,
        user_arn: &str,
        endpoint_id: &str,
    ) -> Result<Endpoint, LookupError> {
        let arn = model::parse_user_arn(user_arn).map_err(|e| LookupError::invalid_input(&e))?;
        model::validate_endpoint_id(endpoint_id).map_err(|e| LookupError::invalid_input(&e))?;
        let out = self
            .client(&self.region_for(Some(arn.region())))
            .describe_app_instance_user_endpoint()
            .app_instance_user_arn(user_arn)
            .endpoint_id(endpoint_id)
            .send()
            .await
            .map_err(|e| convert::classify(e, op::DESCRIBE_ENDPOINT))?;
        out.app_instance_user_endpoint().map(convert::endpoint).ok_or_else(|| {
            LookupError::new(
                ErrorKind::InvalidResponse,
                "the response has no AppInstanceUserEndpoint",
                op::DESCRIBE_ENDPOINT,
            )
        })
    }

    /// One page of ListAppInstanceUserEndpoints.
    pub async fn list_endpoints_page(
        &self,
        user_arn: &str,
        next_token: Option<String>,
        max_results: Option<i32>,
    ) -> Result<Page<EndpointSummary>, LookupError> {
        let arn = model::parse_user_arn(user_arn).map_err(|e| LookupError::invalid_input(&e))?;
        let out = self
            .client(&self.region_for(Some(arn.region())))
            .list_app_instance_user_endpoints()
            .app_instance_user_arn(user_arn)
            .set_next_token(next_token)
            .set_max_results(max_results)
            .send()
            .await
            .map_err(|e| convert::classify(e, op::LIST_ENDPOINTS))?;
        Ok(Page {
            items: out.app_instance_user_endpoints().iter().map(convert::endpoint_summary).collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    /// One page of ListAppInstanceUsers.
    pub async fn list_users_page(
        &self,
        app_instance_arn: &str,
        next_token: Option<String>,
        max_results: Option<i32>,
    ) -> Result<Page<UserSummary>, LookupError> {
        let arn = model::parse_instance_arn(app_instance_arn).map_err(|e| LookupError::invalid_input(&e))?;
        let out = self
            .client(&self.region_for(Some(arn.region())))
            .list_app_instance_users()
            .app_instance_arn(app_instance_arn)
            .set_next_token(next_token)
            .set_max_results(max_results)
            .send()
            .await
            .map_err(|e| convert::classify(e, op::LIST_USERS))?;
        Ok(Page {
            items: out.app_instance_users().iter().map(convert::user_summary).collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    /// One page of ListAppInstances (in `--region`, or the profile's region).
    pub async fn list_instances_page(
        &self,
        next_token: Option<String>,
        max_results: Option<i32>,
    ) -> Result<Page<InstanceSummary>, LookupError> {
        let out = self
            .client(&self.region_for(None))
            .list_app_instances()
            .set_next_token(next_token)
            .set_max_results(max_results)
            .send()
            .await
            .map_err(|e| convert::classify(e, op::LIST_INSTANCES))?;
        Ok(Page {
            items: out.app_instances().iter().map(convert::instance_summary).collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    /// DescribeAppInstanceUser, as the wire/CLI JSON value under `AppInstanceUser`.
    pub async fn describe_user(&self, user_arn: &str) -> Result<serde_json::Value, LookupError> {
        let arn = model::parse_user_arn(user_arn).map_err(|e| LookupError::invalid_input(&e))?;
        let out = self
            .client(&self.region_for(Some(arn.region())))
            .describe_app_instance_user()
            .app_instance_user_arn(user_arn)
            .send()
            .await
            .map_err(|e| convert::classify(e, op::DESCRIBE_USER))?;
        Ok(out.app_instance_user().map(convert::user_json).unwrap_or_default())
    }

    /// DescribeAppInstance, as the wire/CLI JSON value under `AppInstance`.
    pub async fn describe_instance(&self, instance_arn: &str) -> Result<serde_json::Value, LookupError> {
        let arn = model::parse_instance_arn(instance_arn).map_err(|e| LookupError::invalid_input(&e))?;
        let out = self
            .client(&self.region_for(Some(arn.region())))
            .describe_app_instance()
            .app_instance_arn(instance_arn)
            .send()
            .await
            .map_err(|e| convert::classify(e, op::DESCRIBE_INSTANCE))?;
        Ok(out.app_instance().map(convert::instance_json).unwrap_or_default())
    }
}

/// The SDK's standard classifiers retry 5xx and a fixed list of throttling codes that does not
/// include this service's `ThrottledClientException` (429); without this, throttling would
/// never be retried.
#[derive(Debug)]
struct ThrottledClientClassifier;

impl ClassifyRetry for ThrottledClientClassifier {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        match ctx.response() {
            Some(r) if r.status().as_u16() == 429 => RetryAction::throttling_error(),
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "ThrottledClientException (HTTP 429)"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::http_status_code_classifier())
    }
}

/// The region named by the environment or the profile's config file, without the SDK's full
/// region chain (which ends in an instance-metadata probe nobody asked for).
async fn configured_region(profile: Option<&str>) -> Option<String> {
    use aws_config::meta::region::RegionProviderChain;
    let mut from_profile = aws_config::profile::ProfileFileRegionProvider::builder();
    if let Some(p) = profile {
        from_profile = from_profile.profile_name(p);
    }
    RegionProviderChain::first_try(aws_config::environment::EnvironmentVariableRegionProvider::new())
        .or_else(from_profile.build())
        .region()
        .await
        .map(|r| r.to_string())
}

/// Every page of a list, through one paging loop shared by `chimescope list` and tests.
pub async fn collect_all<T, F, Fut>(mut fetch: F) -> Result<Vec<T>, LookupError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, LookupError>>,
{
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    let mut seen = std::collections::HashSet::new();
    loop {
        let page = fetch(token.take()).await?;
        all.extend(page.items);
        match page.next_token {
            Some(t) if !t.is_empty() => {
                if !seen.insert(t.clone()) {
                    return Err(LookupError::new(
                        ErrorKind::InvalidResponse,
                        "the service returned the same NextToken twice (a paging loop)",
                        "",
                    ));
                }
                token = Some(t);
            }
            _ => return Ok(all),
        }
    }
}
