//! A user's channel memberships with each one's push preferences, as `chimescope doctor` and the
//! browser's memberships list (`M`, `:memberships`) read them: every page of
//! ListChannelMembershipsForAppInstanceUser (bounded by the model's [`Pages`]: a repeated token or
//! an overfull page stops it), then GetChannelMembershipPreferences for each channel, every read
//! made as the member (`aws::messaging`) once the pace lets it leave.

use crate::aws::{Client, messaging::op};
use crate::jobs::rate::Gate;
use crate::model::messaging::{self, ChannelMembership, MemberOf};
use crate::model::paging::{Listing, Pages};
use crate::model::{self, ErrorKind, ServiceError};

/// A failed read and the operation that failed.
pub type Failed = (ServiceError, &'static str);

/// One Messaging read once the pace lets it leave; a throttle slows the pace.
pub async fn paced<T, F>(pace: &Gate, op: &'static str, read: F) -> Result<T, Failed>
where
    F: std::future::Future<Output = Result<T, ServiceError>>,
{
    let ticket = pace.acquire().await;
    let r = read.await;
    if let Err(e) = &r
        && e.kind == ErrorKind::Throttled
    {
        pace.throttled(ticket);
    }
    r.map_err(|e| (e, op))
}

/// Every membership of the user: all pages, bounded by [`Pages`], each read paced.
pub async fn list(
    client: &Client,
    pace: &Gate,
    region: &str,
    user_arn: &str,
) -> Result<Vec<ChannelMembership>, Failed> {
    let op = op::LIST_MEMBERSHIPS;
    let mut pages = Pages::new(Listing::Memberships);
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let page = paced(pace, op, client.memberships_page(region, user_arn, token.take())).await?;
        let next = pages.next(page.items.len(), page.next_token.as_deref()).map_err(|e| (e, op))?;
        all.extend(page.items);
        match next {
            Some(t) => token = Some(t),
            None => return Ok(all),
        }
    }
}

/// Every membership of the user with its push preferences (one GetChannelMembershipPreferences
/// a channel, in the channel's region), in the order the service listed them.
pub async fn with_preferences(client: &Client, pace: &Gate, user_arn: &str) -> Result<Vec<MemberOf>, Failed> {
    let user_region = model::parse_user_arn(user_arn).map(|a| a.region().to_string()).unwrap_or_default();
    let mut read = Vec::new();
    for m in list(client, pace, &user_region, user_arn).await? {
        let region = messaging::channel_region(&m.channel_arn).unwrap_or(&user_region).to_string();
        let preferences = paced(
            pace,
            op::GET_PREFERENCES,
            client.membership_preferences(&region, &m.channel_arn, user_arn),
        )
        .await?;
        read.push(MemberOf { membership: m, preferences });
    }
    Ok(read)
}
