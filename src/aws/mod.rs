//! The only module that touches the AWS SDK. It loads configuration the way the AWS CLI does
//! (profiles, SSO, environment, `--profile`, `--region`, `--endpoint-url`), sends the six read
//! operations and the three endpoint writes (`write.rs`), converts SDK types into [`crate::model`], and classifies every failure into a
//! [`ServiceError`]. Every list operation goes through one paging path, [`Client::page`], with a
//! [`List`] per operation saying what to send.

mod convert;
pub mod list;
pub mod messaging;
pub mod pinpoint;
pub mod write;

pub use list::List;

use crate::model::{self, Endpoint, ErrorKind, Page, ServiceError, Target, answer};
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

/// The client's defaults ([`crate::defaults`], kept here under their old names).
pub use crate::defaults::{MAX_RESPONSE_BYTES, TIMEOUT as DEFAULT_TIMEOUT};
/// The environment variables the endpoint URL is read from, the service-specific one first.
pub const ENDPOINT_URL_VARS: [&str; 2] = ["AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", "AWS_ENDPOINT_URL"];
/// Where the doctor's Pinpoint reads go without `--endpoint-url`, in order.
pub const PINPOINT_ENDPOINT_URL_VARS: [&str; 2] = ["AWS_ENDPOINT_URL_PINPOINT", "AWS_ENDPOINT_URL"];
/// Where the doctor's Chime SDK Messaging reads go without `--endpoint-url`, in order.
pub const MESSAGING_ENDPOINT_URL_VARS: [&str; 2] =
    ["AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", "AWS_ENDPOINT_URL"];
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
    pub const REGISTER_ENDPOINT: &str = crate::model::write::REGISTER;
    pub const UPDATE_ENDPOINT: &str = crate::model::write::UPDATE;
    pub const DEREGISTER_ENDPOINT: &str = crate::model::write::DEREGISTER;
}

/// Where requests go and who signs them.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// Whole-operation timeout (all attempts).
    pub timeout: Duration,
    /// Attempts, counting the first (the SDK's standard mode).
    pub max_attempts: u32,
    /// Use fixed throw-away credentials and skip the profile files (the embedded demo).
    pub static_credentials: bool,
    /// The most one response body may hold; more is an invalid response.
    pub max_response_bytes: usize,
    /// Where the Pinpoint reads go: `--endpoint-url`, else `AWS_ENDPOINT_URL_PINPOINT`, then
    /// `AWS_ENDPOINT_URL` (see `settings`); None: AWS.
    pub pinpoint_endpoint_url: Option<String>,
    /// Where the Messaging reads go: `--endpoint-url`, else
    /// `AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING`, then `AWS_ENDPOINT_URL`; None: AWS.
    pub messaging_endpoint_url: Option<String>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            endpoint_url: None,
            timeout: DEFAULT_TIMEOUT,
            max_attempts: 3,
            static_credentials: false,
            max_response_bytes: MAX_RESPONSE_BYTES,
            pinpoint_endpoint_url: None,
            messaging_endpoint_url: None,
        }
    }
}

/// A region name the SDK can put in a host name: lower-case letters, digits and '-', 1 to 63
/// characters, not starting or ending with '-' (e.g. `us-east-1`).
pub fn check_region(region: &str) -> Result<(), String> {
    let shown = crate::model::escape_control(region);
    if region.is_empty() {
        return Err("the region is empty; expected e.g. us-east-1".into());
    }
    if let Some(c) = region.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        let what = if c.is_whitespace() {
            "a space".to_string()
        } else if c.is_ascii_uppercase() {
            "an upper-case letter (region names are lower case)".to_string()
        } else {
            format!("'{}'", crate::model::escape_control(&c.to_string()))
        };
        return Err(format!(
            "\"{shown}\" is not a region name: it holds {what}; expected e.g. us-east-1 (letters, digits and '-')"
        ));
    }
    if region.len() > 63 || region.starts_with('-') || region.ends_with('-') {
        return Err(format!("\"{shown}\" is not a region name; expected e.g. us-east-1"));
    }
    Ok(())
}

