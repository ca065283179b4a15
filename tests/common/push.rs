//! A seed for the push path's tests: one user with an endpoint for every gate-3-to-6 case, two
//! Pinpoint apps (one with every channel, one with GCM only), and outcomes set for some tokens.
#![allow(dead_code)]

use serde_json::{Value, json};

/// `chimescope emulator` seeded with `seed` (the seed file in the returned directory, which is
/// also a HOME for the commands run against it).
pub fn start_with(seed: &Value) -> (super::emu::EmuProc, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.json");
    std::fs::write(&path, seed.to_string()).unwrap();
    (super::emu::EmuProc::start(&["--seed", path.to_str().unwrap()]), dir)
}

pub const ACCOUNT: &str = "123456789012";
pub const INSTANCE: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/push";
pub const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/push/user/ana";
pub const CHANNEL: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/push/channel/general";
pub const FULL_APP: &str = "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0";
pub const GCM_APP: &str = "6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c";
pub const DISABLED_APP: &str = "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1";
pub const DENIED_APP: &str = "de1ed0de1ed0de1ed0de1ed0de1ed0de";

pub fn app_arn(id: &str) -> String {
    format!("arn:aws:mobiletargeting:us-east-1:{ACCOUNT}:apps/{id}")
}

/// A hex (APNs-shaped) token, distinct per `n`.
pub fn hex(n: u8) -> String {
    format!("{:02x}", n).repeat(32)
}

/// An FCM-shaped token, distinct per `n`.
pub fn fcm(n: u8) -> String {
    format!("{:022x}:APA91b{}", n, "Xy_z-Q".repeat(20))
}

pub const OUTCOMES: [&str; 10] = [
    "Unregistered",
    "BadDeviceToken",
    "DeviceTokenNotForTopic",
    "InvalidProviderToken",
    "INVALID_ARGUMENT",
    "UNREGISTERED",
    "SENDER_ID_MISMATCH",
    "THIRD_PARTY_AUTH_ERROR",
    "QUOTA_EXCEEDED",
    "UNAVAILABLE",
];

/// The token given outcome `i` of `OUTCOMES` (APNs outcomes on hex tokens, FCM on FCM ones),
/// and the channel it is sent on.
pub fn outcome_token(i: usize) -> (String, &'static str) {
    if i < 4 { (hex(100 + i as u8), "APNS") } else { (fcm(100 + i as u8), "GCM") }
}

pub const NEW_TOKEN: &str = "fresh-token-from-the-provider";

pub fn canonical_token() -> String {
    fcm(99)
}

fn endpoint(id: &str, kind: &str, app: &str, attrs: Value, allow: &str, status: &str) -> Value {
    json!({"AppInstanceUserArn": USER, "EndpointId": id, "Type": kind, "ResourceArn": app_arn(app),
           "EndpointAttributes": attrs, "AllowMessages": allow, "Name": format!("device {id}"),
           "EndpointState": {"Status": status}})
}

