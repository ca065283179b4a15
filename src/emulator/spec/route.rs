//! Routes from the model's `requestUri` templates. Path labels are percent-encoded by every
//! client: the raw path is split on `/` first, then each segment is decoded.

use super::{Operation, Segment, ServiceModel};
use percent_encoding::percent_decode_str;
use std::collections::HashMap;

/// `/app-instances/{appInstanceArn}/admins?x=y` → segments and fixed query parameters.
pub fn parse_template(uri: &str) -> (Vec<Segment>, Vec<(String, String)>) {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let segments = path
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(label) => Segment::Label(label.trim_end_matches('+').to_string()),
            None => Segment::Literal(s.to_string()),
        })
        .collect();
    let fixed = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    (segments, fixed)
}

/// Split the raw path on `/`, then decode each segment.
pub fn segments(raw_path: &str) -> Vec<String> {
    let trimmed = raw_path.trim_start_matches('/');
    if trimmed.is_empty() {
        return Vec::new();
    }
    trimmed.split('/').map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned()).collect()
}

/// Decoded query pairs, in order (`+` is a literal plus: clients percent-encode spaces).
pub fn query_pairs(raw_query: Option<&str>) -> Vec<(String, String)> {
    let d = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    raw_query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (d(k), d(v))
        })
        .collect()
}

/// A matched operation and its decoded path labels.
pub struct Matched<'m> {
    pub operation: &'m Operation,
    pub labels: HashMap<String, String>,
}

/// The operation whose method, path template and fixed query parameters fit the request. When
/// several fit, the one with more literal parts wins.
pub fn find<'m>(
    model: &'m ServiceModel,
    method: &str,
    raw_path: &str,
    query: &[(String, String)],
) -> Option<Matched<'m>> {
    let segs = segments(raw_path);
    let mut best: Option<(usize, Matched<'m>)> = None;
    for op in model.operations.values() {
        if op.method != method || op.path.len() != segs.len() {
            continue;
        }
        let mut labels = HashMap::new();
        let mut literals = 0;
        let fits = op.path.iter().zip(&segs).all(|(t, s)| match t {
            Segment::Literal(l) => {
                literals += 1;
                l == s
            }
            Segment::Label(name) => {
                labels.insert(name.clone(), s.clone());
                !s.is_empty()
            }
        });
        let fixed = op.fixed_query.iter().all(|(k, v)| query.iter().any(|(qk, qv)| qk == k && qv == v));
        if !fits || !fixed {
            continue;
        }
        let score = literals + op.fixed_query.len();
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, Matched { operation: op, labels }));
        }
    }
    best.map(|(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_decoded_after_splitting() {
        let p = "/app-instance-users/arn%3Aaws%3Achime%3Aus-east-1%3A1%3Aapp-instance%2Fa%2Fuser%2Fb/endpoints/e%2F1";
        assert_eq!(
            segments(p),
            vec!["app-instance-users", "arn:aws:chime:us-east-1:1:app-instance/a/user/b", "endpoints", "e/1"]
        );
    }

    #[test]
    fn every_operation_of_the_model_is_routed_to_itself() {
        let m = ServiceModel::get().unwrap();
        for op in m.operations.values() {
            let path: String = op
                .path
                .iter()
                .map(|s| match s {
                    Segment::Literal(l) => format!("/{l}"),
                    Segment::Label(_) => "/arn%3Aaws%3Achime%3Aus-east-1%3A1%3Aapp-instance%2Fa".to_string(),
                })
                .collect();
            let q = op.fixed_query.clone();
            let found = find(m, &op.method, &path, &q).map(|f| f.operation.name.as_str());
            assert_eq!(found, Some(op.name.as_str()), "{} {path}", op.method);
        }
        assert!(find(m, "GET", "/nowhere", &[]).is_none());
        assert!(find(m, "PATCH", "/app-instances", &[]).is_none());
    }
}