/// A named profile must exist in the AWS config or credentials file; without this check the
/// SDK would fall back to environment credentials, or fail later with a credentials message
/// that buries the cause. `source` says where the name came from ("--profile").
pub async fn check_profile(name: &str, source: &str) -> Result<(), ServiceError> {
    use aws_runtime::env_config::file::EnvConfigFiles as ProfileFiles;
    use aws_types::os_shim_internal::{Env, Fs};
    let loaded = aws_config::profile::load(&Fs::real(), &Env::real(), &ProfileFiles::default(), None).await;
    let set = match loaded {
        Ok(set) => set,
        Err(e) => {
            return Err(ServiceError::new(
                ErrorKind::Config,
                format!("the AWS config files cannot be read: {e}"),
                "",
            ));
        }
    };
    if set.get_profile(name).is_some() {
        return Ok(());
    }
    let mut known: Vec<&str> = set.profiles().collect();
    known.sort_unstable();
    let known = if known.is_empty() {
        "no profiles are defined".to_string()
    } else {
        format!("defined: {}", known.join(", "))
    };
    let shown = crate::model::escape_control(name);
    let mut e = ServiceError::new(
        ErrorKind::Config,
        format!("the profile \"{shown}\" ({source}) is not in {} ({known})", profile_files()),
        "",
    );
    e.exception = "ProfileNotFound".into();
    e.hint = format!(
        "check the spelling of {source}, or create the profile (aws configure --profile {shown}); `aws configure list-profiles` lists them"
    );
    Err(e)
}

/// The files profiles are read from, as this process reads them: `AWS_CONFIG_FILE` and
/// `AWS_SHARED_CREDENTIALS_FILE` where set (a message naming `~/.aws/config` while another file
/// was read sends the user to the wrong file), else their defaults.
pub fn profile_files() -> String {
    let named = |var: &str, default: &str| match std::env::var_os(var) {
        Some(p) if !p.is_empty() => {
            format!("{} ({var})", crate::model::escape_control(&p.to_string_lossy()))
        }
        _ => default.to_string(),
    };
    format!(
        "{} or {}",
        named("AWS_CONFIG_FILE", "~/.aws/config"),
        named("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials")
    )
}

/// The profiles defined in the AWS config and credentials files (`AWS_CONFIG_FILE` and
/// `AWS_SHARED_CREDENTIALS_FILE` honoured), sorted; none when they cannot be read.
pub async fn profile_names() -> Vec<String> {
    use aws_runtime::env_config::file::EnvConfigFiles as ProfileFiles;
    use aws_types::os_shim_internal::{Env, Fs};
    match aws_config::profile::load(&Fs::real(), &Env::real(), &ProfileFiles::default(), None).await {
        Ok(set) => {
            let mut v: Vec<String> = set.profiles().map(str::to_string).collect();
            v.sort_unstable();
            v
        }
        Err(_) => Vec::new(),
    }
}

/// The SDK client, one per region (the region comes from each ARN), built lazily.
pub struct Client {
    base: aws_types::SdkConfig,
    settings: ClientOptions,
    demo: bool,
    clients: Mutex<HashMap<String, sdk::Client>>,
    /// The Pinpoint clients, per region (see `pinpoint`).
    pinpoint: Mutex<HashMap<String, aws_sdk_pinpoint::Client>>,
    /// The Chime SDK Messaging clients, per region (see `messaging`).
    messaging: Mutex<HashMap<String, aws_sdk_chimesdkmessaging::Client>>,
}

impl Client {
    /// Load the configuration. Nothing is sent and no probe is made here: the region chain
    /// and credentials are only resolved when a request needs them.
    pub async fn new(settings: ClientOptions) -> Self {
        Self::build(settings, false).await
    }

    /// A client for the embedded demo service at `url`.
    pub async fn demo(url: &str, mut settings: ClientOptions) -> Self {
        settings.endpoint_url = Some(url.to_string());
        settings.pinpoint_endpoint_url = Some(url.to_string());
        settings.messaging_endpoint_url = Some(url.to_string());
        settings.static_credentials = true;
        Self::build(settings, true).await
    }

