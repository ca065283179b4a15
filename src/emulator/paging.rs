//! `max-results` / `next-token` paging. A token names an offset into one list (the operation
//! and what it lists) and carries a MAC under a key of this emulator, so a forged or altered
//! token, or one from another list, is a BadRequest, and an offset never wraps.

use super::http::ApiError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Page size when `max-results` is absent.
pub const DEFAULT_PAGE: usize = 50;
/// A fixed prefix that makes every token hold `+` and `/` (base64 of 0xfb 0xff 0xbf), so
/// clients that forget to percent-encode the query are caught.
const MAGIC: [u8; 3] = [0xfb, 0xff, 0xbf];
const MAC_LEN: usize = 16;

/// Signs and checks tokens.
#[derive(Clone, Debug)]
pub struct Tokens {
    key: [u8; 32],
}

impl Default for Tokens {
    fn default() -> Self {
        let mut key = [0u8; 32];
        for chunk in key.chunks_mut(8) {
            chunk.copy_from_slice(&super::ids::random_u64().to_le_bytes());
        }
        Self { key }
    }
}

impl Tokens {
    fn mac(&self, scope: &str, offset: u64) -> Vec<u8> {
        match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key) {
            Ok(mut m) => {
                m.update(&offset.to_be_bytes());
                m.update(scope.as_bytes());
                m.finalize().into_bytes()[..MAC_LEN].to_vec()
            }
            Err(_) => Vec::new(),
        }
    }

    pub fn encode(&self, scope: &str, offset: u64) -> String {
        let mut raw = MAGIC.to_vec();
        raw.extend_from_slice(&offset.to_be_bytes());
        raw.extend_from_slice(&self.mac(scope, offset));
        STANDARD.encode(raw)
    }

    /// The offset a token of this list names, or None for anything else.
    pub fn decode(&self, token: &str, scope: &str) -> Option<u64> {
        let raw = STANDARD.decode(token).ok()?;
        let rest = raw.strip_prefix(&MAGIC[..])?;
        if rest.len() != 8 + MAC_LEN {
            return None;
        }
        let (off, mac) = rest.split_at(8);
        let offset = u64::from_be_bytes(off.try_into().ok()?);
        let want = self.mac(scope, offset);
        let same = want.len() == mac.len() && want.iter().zip(mac).fold(0u8, |a, (x, y)| a | (x ^ y)) == 0;
        same.then_some(offset)
    }

    /// One page of `items` from the input's `MaxResults` and `NextToken`, and the next token.
    pub fn page<T: Clone>(
        &self,
        items: &[T],
        max_results: Option<i64>,
        next_token: Option<&str>,
        scope: &str,
    ) -> Result<(Vec<T>, Option<String>), ApiError> {
        let (range, next) = self.window(items.len(), max_results, next_token, scope)?;
        Ok((items[range].to_vec(), next))
    }

    /// The positions of one page of a list of `len` items, and the next token: [`Self::page`]
    /// for a list that is not a slice (only the page's items are then looked at).
    pub fn window(
        &self,
        len: usize,
        max_results: Option<i64>,
        next_token: Option<&str>,
        scope: &str,
    ) -> Result<(std::ops::Range<usize>, Option<String>), ApiError> {
        let size = max_results.and_then(|n| usize::try_from(n).ok()).unwrap_or(DEFAULT_PAGE).max(1);
        let start = match next_token {
            None | Some("") => 0,
            Some(t) => self.decode(t, scope).ok_or_else(|| ApiError::bad_request("Invalid next token"))?,
        };
        // A token handed out before the list shrank may point past its end: an empty last page.
        let start = usize::try_from(start).unwrap_or(usize::MAX).min(len);
        let end = start.saturating_add(size).min(len);
        let next = (end < len).then(|| self.encode(scope, end as u64));
        Ok((start..end, next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_hold_url_specials_and_refuse_forgeries() {
        let t = Tokens::default();
        let scope = "ListAppInstanceUserEndpoints arn:aws:chime:us-east-1:1:app-instance/a/user/b";
        let tok = t.encode(scope, 50);
        assert!(tok.contains('+') && tok.contains('/'), "{tok}");
        assert_eq!(t.decode(&tok, scope), Some(50));
        assert_eq!(t.decode(&tok, "other"), None);
        assert_eq!(Tokens::default().decode(&tok, scope), None, "another emulator's key");
        assert_eq!(t.decode("garbage", scope), None);
        // The same bytes with another offset: the MAC no longer fits.
        let mut raw = STANDARD.decode(&tok).unwrap();
        raw[3..11].copy_from_slice(&(u64::MAX - 1).to_be_bytes());
        assert_eq!(t.decode(&STANDARD.encode(raw), scope), None);
    }

    #[test]
    fn pages_never_wrap() {
        let t = Tokens::default();
        let items: Vec<u32> = (0..7).collect();
        let (p, next) = t.page(&items, Some(3), None, "s").unwrap();
        assert_eq!(p, [0, 1, 2]);
        let (p, next) = t.page(&items, Some(3), next.as_deref(), "s").unwrap();
        assert_eq!(p, [3, 4, 5]);
        let (p, next) = t.page(&items, Some(3), next.as_deref(), "s").unwrap();
        assert_eq!((p, next), (vec![6], None));
        let past = t.encode("s", u64::MAX - 1);
        assert_eq!(t.page(&items, Some(50), Some(&past), "s").unwrap(), (vec![], None));
        assert!(t.page(&items, None, Some("bm9wZQ=="), "s").is_err());
    }
}
