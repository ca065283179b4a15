#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The client against a lying service: `chimescope list`,
//! `doctor`, `scan`, `register`, `update` and `describe` run as processes against a fake
//! restJson service that repeats, cycles and hands out NextTokens forever, lists more than the
//! quotas allow, sends rows that do not parse and names other resources than the request did.
//! Each must stop by itself with exit 255 and a message naming the operation and what was wrong,
//! having asked a bounded number of requests (counted by the fake, not timed).

#[path = "common/emu.rs"]
mod emu;
#[path = "common/fake.rs"]
mod fake;

use fake::{Fake, Request, run_bounded};
use serde_json::json;
use std::process::{Command, Output};
use std::time::Duration;

const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/4b3c2d1e-0f9a-4b8c-9d7e-6f5a4b3c2d1e";
const APP: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d";
/// Long enough for any bounded run; a loop that does not stop is killed and fails the test.
const LIMIT: Duration = Duration::from_secs(60);

fn user(id: &str) -> String {
    format!("{INST}/user/{id}")
}

fn endpoint(user_arn: &str, id: &str) -> serde_json::Value {
    json!({
        "AppInstanceUserArn": user_arn, "EndpointId": id, "Name": "phone", "Type": "GCM",
        "AllowMessages": "ALL", "EndpointState": {"Status": "ACTIVE"}
    })
}

fn endpoints_page(user_arn: &str, ids: &[String], token: Option<&str>) -> (u16, String) {
    let items: Vec<_> = ids.iter().map(|id| endpoint(user_arn, id)).collect();
    let mut v = json!({"AppInstanceUserEndpoints": items});
    if let Some(t) = token {
        v["NextToken"] = json!(t);
    }
    (200, v.to_string())
}