pub fn seed() -> Value {
    let mut outcomes: Vec<Value> =
        (0..OUTCOMES.len()).map(|i| json!({"Token": outcome_token(i).0, "Outcome": OUTCOMES[i]})).collect();
    outcomes.push(json!({"Token": canonical_token(), "Outcome": format!("Canonical:{NEW_TOKEN}")}));
    json!({
        "AppInstances": [{"AppInstanceArn": INSTANCE, "Name": "push"}],
        "AppInstanceUsers": [{"AppInstanceUserArn": USER, "Name": "Ana"}],
        "AppInstanceUserEndpoints": [
            endpoint("e-ok", "APNS", FULL_APP, json!({"DeviceToken": hex(1)}), "ALL", "ACTIVE"),
            endpoint("e-voip", "APNS", FULL_APP, json!({"DeviceToken": hex(2), "VoipDeviceToken": hex(3)}), "ALL", "ACTIVE"),
            endpoint("e-muted", "APNS", FULL_APP, json!({"DeviceToken": hex(4)}), "NONE", "ACTIVE"),
            endpoint("e-inactive", "APNS", FULL_APP, json!({"DeviceToken": hex(5)}), "ALL", "INACTIVE"),
            endpoint("e-noapp", "APNS", "0000000000000000000000000000dead", json!({"DeviceToken": hex(6)}), "ALL", "ACTIVE"),
            endpoint("e-nochannel", "APNS", GCM_APP, json!({"DeviceToken": hex(7)}), "ALL", "ACTIVE"),
            endpoint("e-disabled", "APNS_SANDBOX", FULL_APP, json!({"DeviceToken": hex(8)}), "ALL", "ACTIVE"),
            endpoint("e-gcm-voip", "GCM", FULL_APP, json!({"DeviceToken": fcm(9), "VoipDeviceToken": fcm(10)}), "ALL", "ACTIVE"),
            endpoint("e-unreg", "APNS", FULL_APP, json!({"DeviceToken": outcome_token(0).0}), "ALL", "ACTIVE"),
            endpoint("e-shape", "GCM", FULL_APP, json!({"DeviceToken": hex(11)}), "ALL", "ACTIVE"),
        ],
        "PinpointApps": [
            {"Arn": app_arn(FULL_APP), "Name": "Everything", "Channels": {
                "APNS": {"Enabled": true, "DefaultAuthenticationMethod": "TOKEN", "HasTokenKey": true},
                "APNS_VOIP": {"Enabled": true},
                "APNS_SANDBOX": {"Enabled": false},
                "GCM": {"Enabled": true, "DefaultAuthenticationMethod": "TOKEN", "HasFcmServiceCredentials": true}}},
            {"Arn": app_arn(GCM_APP), "Name": "Android only", "Channels": {"GCM": {"Enabled": true}}},
            {"Arn": app_arn(DISABLED_APP), "Name": "Switched off", "Channels": {
                "APNS": {"Enabled": false}, "GCM": {"Enabled": true, "IsArchived": true}}},
            {"Arn": app_arn(DENIED_APP), "Name": "Locked", "Channels": {"GCM": {"Enabled": true}},
             "DeniedOperations": ["SendMessages"]}
        ],
        "PushOutcomes": outcomes
    })
}

/// Every token the seed holds (for the tests that look for them where they must not be).
pub fn all_tokens() -> Vec<String> {
    let mut t: Vec<String> = (0..=11).map(hex).chain((0..=11).map(fcm)).collect();
    t.extend((0..OUTCOMES.len()).map(|i| outcome_token(i).0));
    t.push(canonical_token());
    t.push(NEW_TOKEN.to_string());
    t
}

pub const USER_O1: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/push/user/o1";
pub const USER_O2: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/push/user/o2";

/// The user holding the endpoint `o{i}` given outcome `i` (and `canon`, `denied`).
pub fn outcome_user(i: usize) -> &'static str {
    if i < 5 { USER_O1 } else { USER_O2 }
}

/// [`seed`] and two users whose endpoints hold the outcomes' tokens: `o0`…`o9` (outcome i),
/// `canon` (Canonical) under o1, and `denied` (an app that refuses SendMessages) under o2.
pub fn outcome_seed() -> Value {
    let mut s = seed();
    let users = s["AppInstanceUsers"].as_array_mut().unwrap();
    users.push(json!({"AppInstanceUserArn": USER_O1, "Name": "o1"}));
    users.push(json!({"AppInstanceUserArn": USER_O2, "Name": "o2"}));
    let eps = s["AppInstanceUserEndpoints"].as_array_mut().unwrap();
    let ep = |user: &str, id: &str, kind: &str, app: &str, token: String| {
        json!({"AppInstanceUserArn": user, "EndpointId": id, "Type": kind, "ResourceArn": app_arn(app),
               "EndpointAttributes": {"DeviceToken": token}, "AllowMessages": "ALL",
               "EndpointState": {"Status": "ACTIVE"}})
    };
    for i in 0..OUTCOMES.len() {
        let (token, channel) = outcome_token(i);
        eps.push(ep(outcome_user(i), &format!("o{i}"), channel, FULL_APP, token));
    }
    eps.push(ep(USER_O1, "canon", "GCM", FULL_APP, canonical_token()));
    eps.push(ep(USER_O2, "denied", "GCM", DENIED_APP, fcm(60)));
    s
}
