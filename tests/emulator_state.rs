#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! `chimescope emulator --state`: a snapshot in seed format plus a journal (issue 24), driven
//! through the built binary and the Rust SDK over loopback: SIGKILL during concurrent writers
//! loses no acknowledged write and leaves nothing half-applied; a torn last journal record is
//! dropped with a warning; a damaged one before it refuses to start and changes nothing; a
//! full disk (a file size limit) answers ServiceFailureException and keeps nothing; a second
//! emulator on the same state and a symlinked state are refused; the admin API's
//! `GET`/`POST /_chimescope/state` round-trip a seed.

#[path = "common/emu.rs"]
mod emu;

use aws_sdk_chimesdkidentity::Client;
use aws_sdk_chimesdkidentity::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_chimesdkidentity::error::ProvideErrorMetadata;
use aws_sdk_chimesdkidentity::types::{AppInstanceUserEndpointType, EndpointAttributes, Tag};
use emu::{BIN, INSTANCE, admin};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PINPOINT: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef";

fn sdk(url: &str) -> Client {
    let conf = aws_sdk_chimesdkidentity::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .retry_config(aws_sdk_chimesdkidentity::config::retry::RetryConfig::disabled())
        .timeout_config(
            aws_sdk_chimesdkidentity::config::timeout::TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(20))
                .build(),
        )
        .build();
    Client::from_conf(conf)
}

fn code<E: ProvideErrorMetadata, R>(e: &aws_sdk_chimesdkidentity::error::SdkError<E, R>) -> String {
    e.as_service_error().and_then(|s| s.code()).unwrap_or("(not a service error)").to_string()
}

