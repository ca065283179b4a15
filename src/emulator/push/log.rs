//! The push log: one line per member and endpoint a channel message was (or was not) pushed
//! to, as `GET /_chimescope/pushes` shows it. In memory only (never journalled: it is what
//! happened, not state), the last `CAPACITY` lines, never a token, a name or a message's
//! content.

use serde::Serialize;
use std::collections::VecDeque;

/// How many lines are kept.
pub const CAPACITY: usize = 10_000;

/// What became of one push.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Outcome {
    Sent,
    Skipped,
    Failed,
}

/// One line of the push log.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Line {
    /// 1 for the first line, one more for each (the cursor of `?since=`).
    pub seq: u64,
    /// Epoch seconds by the emulator's clock.
    pub time: f64,
    pub channel_arn: String,
    pub message_id: String,
    /// None for a line about the whole message (one sent without a push).
    pub member_arn: Option<String>,
    /// None for a line about a member (its preferences stopped the push).
    pub endpoint_id: Option<String>,
    /// The gate that decided: 1 the message asks for a push, 2 the member's preferences, 3 the
    /// endpoint, 4 the Pinpoint app, 5 its channel, 6 the provider.
    pub gate: u8,
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub delivery_status: Option<String>,
    pub status_code: Option<u16>,
}

/// The lines kept, their `seq` contiguous.
#[derive(Clone, Debug, Default)]
pub struct Log {
    lines: VecDeque<Line>,
}

/// Which lines `GET /_chimescope/pushes` answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub channel_arn: Option<String>,
    pub message_id: Option<String>,
    pub member_arn: Option<String>,
}

impl Filter {
    fn keeps(&self, l: &Line) -> bool {
        let is = |want: &Option<String>, have: Option<&str>| want.as_deref().is_none_or(|w| have == Some(w));
        is(&self.channel_arn, Some(&l.channel_arn))
            && is(&self.message_id, Some(&l.message_id))
            && is(&self.member_arn, l.member_arn.as_deref())
    }
}

impl Log {
    /// Append a line (its `seq` set here); the copy kept.
    pub fn push(&mut self, mut line: Line) -> Line {
        line.seq = self.lines.back().map_or(1, |l| l.seq + 1);
        if self.lines.len() >= CAPACITY {
            self.lines.pop_front();
        }
        self.lines.push_back(line.clone());
        line
    }

    /// At most `limit` lines after `since` that the filter keeps, the last `seq` looked at (the
    /// next `since`), and whether more lines follow it. Looks at every kept line at most once.
    pub fn page(&self, since: u64, limit: usize, filter: &Filter) -> (Vec<Line>, u64, bool) {
        let first = self.lines.front().map_or(1, |l| l.seq);
        let start =
            usize::try_from(since.saturating_sub(first - 1)).unwrap_or(usize::MAX).min(self.lines.len());
        let mut out = Vec::new();
        let mut last = since;
        for l in self.lines.range(start..) {
            if out.len() >= limit {
                return (out, last, true);
            }
            last = l.seq;
            if filter.keeps(l) {
                out.push(l.clone());
            }
        }
        (out, last, false)
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(channel: &str) -> Line {
        Line {
            seq: 0,
            time: 0.0,
            channel_arn: channel.into(),
            message_id: "m".into(),
            member_arn: Some("u".into()),
            endpoint_id: None,
            gate: 2,
            outcome: Outcome::Skipped,
            reason: Some("NONE".into()),
            delivery_status: None,
            status_code: None,
        }
    }

    #[test]
    fn pages_filter_and_stay_bounded() {
        let mut log = Log::default();
        for i in 0..CAPACITY + 5 {
            log.push(line(if i % 2 == 0 { "a" } else { "b" }));
        }
        assert_eq!(log.len(), CAPACITY);
        let only_a = Filter { channel_arn: Some("a".into()), ..Filter::default() };
        let (page, next, more) = log.page(0, 3, &only_a);
        assert_eq!(page.iter().map(|l| l.seq).collect::<Vec<_>>(), [7, 9, 11]);
        assert!(more);
        let (page, _, _) = log.page(next, 1, &only_a);
        assert_eq!(page[0].seq, 13);
        let (page, last, more) = log.page(CAPACITY as u64, 100, &Filter::default());
        assert_eq!((page.len(), last, more), (5, CAPACITY as u64 + 5, false));
        let v = serde_json::to_value(&page[0]).unwrap();
        assert_eq!(v["Outcome"], "SKIPPED");
        assert!(v.get("EndpointId").is_some_and(|e| e.is_null()));
    }
}
