//! What `describe` and `list` share: refusing bad arguments, the warnings about where a
//! request goes, and reporting a failure the way the AWS CLI does.

use super::exit::{self, EXIT_BAD_ARGS};
use crate::aws::{self, Client};
use crate::model::{self, ServiceError, escape_control};

pub(super) fn bad_args(msg: &str) -> i32 {
    crate::say!("chimescope: {msg}");
    EXIT_BAD_ARGS
}

/// Warnings about where the request goes, printed on stderr before it is sent: a `--region`
/// other than the ARN's, and a region that has no Chime SDK Identity endpoint.
pub fn region_warnings(client: &Client, arn_region: &str) -> Vec<String> {
    let mut w = Vec::new();
    if let Some(flag) = client.options().region.as_deref()
        && flag != arn_region
    {
        w.push(format!(
            "--region {flag} differs from the ARN's region {arn_region}: the request goes to {flag}, \
             where this ARN's app instance does not live (AWS answers NotFound or Forbidden)"
        ));
    }
    let region = client.region_for(Some(arn_region));
    if client.endpoint_url().is_none() && !model::IDENTITY_REGIONS.contains(&region.as_str()) {
        w.push(aws::no_identity_endpoint(&region, region == arn_region));
    }
    w
}

pub(super) fn warn_region(client: &Client, arn_region: &str) {
    for w in region_warnings(client, arn_region) {
        crate::say!("warning: {}", escape_control(&w));
    }
}

/// The client for a command about a resource in `arn_region` (and the demo service it talks
/// to, kept alive by the caller), with the region warnings said; or the exit code, said too.
pub(super) async fn connect_for(
    s: &crate::settings::Settings,
    arn_region: &str,
) -> Result<(Client, Option<crate::emulator::Emulator>), i32> {
    let (client, emu) = crate::jobs::connect(s).await.map_err(|(code, e)| {
        crate::say!("chimescope: {e}");
        code
    })?;
    warn_region(&client, arn_region);
    Ok((client, emu))
}

pub(super) fn fail(e: &ServiceError, operation: &str) -> i32 {
    crate::say_inline!("{}", e.report(operation));
    exit::of(e)
}