    async fn build(settings: ClientOptions, demo: bool) -> Self {
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
        Self {
            base,
            settings,
            demo,
            clients: Mutex::new(HashMap::new()),
            pinpoint: Mutex::new(HashMap::new()),
            messaging: Mutex::new(HashMap::new()),
        }
    }

    pub fn options(&self) -> &ClientOptions {
        &self.settings
    }

    pub fn profile_label(&self) -> String {
        if self.demo {
            return "demo".into();
        }
        self.settings.profile.clone().unwrap_or_else(|| "default".into())
    }

    /// The endpoint URL in use, if any: as [`crate::settings`] chose it (the flag, then the
    /// environment variables the SDK reads), the one place that decides.
    pub fn endpoint_url(&self) -> Option<String> {
        self.settings.endpoint_url.clone()
    }

    pub fn target(&self) -> Target {
        match self.endpoint_url() {
            Some(u) if self.demo => Target::Demo(u),
            Some(u) => Target::Custom(u),
            None => Target::Aws,
        }
    }

    /// See [`model::choose_region`].
    pub fn region_for(&self, arn_region: Option<&str>) -> String {
        model::choose_region(self.settings.region.as_deref(), arn_region, &self.default_region())
    }

    pub fn default_region(&self) -> String {
        self.base.region().map(|r| r.to_string()).unwrap_or_else(|| FALLBACK_REGION.into())
    }

    /// The client for the region a request with this ARN region goes to, checked: a region
    /// that cannot be a host name is refused before anything is built or sent.
    fn client_for(&self, arn_region: Option<&str>, operation: &str) -> Result<sdk::Client, ServiceError> {
        let region = self.region_for(arn_region);
        if let Err(e) = check_region(&region) {
            let from = if self.settings.region.is_some() {
                "--region"
            } else if arn_region.is_some_and(|r| !r.is_empty()) {
                "the ARN's region"
            } else {
                "the profile's region"
            };
            return Err(ServiceError {
                hint: format!("fix {from}; nothing was sent"),
                ..ServiceError::new(ErrorKind::InvalidInput, format!("{from}: {e}"), operation)
            });
        }
        Ok(self.client(&region))
    }

    fn client(&self, region: &str) -> sdk::Client {
        let mut map = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(region.to_string())
            .or_insert_with(|| {
                let mut conf = sdk::config::Builder::from(&self.base)
                    .region(Region::new(region.to_string()))
                    .retry_classifier(ThrottledClientClassifier)
                    .interceptor(BodyLimit { max: self.settings.max_response_bytes });
                // The service-specific endpoint variables are read by the SDK itself, and an
                // empty one reaches an assertion in its endpoint resolver: the URL chosen by
                // `settings` (flag, then non-empty variables) is set here explicitly, and a
                // blank one that got through anyway is dropped.
                match self.endpoint_url() {
                    Some(url) => conf = conf.endpoint_url(url),
                    None => {
                        let blank = ENDPOINT_URL_VARS
                            .iter()
                            .any(|k| std::env::var(k).is_ok_and(|v| v.trim().is_empty()));
                        if blank {
                            conf.set_endpoint_url(None);
                        }
                    }
                }
                sdk::Client::from_conf(conf.build())
            })
            .clone()
    }

    /// DescribeAppInstanceUserEndpoint. The inputs are validated first: nothing invalid is sent.
    pub async fn describe_endpoint(
        &self,
        user_arn: &str,
        endpoint_id: &str,
    ) -> Result<Endpoint, ServiceError> {
        let arn = model::parse_user_arn(user_arn).map_err(|e| ServiceError::invalid_input(&e))?;
        model::validate_endpoint_id(endpoint_id).map_err(|e| ServiceError::invalid_input(&e))?;
        let out = self
            .client_for(Some(arn.region()), op::DESCRIBE_ENDPOINT)?
            .describe_app_instance_user_endpoint()
            .app_instance_user_arn(user_arn)
            .endpoint_id(endpoint_id)
            .send()
            .await
            .map_err(|e| self.classify(e, op::DESCRIBE_ENDPOINT, arn.region()))?;
        let record = out.app_instance_user_endpoint().ok_or_else(|| {
            ServiceError::new(
                ErrorKind::InvalidResponse,
                "the response has no AppInstanceUserEndpoint",
                op::DESCRIBE_ENDPOINT,
            )
        })?;
        let ep = convert::endpoint(record)
            .map_err(|e| ServiceError::new(ErrorKind::InvalidResponse, e, op::DESCRIBE_ENDPOINT))?;
        answer::same_resource("AppInstanceUserArn", user_arn, ep.app_instance_user_arn.as_deref())
            .and_then(|()| answer::same_resource("EndpointId", endpoint_id, ep.endpoint_id.as_deref()))
            .map_err(|e| model::paging::invalid_response(op::DESCRIBE_ENDPOINT, e))?;
        Ok(ep)
    }

