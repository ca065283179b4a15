#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The AWS CLI drives every one of the service's 30 operations against the emulator process:
//! create → describe → list → update → delete for each resource, and every exception the model
//! names for them at least once (issue 12).
//!
//! The CLI is found at `$CHIMESCOPE_AWS_CLI`, then `.venv-awscli/bin/aws`, then `aws` on PATH;
//! under CI it must be there, elsewhere a missing CLI skips these tests with a message.

#[path = "common/awscli.rs"]
mod awscli;
#[path = "common/emu.rs"]
mod emu;

use emu::{EmuProc, admin};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Output;

struct Cli {
    bin: PathBuf,
    url: String,
    key: String,
    region: String,
    /// Operations called, by the CLI's name.
    called: std::cell::RefCell<BTreeSet<String>>,
}

impl Cli {
    fn new(bin: &std::path::Path, url: &str) -> Self {
        Cli {
            bin: bin.to_path_buf(),
            url: url.to_string(),
            key: "AKIDTEST".into(),
            region: "us-east-1".into(),
            called: Default::default(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        self.called.borrow_mut().insert(args[0].to_string());
        let home = tempfile::tempdir().unwrap();
        awscli::command(&self.bin, &self.url, &self.key, "secret", home.path())
            .args(args)
            .args(["--region", &self.region])
            .output()
            .expect("run the AWS CLI")
    }

    /// A successful call's JSON (`{}` for an empty answer).
    fn ok(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        let (o, e) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "aws {args:?} failed: {o}\n{e}");
        if o.trim().is_empty() {
            Value::Object(Default::default())
        } else {
            serde_json::from_str(&o).unwrap()
        }
    }

    /// A failed call: it names `exception` and exits as on a service error.
    fn fails(&self, exception: &str, args: &[&str]) -> String {
        let out = self.run(args);
        let e = String::from_utf8_lossy(&out.stderr).into_owned();
        // AWS CLI v2 exits 254 on a service error, v1 255.
        assert!(matches!(out.status.code(), Some(254 | 255)), "aws {args:?}: {e}");
        assert!(e.contains(&format!("({exception})")), "aws {args:?}: wanted {exception}: {e}");
        e
    }
}

const LEX: &str = r#"{"Lex": {"RespondsTo": "STANDARD_MESSAGES", "LexBotAliasArn": "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST", "LocaleId": "en_US"}}"#;
const PINPOINT: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef";

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("{k} in {v}"))
}