/// A running `chimescope emulator`, its stderr kept in a file.
struct Proc {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Proc {
    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
    fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Start `sh -c "PREFIX exec chimescope emulator ARGS"`: Ok when it listens, Err(stderr) when
/// it exits first (within 20 s).
fn launch(dir: &Path, prefix: &str, args: &[&str]) -> Result<Proc, String> {
    let log = dir
        .join(format!("stderr-{}.log", std::time::SystemTime::now().elapsed().map_or(0, |d| d.as_nanos())));
    let log = if log.exists() { dir.join(format!("{}.2", log.display())) } else { log };
    let quoted: Vec<String> = args.iter().map(|a| shlex::try_quote(a).unwrap().into_owned()).collect();
    let script = format!("{prefix} exec {} emulator {}", shlex::try_quote(BIN).unwrap(), quoted.join(" "));
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let _ = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
    match line.trim().strip_prefix("listening on ") {
        Some(url) => Ok(Proc { child, url: url.to_string(), log }),
        None => {
            let deadline = Instant::now() + Duration::from_secs(20);
            while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let status = child.wait().unwrap();
            assert!(!status.success(), "a refusal exits non-zero");
            Err(std::fs::read_to_string(&log).unwrap_or_default())
        }
    }
}

fn start(dir: &Path, state: &Path) -> Proc {
    launch(dir, "", &["--state", state.to_str().unwrap()])
        .unwrap_or_else(|e| panic!("emulator did not start: {e}"))
}

/// Every file of a directory and its bytes (the test's own stderr logs left out).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("stderr-"))
        .map(|n| {
            let b = std::fs::read(dir.join(&n)).unwrap_or_default();
            (n, b)
        })
        .collect();
    out.sort();
    out
}

fn tags(n: usize) -> Vec<Tag> {
    (0..n).map(|k| Tag::builder().key(format!("k{k}")).value(format!("v{k}")).build().unwrap()).collect()
}

fn attrs(token: &str) -> EndpointAttributes {
    EndpointAttributes::builder().device_token(token).build().unwrap()
}

/// A small xorshift, seeded from the clock (printed, to replay a failure).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[derive(Default)]
struct Acked {
    users: Vec<String>,
    endpoints: Vec<(String, String, String)>,
}

/// One writer: create a user (with three tags, one write), register an endpoint on it, again,
/// until the emulator is gone; what was acknowledged.
async fn writer(c: Client, w: usize, round: usize) -> Acked {
    let mut acked = Acked::default();
    for k in 0..10_000 {
        let id = format!("w{round}-{w}-{k}");
        let Ok(out) = c
            .create_app_instance_user()
            .app_instance_arn(INSTANCE)
            .app_instance_user_id(&id)
            .name(&id)
            .set_tags(Some(tags(3)))
            .send()
            .await
        else {
            break;
        };
        let user = out.app_instance_user_arn.unwrap();
        acked.users.push(user.clone());
        let token = format!("tok-{id}");
        let Ok(out) = c
            .register_app_instance_user_endpoint()
            .app_instance_user_arn(&user)
            .r#type(AppInstanceUserEndpointType::Gcm)
            .resource_arn(PINPOINT)
            .endpoint_attributes(attrs(&token))
            .send()
            .await
        else {
            break;
        };
        acked.endpoints.push((user, out.endpoint_id.unwrap(), token));
    }
    acked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_eight_writers_loses_no_acknowledged_write_and_half_applies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    println!("random seed {seed}");
    let mut rng = Rng(seed);
    let mut all = Acked::default();
    for round in 0..20 {
        let mut p = start(dir.path(), &state);
        let c = sdk(&p.url);
        let tasks: Vec<_> = (0..8).map(|w| tokio::spawn(writer(c.clone(), w, round))).collect();
        tokio::time::sleep(Duration::from_millis(20 + rng.next() % 180)).await;
        p.kill9();
        for t in tasks {
            let a = t.await.unwrap();
            all.users.extend(a.users);
            all.endpoints.extend(a.endpoints);
        }
    }
    assert!(all.users.len() >= 20, "writes were acknowledged before the kills: {}", all.users.len());
    let p = start(dir.path(), &state);
    let c = sdk(&p.url);
    for u in &all.users {
        c.describe_app_instance_user()
            .app_instance_user_arn(u)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{u}: {e:?}"));
    }
    for (u, id, token) in &all.endpoints {
        let e = c
            .describe_app_instance_user_endpoint()
            .app_instance_user_arn(u)
            .endpoint_id(id)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{u} {id}: {e:?}"));
        assert_eq!(e.app_instance_user_endpoint.unwrap().endpoint_attributes.unwrap().device_token(), token);
    }
    // Every user a writer made, acknowledged or not, is whole: its three tags came with it.
    let mut next = None;
    let mut seen = 0;
    for _ in 0..1000 {
        let page = c
            .list_app_instance_users()
            .app_instance_arn(INSTANCE)
            .max_results(50)
            .set_next_token(next)
            .send()
            .await
            .unwrap();
        for u in page.app_instance_users() {
            let arn = u.app_instance_user_arn().unwrap();
            if arn.contains("/user/w") {
                seen += 1;
                let t = c.list_tags_for_resource().resource_arn(arn).send().await.unwrap();
                assert_eq!(t.tags().len(), 3, "{arn} is whole");
            }
        }
        next = page.next_token;
        if next.is_none() {
            break;
        }
    }
    assert!(seen >= all.users.len());
}

/// Three acknowledged writes, then SIGKILL: the state directory and the users written.
async fn three_writes(dir: &Path, state: &Path) -> Vec<String> {
    let mut p = start(dir, state);
    let c = sdk(&p.url);
    let mut users = Vec::new();
    for k in 0..3 {
        let out = c
            .create_app_instance_user()
            .app_instance_arn(INSTANCE)
            .app_instance_user_id(format!("j{k}"))
            .name("j")
            .send()
            .await
            .unwrap();
        users.push(out.app_instance_user_arn.unwrap());
    }
    p.kill9();
    users
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_torn_last_journal_record_is_dropped_with_a_warning_naming_its_offset() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let users = three_writes(dir.path(), &state).await;
    let journal = dir.path().join("state.json.journal");
    let len = std::fs::metadata(&journal).unwrap().len();
    // A crash mid-append: the start of a record, no end of line.
    let mut f = std::fs::OpenOptions::new().append(true).open(&journal).unwrap();
    std::io::Write::write_all(&mut f, b"0123456789abcdef {\"Write\": [[\"U\", \"arn:aws:chime").unwrap();
    drop(f);
    let p = start(dir.path(), &state);
    let c = sdk(&p.url);
    for u in &users {
        c.describe_app_instance_user().app_instance_user_arn(u).send().await.unwrap();
    }
    let log = p.stderr();
    assert!(log.contains("torn") && log.contains(&format!("offset={len}")), "{log}");
    assert_eq!(std::fs::metadata(&journal).unwrap().len(), len, "the torn record is cut off");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_record_before_the_last_refuses_to_start_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    three_writes(dir.path(), &state).await;
    let journal = dir.path().join("state.json.journal");
    let mut bytes = std::fs::read(&journal).unwrap();
    // The second line (the first write; the first line is the checkpoint): a byte flipped.
    let second = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let at = second + 40;
    bytes[at] ^= 0x01;
    std::fs::write(&journal, &bytes).unwrap();
    // A leftover temporary file too: a refusal removes nothing.
    std::fs::write(dir.path().join(".chimescope-stateXYZ"), b"{}").unwrap();
    let before = files(dir.path());
    let err = launch(dir.path(), "", &["--state", state.to_str().unwrap()]).err().expect("refused");
    assert!(err.contains(journal.to_str().unwrap()) && err.contains(&format!("byte {second}")), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(files(dir.path()), before, "the files are as they were");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leftovers_are_removed_and_a_second_emulator_and_a_symlink_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let leftover = dir.path().join(".chimescope-state1a2b3c");
    std::fs::write(&leftover, b"{\"AppInstanceUserEndpoints\": [\"a token\"]}").unwrap();
    let first = start(dir.path(), &state);
    assert!(!leftover.exists(), "a leftover temporary file is removed at start");
    let err =
        launch(dir.path(), "", &["--state", state.to_str().unwrap()]).err().expect("the second is refused");
    assert!(err.contains(state.to_str().unwrap()) && err.contains("in use by another emulator"), "{err}");
    // The first one still serves, and its writes are kept.
    let c = sdk(&first.url);
    c.describe_app_instance().app_instance_arn(INSTANCE).send().await.unwrap();
    drop(first);
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&state, &link).unwrap();
    let before = std::fs::read(&state).unwrap();
    let err =
        launch(dir.path(), "", &["--state", link.to_str().unwrap()]).err().expect("a symlink is refused");
    assert!(err.contains("symbolic link") && err.contains(link.to_str().unwrap()), "{err}");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is left alone");
    assert_eq!(std::fs::read(&state).unwrap(), before);
}

/// A seed of one instance and one user: a small snapshot, so that a file size limit is met by
/// the journal.
fn tiny_seed(dir: &Path) -> PathBuf {
    let p = dir.join("seed.json");
    let seed = serde_json::json!({
        "AppInstances": [{"AppInstanceArn": INSTANCE, "Name": "tiny"}],
        "AppInstanceUsers": [{"AppInstanceUserArn": format!("{INSTANCE}/user/t"), "Name": "t"}]
    });
    std::fs::write(&p, seed.to_string()).unwrap();
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_service_failure_and_keeps_nothing_it_did_not_persist() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("state");
    std::fs::create_dir(&sub).unwrap();
    let state = sub.join("state.json");
    let seed = tiny_seed(dir.path());
    let user = format!("{INSTANCE}/user/t");
    // 64 blocks of 512 bytes: the snapshot and a few records fit, not many.
    let p = launch(
        dir.path(),
        "ulimit -f 64;",
        &["--seed", seed.to_str().unwrap(), "--state", state.to_str().unwrap()],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let c = sdk(&p.url);
    let mut acked = Vec::new();
    let mut failed = None;
    for k in 0..200 {
        // Long tokens: each record is about 2 KB.
        let token = format!("{k:04}{}", "x".repeat(1500));
        let r = c
            .register_app_instance_user_endpoint()
            .app_instance_user_arn(&user)
            .r#type(AppInstanceUserEndpointType::Gcm)
            .resource_arn(PINPOINT)
            .endpoint_attributes(attrs(&token))
            .client_request_token(format!("crt-{k}"))
            .send()
            .await;
        match r {
            Ok(out) => {
                acked.push(out.endpoint_id.unwrap());
                if acked.len() == 10 {
                    // At the quota: free one, so that registrations keep coming.
                    let r = c
                        .deregister_app_instance_user_endpoint()
                        .app_instance_user_arn(&user)
                        .endpoint_id(&acked[0])
                        .send()
                        .await;
                    match r {
                        Ok(_) => {
                            acked.remove(0);
                        }
                        Err(e) => {
                            failed = Some(format!("{:?}", code(&e)));
                            break;
                        }
                    }
                }
            }
            Err(e) => {
                assert_eq!(code(&e), "ServiceFailureException", "{e:?}");
                let msg = e.as_service_error().and_then(|s| s.message()).unwrap_or("").to_string();
                assert!(
                    msg.contains("file size limit") && !msg.contains(dir.path().to_str().unwrap()),
                    "{msg}"
                );
                failed = Some(msg);
                break;
            }
        }
    }
    assert!(failed.is_some(), "the file size limit was met");
    // Nothing kept in memory that was not persisted.
    let listed = c.list_app_instance_user_endpoints().app_instance_user_arn(&user).send().await.unwrap();
    let mut ids: Vec<String> =
        listed.app_instance_user_endpoints().iter().map(|e| e.endpoint_id().unwrap().to_string()).collect();
    ids.sort();
    let mut want = acked.clone();
    want.sort();
    assert_eq!(ids, want, "the failed registration was rolled back");
    let log = p.stderr();
    assert!(log.contains("the journal could not be written") && log.contains("File too large"), "{log}");
    drop(p);
    // What a restart finds is exactly what was acknowledged.
    let p = start(dir.path(), &state);
    let c = sdk(&p.url);
    let listed = c.list_app_instance_user_endpoints().app_instance_user_arn(&user).send().await.unwrap();
    let mut ids: Vec<String> =
        listed.app_instance_user_endpoints().iter().map(|e| e.endpoint_id().unwrap().to_string()).collect();
    ids.sort();
    assert_eq!(ids, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_state_round_trips_through_the_admin_api_and_a_refused_document_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let demo = launch(dir.path(), "", &[]).unwrap();
    let body = get_state(&demo.url);
    drop(demo);
    // Loaded into an emulator with --state: answered back byte for byte, and written so.
    let state = dir.path().join("state.json");
    let p = launch(
        dir.path(),
        "",
        &["--seed", tiny_seed(dir.path()).to_str().unwrap(), "--state", state.to_str().unwrap()],
    )
    .unwrap();
    let (status, out) = admin(&p.url, "POST", "state", &body);
    assert_eq!(status, 200, "{out}");
    assert_eq!(get_state(&p.url), body);
    assert_eq!(std::fs::read_to_string(&state).unwrap(), body, "the new snapshot is the document");
    // Refused documents: invalid, or over the quotas as --seed is held to them.
    let bad = body.replacen("\"GCM\"", "\"SMS\"", 1);
    let (status, out) = admin(&p.url, "POST", "state", &bad);
    assert_eq!(status, 400, "{out}");
    assert!(out["Message"].as_str().unwrap_or("").contains("nothing was changed"), "{out}");
    assert_eq!(get_state(&p.url), body);
    // A restart serves it too; reset goes back to the seed.
    drop(p);
    let tiny = tiny_seed(dir.path());
    let p = launch(dir.path(), "", &["--seed", tiny.to_str().unwrap(), "--state", state.to_str().unwrap()])
        .unwrap();
    assert_eq!(get_state(&p.url), body);
    let (status, _) = admin(&p.url, "POST", "reset", "");
    assert_eq!(status, 200);
    assert!(!get_state(&p.url).contains("u-42"));
}

fn get_state(url: &str) -> String {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET /_chimescope/state HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_that_outgrows_its_snapshot_is_folded_into_it_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let journal = dir.path().join("state.json.journal");
    let seed = tiny_seed(dir.path());
    let user = format!("{INSTANCE}/user/t");
    let mut p =
        launch(dir.path(), "", &["--seed", seed.to_str().unwrap(), "--state", state.to_str().unwrap()])
            .unwrap_or_else(|e| panic!("{e}"));
    let c = sdk(&p.url);
    let mut kept: Vec<(String, String)> = Vec::new();
    let mut folded = false;
    // About 1.7 KB a registration: the journal passes 1 MiB (and the snapshot) in ~700.
    for k in 0..2000 {
        let token = format!("{k:05}{}", "y".repeat(1500));
        let id = c
            .register_app_instance_user_endpoint()
            .app_instance_user_arn(&user)
            .r#type(AppInstanceUserEndpointType::Gcm)
            .resource_arn(PINPOINT)
            .endpoint_attributes(attrs(&token))
            .send()
            .await
            .unwrap()
            .endpoint_id
            .unwrap();
        kept.push((id, token));
        if kept.len() == 10 {
            let (old, _) = kept.remove(0);
            c.deregister_app_instance_user_endpoint()
                .app_instance_user_arn(&user)
                .endpoint_id(old)
                .send()
                .await
                .unwrap();
        }
        if k > 700 && std::fs::metadata(&journal).unwrap().len() < 200_000 {
            folded = true;
            break;
        }
    }
    assert!(folded, "the journal was folded into the snapshot");
    let snapshot = std::fs::read_to_string(&state).unwrap();
    assert!(snapshot.len() > 10_000, "the snapshot holds the endpoints: {} bytes", snapshot.len());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".chimescope-state"))
        .collect();
    assert!(leftovers.is_empty(), "a compaction leaves no temporary file: {leftovers:?}");
    p.kill9();
    let p = start(dir.path(), &state);
    let c = sdk(&p.url);
    let listed = c.list_app_instance_user_endpoints().app_instance_user_arn(&user).send().await.unwrap();
    let mut ids: Vec<String> =
        listed.app_instance_user_endpoints().iter().map(|e| e.endpoint_id().unwrap().to_string()).collect();
    ids.sort();
    let mut want: Vec<String> = kept.iter().map(|(id, _)| id.clone()).collect();
    want.sort();
    assert_eq!(ids, want);
    for (id, token) in &kept {
        let e = c
            .describe_app_instance_user_endpoint()
            .app_instance_user_arn(&user)
            .endpoint_id(id)
            .send()
            .await
            .unwrap();
        assert_eq!(e.app_instance_user_endpoint.unwrap().endpoint_attributes.unwrap().device_token(), token);
    }
}

/// A send that a full disk rolls back leaves no push-log line: each acknowledged send left
/// one line per member (the sender, without devices; a member with one), the refused one none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_rolled_back_by_a_full_disk_leaves_no_push_line() {
    use aws_sdk_chimesdkmessaging::types::{
        ChannelMessagePersistenceType, ChannelMessageType, PushNotificationConfiguration,
        PushNotificationType,
    };
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("state");
    std::fs::create_dir(&sub).unwrap();
    let state = sub.join("state.json");
    let (sender, member) = (format!("{INSTANCE}/user/t"), format!("{INSTANCE}/user/r"));
    let channel = format!("{INSTANCE}/channel/c");
    let app = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef";
    let seed = serde_json::json!({
        "AppInstances": [{"AppInstanceArn": INSTANCE, "Name": "tiny"}],
        "AppInstanceUsers": [{"AppInstanceUserArn": sender, "Name": "t"}, {"AppInstanceUserArn": member, "Name": "r"}],
        "AppInstanceUserEndpoints": [{"AppInstanceUserArn": member, "EndpointId": "e", "Type": "APNS",
            "ResourceArn": app, "EndpointAttributes": {"DeviceToken": "ab".repeat(32)}, "AllowMessages": "ALL",
            "EndpointState": {"Status": "ACTIVE"}}],
        "PinpointApps": [{"Arn": app, "Name": "p", "Channels": {"APNS": {"Enabled": true}}}],
        "Channels": [{"ChannelArn": channel, "Name": "c"}],
        "ChannelMemberships": [{"ChannelArn": channel, "Member": {"Arn": sender}},
                               {"ChannelArn": channel, "Member": {"Arn": member}}]
    });
    let seed_path = dir.path().join("seed.json");
    std::fs::write(&seed_path, seed.to_string()).unwrap();
    let p = launch(
        dir.path(),
        "ulimit -f 64;",
        &["--seed", seed_path.to_str().unwrap(), "--state", state.to_str().unwrap()],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let conf = aws_sdk_chimesdkmessaging::Config::builder()
        .behavior_version(aws_sdk_chimesdkmessaging::config::BehaviorVersion::latest())
        .region(aws_sdk_chimesdkmessaging::config::Region::new("us-east-1"))
        .endpoint_url(&p.url)
        .credentials_provider(aws_sdk_chimesdkmessaging::config::Credentials::new(
            "AKIDTEST", "secret", None, None, "test",
        ))
        .retry_config(aws_sdk_chimesdkmessaging::config::retry::RetryConfig::disabled())
        .build();
    let c = aws_sdk_chimesdkmessaging::Client::from_conf(conf);
    let mut acked = Vec::new();
    let mut refused = false;
    for k in 0..100 {
        // Long messages: each journal line is about 4 KB.
        let r = c
            .send_channel_message()
            .channel_arn(&channel)
            .content(format!("{k:04}{}", "x".repeat(4000)))
            .r#type(ChannelMessageType::Standard)
            .persistence(ChannelMessagePersistenceType::Persistent)
            .push_notification(
                PushNotificationConfiguration::builder()
                    .title("t")
                    .body("b")
                    .r#type(PushNotificationType::Default)
                    .build(),
            )
            .chime_bearer(&sender)
            .send()
            .await;
        match r {
            Ok(out) => acked.push(out.message_id().unwrap().to_string()),
            Err(e) => {
                let code = e.as_service_error().and_then(|s| s.code()).unwrap_or("").to_string();
                assert_eq!(code, "ServiceFailureException", "{e:?}");
                refused = true;
                break;
            }
        }
    }
    assert!(refused && !acked.is_empty(), "the file size limit was met after some sends");
    let (status, page) = admin(&p.url, "GET", "pushes", "");
    assert_eq!(status, 200, "{page}");
    let lines = page["Pushes"].as_array().unwrap();
    assert_eq!(lines.len(), 2 * acked.len(), "{page}");
    for l in lines {
        assert!(acked.iter().any(|id| l["MessageId"] == id.as_str()), "a line of a send rolled back: {l}");
    }
    let sent = lines.iter().filter(|l| l["Outcome"] == "SENT" && l["EndpointId"] == "e").count();
    assert_eq!(sent, acked.len());
}