    /// One page of any list operation: the ARN it belongs to checked (nothing invalid is
    /// sent), the request sent to that ARN's region, its failure classified.
    pub async fn page<L: List + Sync>(
        &self,
        list: L,
        next_token: Option<String>,
        max_results: Option<i32>,
    ) -> Result<Page<L::Item>, ServiceError> {
        let arn = list.scope().map_err(|e| ServiceError::invalid_input(&e))?;
        let region = arn.as_ref().map(|a| a.region());
        let page = list
            .send(&self.client_for(region, L::OPERATION)?, next_token, max_results)
            .await
            .map_err(|e| self.classify(e, L::OPERATION, region.unwrap_or("")))?;
        let asked = max_results.map_or(usize::MAX, |m| usize::try_from(m).unwrap_or(0));
        if page.items.len() > asked {
            return Err(model::paging::invalid_response(
                L::OPERATION,
                format!("the service sent {} rows on a page of at most {asked}", page.items.len()),
            ));
        }
        for (i, row) in page.items.iter().enumerate() {
            list.check(row, arn.as_ref()).map_err(|e| {
                model::paging::invalid_response(L::OPERATION, format!("row {} of the page: {e}", i + 1))
            })?;
        }
        Ok(page)
    }

    /// DescribeAppInstanceUser, as the wire/CLI JSON value under `AppInstanceUser`.
    pub async fn describe_user(&self, user_arn: &str) -> Result<serde_json::Value, ServiceError> {
        let arn = model::parse_user_arn(user_arn).map_err(|e| ServiceError::invalid_input(&e))?;
        let out = self
            .client_for(Some(arn.region()), op::DESCRIBE_USER)?
            .describe_app_instance_user()
            .app_instance_user_arn(user_arn)
            .send()
            .await
            .map_err(|e| self.classify(e, op::DESCRIBE_USER, arn.region()))?;
        let user = out
            .app_instance_user()
            .map(convert::user_json)
            .transpose()
            .map(Option::unwrap_or_default)
            .map_err(|e| ServiceError::new(ErrorKind::InvalidResponse, e, op::DESCRIBE_USER))?;
        answer::same_resource("AppInstanceUserArn", user_arn, user["AppInstanceUserArn"].as_str())
            .map_err(|e| model::paging::invalid_response(op::DESCRIBE_USER, e))?;
        Ok(user)
    }

    /// DescribeAppInstance, as the wire/CLI JSON value under `AppInstance`.
    pub async fn describe_instance(&self, instance_arn: &str) -> Result<serde_json::Value, ServiceError> {
        let arn = model::parse_instance_arn(instance_arn).map_err(|e| ServiceError::invalid_input(&e))?;
        let out = self
            .client_for(Some(arn.region()), op::DESCRIBE_INSTANCE)?
            .describe_app_instance()
            .app_instance_arn(instance_arn)
            .send()
            .await
            .map_err(|e| self.classify(e, op::DESCRIBE_INSTANCE, arn.region()))?;
        let instance = out
            .app_instance()
            .map(convert::instance_json)
            .transpose()
            .map(Option::unwrap_or_default)
            .map_err(|e| ServiceError::new(ErrorKind::InvalidResponse, e, op::DESCRIBE_INSTANCE))?;
        answer::same_resource("AppInstanceArn", instance_arn, instance["AppInstanceArn"].as_str())
            .map_err(|e| model::paging::invalid_response(op::DESCRIBE_INSTANCE, e))?;
        Ok(instance)
    }
}