#[test]
fn every_operation_round_trips_through_the_aws_cli() {
    let Some(bin) = awscli::find() else { return };
    let emu = EmuProc::start(&[]);
    let cli = Cli::new(&bin, &emu.url);

    // App instance.
    let created = cli.ok(&[
        "create-app-instance",
        "--name",
        "Team chat",
        "--metadata",
        "m1",
        "--tags",
        "Key=env,Value=test",
    ]);
    let inst = s(&created, "AppInstanceArn").to_string();
    assert!(inst.starts_with("arn:aws:chime:us-east-1:123456789012:app-instance/"), "{inst}");
    let d = cli.ok(&["describe-app-instance", "--app-instance-arn", &inst]);
    assert_eq!(d["AppInstance"]["Name"], "Team chat");
    assert_eq!(d["AppInstance"]["Metadata"], "m1");
    assert!(d["AppInstance"]["CreatedTimestamp"].is_number(), "{d}");
    let l = cli.ok(&["list-app-instances", "--max-results", "50"]);
    assert!(l["AppInstances"].as_array().unwrap().iter().any(|i| i["AppInstanceArn"] == inst.as_str()));
    cli.ok(&[
        "update-app-instance",
        "--app-instance-arn",
        &inst,
        "--name",
        "Team chat 2",
        "--metadata",
        "m2",
    ]);
    let d = cli.ok(&["describe-app-instance", "--app-instance-arn", &inst]);
    assert_eq!(
        (d["AppInstance"]["Name"].as_str(), d["AppInstance"]["Metadata"].as_str()),
        (Some("Team chat 2"), Some("m2"))
    );

    // Retention settings.
    let r = cli.ok(&[
        "put-app-instance-retention-settings",
        "--app-instance-arn",
        &inst,
        "--app-instance-retention-settings",
        "ChannelRetentionSettings={RetentionDays=60}",
    ]);
    assert_eq!(r["AppInstanceRetentionSettings"]["ChannelRetentionSettings"]["RetentionDays"], 60);
    let r = cli.ok(&["get-app-instance-retention-settings", "--app-instance-arn", &inst]);
    assert_eq!(r["AppInstanceRetentionSettings"]["ChannelRetentionSettings"]["RetentionDays"], 60);

    // User, with expiration settings.
    let u = cli.ok(&[
        "create-app-instance-user",
        "--app-instance-arn",
        &inst,
        "--app-instance-user-id",
        "alice",
        "--name",
        "Alice",
        "--expiration-settings",
        "ExpirationDays=30,ExpirationCriterion=CREATED_TIMESTAMP",
    ]);
    let user = s(&u, "AppInstanceUserArn").to_string();
    assert_eq!(user, format!("{inst}/user/alice"));
    let d = cli.ok(&["describe-app-instance-user", "--app-instance-user-arn", &user]);
    assert_eq!(d["AppInstanceUser"]["ExpirationSettings"]["ExpirationDays"], 30);
    let l = cli.ok(&["list-app-instance-users", "--app-instance-arn", &inst]);
    assert_eq!(l["AppInstanceUsers"].as_array().unwrap().len(), 1);
    assert_eq!(l["AppInstanceArn"], inst.as_str());
    cli.ok(&[
        "update-app-instance-user",
        "--app-instance-user-arn",
        &user,
        "--name",
        "Alice B",
        "--metadata",
        "x",
    ]);
    let p = cli.ok(&[
        "put-app-instance-user-expiration-settings",
        "--app-instance-user-arn",
        &user,
        "--expiration-settings",
        "ExpirationDays=90,ExpirationCriterion=CREATED_TIMESTAMP",
    ]);
    assert_eq!(p["ExpirationSettings"]["ExpirationDays"], 90);
    let d = cli.ok(&["describe-app-instance-user", "--app-instance-user-arn", &user]);
    assert_eq!(d["AppInstanceUser"]["Name"], "Alice B");
    assert_eq!(d["AppInstanceUser"]["ExpirationSettings"]["ExpirationDays"], 90);

    // Endpoint.
    let e = cli.ok(&[
        "register-app-instance-user-endpoint",
        "--app-instance-user-arn",
        &user,
        "--type",
        "GCM",
        "--resource-arn",
        PINPOINT,
        "--endpoint-attributes",
        "DeviceToken=tok-1",
        "--name",
        "phone",
    ]);
    let id = s(&e, "EndpointId").to_string();
    assert_eq!(e["AppInstanceUserArn"], user.as_str());
    let d = cli.ok(&[
        "describe-app-instance-user-endpoint",
        "--app-instance-user-arn",
        &user,
        "--endpoint-id",
        &id,
    ]);
    let ep = &d["AppInstanceUserEndpoint"];
    assert_eq!((ep["Type"].as_str(), ep["AllowMessages"].as_str()), (Some("GCM"), Some("ALL")));
    assert_eq!(ep["EndpointState"]["Status"], "ACTIVE");
    assert_eq!(ep["EndpointAttributes"]["DeviceToken"], "tok-1");
    let l = cli.ok(&["list-app-instance-user-endpoints", "--app-instance-user-arn", &user]);
    assert_eq!(l["AppInstanceUserEndpoints"].as_array().unwrap().len(), 1);
    cli.ok(&[
        "update-app-instance-user-endpoint",
        "--app-instance-user-arn",
        &user,
        "--endpoint-id",
        &id,
        "--name",
        "old phone",
        "--allow-messages",
        "NONE",
    ]);
    let d = cli.ok(&[
        "describe-app-instance-user-endpoint",
        "--app-instance-user-arn",
        &user,
        "--endpoint-id",
        &id,
    ]);
    let ep = &d["AppInstanceUserEndpoint"];
    assert_eq!((ep["Name"].as_str(), ep["AllowMessages"].as_str()), (Some("old phone"), Some("NONE")));
    assert_eq!(
        ep["EndpointAttributes"]["DeviceToken"], "tok-1",
        "update changes Name and AllowMessages only"
    );
    cli.ok(&[
        "deregister-app-instance-user-endpoint",
        "--app-instance-user-arn",
        &user,
        "--endpoint-id",
        &id,
    ]);
    let l = cli.ok(&["list-app-instance-user-endpoints", "--app-instance-user-arn", &user]);
    assert_eq!(l["AppInstanceUserEndpoints"].as_array().unwrap().len(), 0);

    // Bot.
    let b = cli.ok(&[
        "create-app-instance-bot",
        "--app-instance-arn",
        &inst,
        "--name",
        "Helper",
        "--configuration",
        LEX,
    ]);
    let bot = s(&b, "AppInstanceBotArn").to_string();
    assert!(bot.starts_with(&format!("{inst}/bot/")), "{bot}");
    let d = cli.ok(&["describe-app-instance-bot", "--app-instance-bot-arn", &bot]);
    assert_eq!(d["AppInstanceBot"]["Configuration"]["Lex"]["LocaleId"], "en_US");
    let l = cli.ok(&["list-app-instance-bots", "--app-instance-arn", &inst]);
    assert_eq!(l["AppInstanceBots"][0]["AppInstanceBotArn"], bot.as_str());
    cli.ok(&[
        "update-app-instance-bot",
        "--app-instance-bot-arn",
        &bot,
        "--name",
        "Helper 2",
        "--metadata",
        "b",
    ]);
    let d = cli.ok(&["describe-app-instance-bot", "--app-instance-bot-arn", &bot]);
    assert_eq!(d["AppInstanceBot"]["Name"], "Helper 2");

    // Admins: the user and the bot.
    for who in [&user, &bot] {
        let a = cli.ok(&[
            "create-app-instance-admin",
            "--app-instance-admin-arn",
            who,
            "--app-instance-arn",
            &inst,
        ]);
        assert_eq!(a["AppInstanceAdmin"]["Arn"], who.as_str());
    }
    let d = cli.ok(&[
        "describe-app-instance-admin",
        "--app-instance-admin-arn",
        &user,
        "--app-instance-arn",
        &inst,
    ]);
    assert_eq!(d["AppInstanceAdmin"]["Admin"]["Name"], "Alice B");
    let l = cli.ok(&["list-app-instance-admins", "--app-instance-arn", &inst]);
    assert_eq!(l["AppInstanceAdmins"].as_array().unwrap().len(), 2);
    cli.ok(&["delete-app-instance-admin", "--app-instance-admin-arn", &bot, "--app-instance-arn", &inst]);
    let l = cli.ok(&["list-app-instance-admins", "--app-instance-arn", &inst]);
    assert_eq!(l["AppInstanceAdmins"].as_array().unwrap().len(), 1);

    // Tags on the instance, the user and the bot.
    for arn in [&inst, &user, &bot] {
        cli.ok(&["tag-resource", "--resource-arn", arn, "--tags", "Key=team,Value=blue", "Key=tier,Value=1"]);
    }
    let t = cli.ok(&["list-tags-for-resource", "--resource-arn", &inst]);
    assert_eq!(
        t["Tags"],
        serde_json::json!([{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "blue"}, {"Key": "tier", "Value": "1"}])
    );
    cli.ok(&["untag-resource", "--resource-arn", &inst, "--tag-keys", "env", "tier"]);
    let t = cli.ok(&["list-tags-for-resource", "--resource-arn", &inst]);
    assert_eq!(t["Tags"], serde_json::json!([{"Key": "team", "Value": "blue"}]));

    // Deletes cascade: the bot, then the user (its admin role goes with it), then the instance.
    cli.ok(&["delete-app-instance-bot", "--app-instance-bot-arn", &bot]);
    cli.fails("NotFoundException", &["describe-app-instance-bot", "--app-instance-bot-arn", &bot]);
    let e = cli.ok(&[
        "register-app-instance-user-endpoint",
        "--app-instance-user-arn",
        &user,
        "--type",
        "APNS",
        "--resource-arn",
        PINPOINT,
        "--endpoint-attributes",
        "DeviceToken=tok-2",
    ]);
    let id2 = s(&e, "EndpointId").to_string();
    cli.ok(&["delete-app-instance-user", "--app-instance-user-arn", &user]);
    let l = cli.ok(&["list-app-instance-admins", "--app-instance-arn", &inst]);
    assert_eq!(l["AppInstanceAdmins"].as_array().unwrap().len(), 0, "a deleted user is no admin");
    cli.fails(
        "NotFoundException",
        &["describe-app-instance-user-endpoint", "--app-instance-user-arn", &user, "--endpoint-id", &id2],
    );
    cli.ok(&[
        "create-app-instance-user",
        "--app-instance-arn",
        &inst,
        "--app-instance-user-id",
        "bob",
        "--name",
        "Bob",
    ]);
    cli.ok(&["delete-app-instance", "--app-instance-arn", &inst]);
    cli.fails(
        "NotFoundException",
        &["describe-app-instance-user", "--app-instance-user-arn", &format!("{inst}/user/bob")],
    );
    cli.fails("NotFoundException", &["describe-app-instance", "--app-instance-arn", &inst]);

    let called = cli.called.borrow();
    assert_eq!(called.len(), 30, "every operation of the service: {called:?}");
}