fn chimescope(fake: &Fake, home: &std::path::Path, args: &[&str]) -> Output {
    let mut c: Command = emu::hermetic_signed(home);
    c.args(args).args(["--endpoint-url", &fake.url]);
    run_bounded(&mut c, LIMIT)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit 255, the operation and `what` named on stderr, nothing on stdout.
fn assert_invalid(o: &Output, operation: &str, what: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(255), "{err}");
    assert!(err.contains("(InvalidResponse)") && err.contains(operation), "{err}");
    assert!(err.contains(what), "expected {what:?} in: {err}");
    assert!(o.stdout.is_empty(), "nothing printed as a result: {}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn list_stops_at_a_repeated_next_token() {
    let u = user("u-1");
    let fake = Fake::start(move |r: &Request| endpoints_page(&r.arn(), &[], Some("again")));
    let home = tempfile::tempdir().unwrap();
    let out = chimescope(&fake, home.path(), &["list", "--app-instance-user-arn", &u]);
    assert_invalid(&out, "ListAppInstanceUserEndpoints", "NextToken of an earlier page again");
    assert_eq!(fake.served(), 2, "the first page and the one that repeated its token");
}

#[test]
fn list_and_doctor_stop_endless_distinct_tokens_at_the_page_bound() {
    // Empty pages, each with a new token: a user's list has at most 11 pages.
    let fake = Fake::start(|r: &Request| endpoints_page(&r.arn(), &[], Some(&format!("t{}", r.index))));
    let home = tempfile::tempdir().unwrap();
    let u = user("u-1");
    let out = chimescope(&fake, home.path(), &["list", "--app-instance-user-arn", &u]);
    assert_invalid(&out, "ListAppInstanceUserEndpoints", "a paging loop");
    assert_eq!(fake.served(), 11);
    let out = chimescope(&fake, home.path(), &["doctor", "--app-instance-user-arn", &u]);
    assert_invalid(&out, "ListAppInstanceUserEndpoints", "a paging loop");
    assert_eq!(fake.served(), 22, "the doctor asked 11 pages too, and nothing else");
}

#[test]
fn more_than_ten_endpoints_for_a_user_is_an_invalid_response() {
    // One endpoint a page, each page with a new token: stopped at the 11th endpoint.
    let fake = Fake::start(|r: &Request| {
        let id = format!("ep-{}", r.index);
        endpoints_page(&r.arn(), &[id], Some(&format!("t{}", r.index)))
    });
    let home = tempfile::tempdir().unwrap();
    let out = chimescope(&fake, home.path(), &["list", "--app-instance-user-arn", &user("u-1")]);
    assert_invalid(&out, "ListAppInstanceUserEndpoints", "11 endpoints or more; a user has at most 10");
    assert_eq!(fake.served(), 11);
}

#[test]
fn ten_endpoints_in_small_pages_are_listed_in_full() {
    // The bounds refuse nothing a real service sends: 10 endpoints in pages of 3, 3, 3 and 1.
    let fake = Fake::start(|r: &Request| {
        let start: usize = r.next_token().map_or(0, |t| t.trim_start_matches('p').parse().unwrap());
        let ids: Vec<String> = (start..(start + 3).min(10)).map(|k| format!("ep-{k}")).collect();
        let next = (start + 3 < 10).then(|| format!("p{}", start + 3));
        endpoints_page(&r.arn(), &ids, next.as_deref())
    });
    let home = tempfile::tempdir().unwrap();
    let out = chimescope(&fake, home.path(), &["list", "--app-instance-user-arn", &user("u-1")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["AppInstanceUserEndpoints"].as_array().unwrap().len(), 10);
    assert_eq!(fake.served(), 4);
}

/// A fake instance: ListAppInstanceUsers answered by `users`, every user with no endpoint.
fn instance(users: impl Fn(Option<&str>) -> (Vec<String>, Option<String>) + Send + Sync + 'static) -> Fake {
    Fake::start(move |r: &Request| match r.operation() {
        "ListAppInstanceUsers" => {
            let (ids, next) = users(r.next_token());
            let rows: Vec<_> = ids.iter().map(|id| json!({"AppInstanceUserArn": user(id)})).collect();
            let mut v = json!({"AppInstanceArn": INST, "AppInstanceUsers": rows});
            if let Some(t) = next {
                v["NextToken"] = json!(t);
            }
            (200, v.to_string())
        }
        "ListAppInstanceUserEndpoints" => endpoints_page(&r.arn(), &[], None),
        op => (400, json!({"Code": "BadRequest", "Message": format!("unexpected {op}")}).to_string()),
    })
}

fn scan(fake: &Fake, home: &std::path::Path) -> Output {
    chimescope(fake, home, &["scan", "--app-instance-arn", INST, "--rate", "1000"])
}

#[test]
fn scan_stops_a_cycle_of_user_tokens() {
    // A → B → A: 150 users would be counted forever.
    let fake = instance(|t| {
        let (base, next) = match t {
            None => (0, "A"),
            Some("A") => (50, "B"),
            _ => (100, "A"),
        };
        ((base..base + 50).map(|k| format!("u-{k}")).collect(), Some(next.to_string()))
    });
    let home = tempfile::tempdir().unwrap();
    let out = scan(&fake, home.path());
    assert_invalid(&out, "ListAppInstanceUsers", "NextToken of an earlier page again");
    // Three pages of users and at most one endpoint list per user listed.
    assert!(fake.served() <= 3 + 150, "{} requests", fake.served());
}

#[test]
fn scan_stops_a_repeated_token_and_too_many_endpoints_of_a_user() {
    let home = tempfile::tempdir().unwrap();
    let one_user = |op: &str| op == "ListAppInstanceUsers";
    let fake = Fake::start(move |r: &Request| {
        if one_user(r.operation()) {
            return (200, json!({"AppInstanceUsers": [{"AppInstanceUserArn": user("u-1")}]}).to_string());
        }
        endpoints_page(&r.arn(), &[format!("ep-{}", r.index)], Some("same"))
    });
    let out = scan(&fake, home.path());
    assert_invalid(&out, "ListAppInstanceUserEndpoints", "NextToken of an earlier page again");
    assert_eq!(fake.served(), 3);

    let fake = Fake::start(move |r: &Request| {
        if one_user(r.operation()) {
            return (200, json!({"AppInstanceUsers": [{"AppInstanceUserArn": user("u-1")}]}).to_string());
        }
        let ids: Vec<String> = (0..11).map(|k| format!("ep-{k}")).collect();
        endpoints_page(&r.arn(), &ids, None)
    });
    let out = scan(&fake, home.path());
    assert_invalid(&out, "ListAppInstanceUserEndpoints", "11 endpoints or more");
}

#[test]
fn rows_that_do_not_parse_or_belong_elsewhere_are_refused() {
    let home = tempfile::tempdir().unwrap();
    let u = user("u-1");
    // An endpoint of another user, an ID with a newline and a command, an ID too long.
    let cases: [(serde_json::Value, &str); 3] = [
        (endpoint(&user("mallory"), "ep-1"), "user/mallory\", not the"),
        (endpoint(&u, "ep\necho PWNED"), "control character U+000A"),
        (endpoint(&u, &"x".repeat(65)), "65 characters long"),
    ];
    for (row, what) in cases {
        let body = json!({"AppInstanceUserEndpoints": [row]}).to_string();
        let fake = Fake::start(move |_: &Request| (200, body.clone()));
        let out = chimescope(&fake, home.path(), &["list", "--app-instance-user-arn", &u]);
        assert_invalid(&out, "ListAppInstanceUserEndpoints", what);
        assert!(stderr(&out).contains("row 1 of the page"), "{}", stderr(&out));
    }
    // A scan never takes up a user of another instance, nor an ARN holding a newline.
    for bad in [
        "arn:aws:chime:us-east-1:123456789012:app-instance/other/user/u-1".to_string(),
        format!("{INST}/user/u-1\necho PWNED > /tmp/x\n#"),
    ] {
        let body = json!({"AppInstanceUsers": [{"AppInstanceUserArn": bad}]}).to_string();
        let fake = Fake::start(move |_: &Request| (200, body.clone()));
        let out = scan(&fake, home.path());
        assert_invalid(&out, "ListAppInstanceUsers", "row 1 of the page");
        assert_eq!(fake.served(), 1, "no user of the bad row was looked up");
    }
}

/// A service whose writes and describes answer for `user_arn` and `endpoint_id` whatever was asked.
fn liar(user_arn: String, endpoint_id: &'static str) -> Fake {
    Fake::start(move |r: &Request| match r.operation() {
        "RegisterAppInstanceUserEndpoint" | "UpdateAppInstanceUserEndpoint" => {
            (200, json!({"AppInstanceUserArn": user_arn, "EndpointId": endpoint_id}).to_string())
        }
        "DescribeAppInstanceUserEndpoint" => {
            let mut ep = endpoint(&user_arn, endpoint_id);
            ep["EndpointAttributes"] = json!({"DeviceToken": "tok"});
            ep["ResourceArn"] = json!(APP);
            (200, json!({"AppInstanceUserEndpoint": ep}).to_string())
        }
        op => (400, json!({"Code": "BadRequest", "Message": format!("unexpected {op}")}).to_string()),
    })
}

#[test]
fn answers_naming_another_resource_are_invalid_responses() {
    let home = tempfile::tempdir().unwrap();
    let u = user("u-1");
    let register = [
        "register",
        "--app-instance-user-arn",
        &u,
        "--type",
        "GCM",
        "--resource-arn",
        APP,
        "--device-token",
        "tok-1",
    ];
    // Register answered with another user's ARN.
    let fake = liar(user("mallory"), "ep-new");
    let out = chimescope(&fake, home.path(), &register);
    assert_invalid(&out, "RegisterAppInstanceUserEndpoint", "user/mallory");
    // Register answered with an EndpointId that is no endpoint ID.
    let fake = liar(u.clone(), "ep\u{1b}]0;x\u{7}");
    let out = chimescope(&fake, home.path(), &register);
    assert_invalid(&out, "RegisterAppInstanceUserEndpoint", "EndpointId contains a control character");
    // Update answered with another EndpointId.
    let fake = liar(u.clone(), "other");
    let update =
        ["update", "--app-instance-user-arn", &u, "--endpoint-id", "ep-1", "--allow-messages", "NONE"];
    let out = chimescope(&fake, home.path(), &update);
    assert_invalid(&out, "UpdateAppInstanceUserEndpoint", "EndpointId is \"other\", not the \"ep-1\"");
    // Describe answered with a record of another endpoint, and of another user.
    let out =
        chimescope(&fake, home.path(), &["describe", "--app-instance-user-arn", &u, "--endpoint-id", "ep-1"]);
    assert_invalid(&out, "DescribeAppInstanceUserEndpoint", "EndpointId is \"other\"");
    let fake = liar(user("mallory"), "ep-1");
    let out =
        chimescope(&fake, home.path(), &["describe", "--app-instance-user-arn", &u, "--endpoint-id", "ep-1"]);
    assert_invalid(&out, "DescribeAppInstanceUserEndpoint", "user/mallory");
}

/// The doctor's membership listing against a lying Messaging service: the user has no endpoint;
/// `/channels` answers `page(request)`.
fn memberships_doctor(page: impl Fn(&Request) -> (u16, String) + Send + Sync + 'static) -> (Fake, Output) {
    let fake = Fake::start(move |r: &Request| match r.segments.first().map(String::as_str) {
        Some("channels") => page(r),
        _ if r.operation() == "ListAppInstanceUserEndpoints" => endpoints_page(&r.arn(), &[], None),
        _ => (200, json!({"AppInstanceUser": {"AppInstanceUserArn": r.arn()}}).to_string()),
    });
    let home = tempfile::tempdir().unwrap();
    let out = chimescope(&fake, home.path(), &["doctor", "--app-instance-user-arn", &user("u-1")]);
    (fake, out)
}

fn memberships(n: usize, token: Option<&str>) -> (u16, String) {
    let rows: Vec<_> = (0..n)
        .map(|i| {
            json!({"ChannelSummary": {"ChannelArn": format!("{INST}/channel/c-{i}"), "Name": "c"},
            "AppInstanceUserMembershipSummary": {"Type": "DEFAULT"}})
        })
        .collect();
    let mut v = json!({"ChannelMemberships": rows});
    if let Some(t) = token {
        v["NextToken"] = json!(t);
    }
    (200, v.to_string())
}

/// The doctor went on: exit 0, its one user finding `messaging-unreachable` naming `what`.
fn assert_unreachable(out: &Output, what: &str) {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["UserFindings"][0];
    assert_eq!(f["Code"], "messaging-unreachable", "{v}");
    assert!(f["Evidence"].as_str().unwrap().contains(what), "expected {what:?} in {f}");
    assert!(v.get("Memberships").is_none(), "not read, so not shown as empty: {v}");
}

#[test]
fn doctor_stops_a_membership_listing_that_repeats_its_token_or_overfills_a_page() {
    let (fake, out) = memberships_doctor(|_| memberships(0, Some("again")));
    assert_unreachable(&out, "the NextToken of an earlier page again after 2 pages");
    // Two Identity reads (the endpoints, the user), then the two membership pages.
    assert_eq!(fake.served(), 2 + 2);

    let (fake, out) = memberships_doctor(|_| memberships(51, None));
    assert_unreachable(&out, "51 rows on a page of at most 50");
    assert_eq!(fake.served(), 2 + 1, "no preference read for rows the page cannot hold");
}