impl Client {
    /// [`convert::classify`], then what only the client knows: a network failure against AWS
    /// in a region that has no Identity endpoint is explained as that, not blamed on the proxy.
    fn classify<E>(
        &self,
        err: aws_sdk_chimesdkidentity::error::SdkError<
            E,
            aws_smithy_runtime_api::client::orchestrator::HttpResponse,
        >,
        operation: &str,
        arn_region: &str,
    ) -> ServiceError
    where
        E: aws_sdk_chimesdkidentity::error::ProvideErrorMetadata
            + aws_types::request_id::RequestId
            + std::error::Error
            + Send
            + Sync
            + 'static,
    {
        let mut e = convert::classify(err, operation);
        let arn_region = Some(arn_region).filter(|r| !r.is_empty());
        let region = self.region_for(arn_region);
        if let Some(h) = region_hint(e.kind, self.endpoint_url().is_some(), &region, arn_region) {
            e.hint = h;
        }
        e
    }
}

/// The hint for a failure to reach AWS in `region` when that region has no Identity endpoint
/// (the name does not resolve, so the SDK reports a network error); `None` when the region is
/// not the explanation.
pub fn region_hint(
    kind: ErrorKind,
    custom_endpoint: bool,
    region: &str,
    arn_region: Option<&str>,
) -> Option<String> {
    let unreachable = matches!(kind, ErrorKind::Network | ErrorKind::Timeout);
    (unreachable && !custom_endpoint && !model::IDENTITY_REGIONS.contains(&region))
        .then(|| no_identity_endpoint(region, arn_region == Some(region)))
}

/// Why a request to `region` cannot succeed: Chime SDK Identity is served in two regions only.
pub fn no_identity_endpoint(region: &str, from_arn: bool) -> String {
    let regions = model::IDENTITY_REGIONS.join(", ");
    if from_arn {
        format!(
            "the ARN's region has no Identity endpoint (only {regions}): no app instance can live in {region}, so check the ARN"
        )
    } else {
        format!(
            "the region {region} has no Identity endpoint (only {regions}): pass --region with one of those"
        )
    }
}

/// Caps what one response body may cost: the body is read through [`http_body_util::Limited`],
/// so an endless or huge answer stops at `max` bytes with an error the classifier reports as
/// an invalid response.
#[derive(Debug)]
struct BodyLimit {
    max: usize,
}

impl aws_smithy_runtime_api::client::interceptors::Intercept for BodyLimit {
    fn name(&self) -> &'static str {
        "BodyLimit"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        _cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        use aws_smithy_types::body::SdkBody;
        let body = context.response_mut().body_mut();
        let inner = std::mem::replace(body, SdkBody::taken());
        *body = SdkBody::from_body_1_x(http_body_util::Limited::new(inner, self.max));
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_that_cannot_be_host_names_are_refused() {
        assert!(check_region("us-east-1").is_ok());
        assert!(check_region("us east 1").unwrap_err().contains("a space"));
        assert!(check_region("US-EAST-1").unwrap_err().contains("lower case"));
        assert!(check_region("").is_err());
        assert!(check_region("-x").is_err());
        assert!(check_region("a.b").unwrap_err().contains("'.'"));
    }

    #[test]
    fn an_unreachable_region_without_identity_is_explained_not_blamed_on_the_proxy() {
        let h = region_hint(ErrorKind::Network, false, "ap-south-1", Some("ap-south-1")).unwrap();
        assert!(
            h.starts_with("the ARN's region has no Identity endpoint (only us-east-1, eu-central-1)"),
            "{h}"
        );
        assert!(!h.contains("proxy"), "{h}");
        let h = region_hint(ErrorKind::Timeout, false, "ap-south-1", Some("us-east-1")).unwrap();
        assert!(h.contains("the region ap-south-1 has no Identity endpoint"), "{h}");
        assert_eq!(region_hint(ErrorKind::Network, false, "us-east-1", Some("us-east-1")), None);
        assert_eq!(
            region_hint(ErrorKind::Network, true, "ap-south-1", Some("ap-south-1")),
            None,
            "a custom endpoint"
        );
        assert_eq!(region_hint(ErrorKind::NotFound, false, "ap-south-1", Some("ap-south-1")), None);
    }
}