#[test]
fn every_modelled_exception_through_the_aws_cli() {
    let Some(bin) = awscli::find() else { return };
    let emu = EmuProc::start(&["--quota", "ListAppInstances=0.001", "--account", "AKIDOTHER=210987654321"]);
    let cli = Cli::new(&bin, &emu.url);
    let inst = s(&cli.ok(&["create-app-instance", "--name", "E"]), "AppInstanceArn").to_string();
    let user = s(
        &cli.ok(&[
            "create-app-instance-user",
            "--app-instance-arn",
            &inst,
            "--app-instance-user-id",
            "u",
            "--name",
            "U",
        ]),
        "AppInstanceUserArn",
    )
    .to_string();

    // BadRequest: a Name longer than the model allows.
    let long = "n".repeat(257);
    cli.fails(
        "BadRequestException",
        &["update-app-instance", "--app-instance-arn", &inst, "--name", &long, "--metadata", ""],
    );
    // Conflict: the same user ID again; the same device token for the same user and type.
    cli.fails(
        "ConflictException",
        &[
            "create-app-instance-user",
            "--app-instance-arn",
            &inst,
            "--app-instance-user-id",
            "u",
            "--name",
            "U",
        ],
    );
    let reg = |tok: &str| {
        cli.run(&[
            "register-app-instance-user-endpoint",
            "--app-instance-user-arn",
            &user,
            "--type",
            "GCM",
            "--resource-arn",
            PINPOINT,
            "--endpoint-attributes",
            &format!("DeviceToken={tok}"),
        ])
    };
    assert!(reg("same").status.success());
    let e = cli.fails(
        "ConflictException",
        &[
            "register-app-instance-user-endpoint",
            "--app-instance-user-arn",
            &user,
            "--type",
            "GCM",
            "--resource-arn",
            PINPOINT,
            "--endpoint-attributes",
            "DeviceToken=same",
        ],
    );
    assert!(!e.contains("same."), "the device token is not quoted: {e}");
    // ResourceLimitExceeded: the 11th endpoint of a user.
    for k in 2..=10 {
        assert!(reg(&format!("t{k}")).status.success(), "endpoint {k}");
    }
    cli.fails(
        "ResourceLimitExceededException",
        &[
            "register-app-instance-user-endpoint",
            "--app-instance-user-arn",
            &user,
            "--type",
            "GCM",
            "--resource-arn",
            PINPOINT,
            "--endpoint-attributes",
            "DeviceToken=t11",
        ],
    );
    // Throttled: a bucket of one request per 1,000 s.
    cli.ok(&["list-app-instances"]);
    cli.fails("ThrottledClientException", &["list-app-instances"]);
    // Forbidden: another account's instance.
    let other = Cli { key: "AKIDOTHER".into(), ..Cli::new(&bin, &emu.url) };
    other.fails("ForbiddenException", &["describe-app-instance", "--app-instance-arn", &inst]);
    // NotFound (modelled for DescribeAppInstanceBot).
    cli.fails(
        "NotFoundException",
        &["describe-app-instance-bot", "--app-instance-bot-arn", &format!("{inst}/bot/none")],
    );
    // Unauthorized, ServiceUnavailable, ServiceFailure: injected through the admin API.
    for (kind, exception) in [
        ("unauthorized", "UnauthorizedClientException"),
        ("unavailable", "ServiceUnavailableException"),
        ("failure", "ServiceFailureException"),
    ] {
        let (st, _) =
            admin(&emu.url, "POST", "faults", &format!(r#"{{"Fault": "DescribeAppInstance:{kind}:1"}}"#));
        assert_eq!(st, 200);
        cli.fails(exception, &["describe-app-instance", "--app-instance-arn", &inst]);
    }
    cli.ok(&["describe-app-instance", "--app-instance-arn", &inst]);
}
