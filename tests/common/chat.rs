//! A seed for the Messaging tests: one app instance with an admin (alice), two users (bob,
//! carol) and a bot, and no channels yet.
#![allow(dead_code)]

use serde_json::{Value, json};

pub const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/chat";
pub const ALICE: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/chat/user/alice";
pub const BOB: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/chat/user/bob";
pub const CAROL: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/chat/user/carol";
pub const BOT: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/chat/bot/helper";
pub const DAVE: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/chat/user/dave";

pub fn seed() -> Value {
    json!({
        "AppInstances": [{"AppInstanceArn": INST, "Name": "Chat", "CreatedTimestamp": 1700000000}],
        "AppInstanceUsers": [
            {"AppInstanceUserArn": ALICE, "Name": "Alice", "CreatedTimestamp": 1700000000},
            {"AppInstanceUserArn": BOB, "Name": "Bob", "CreatedTimestamp": 1700000000},
            {"AppInstanceUserArn": CAROL, "Name": "Carol", "CreatedTimestamp": 1700000000}
        ],
        "AppInstanceBots": [{"AppInstanceBotArn": BOT, "Name": "Helper",
            "Configuration": {"Lex": {"RespondsTo": "STANDARD_MESSAGES",
                "LexBotAliasArn": "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST",
                "LocaleId": "en_US"}}}],
        "AppInstanceAdmins": [{"AppInstanceArn": INST, "Admin": {"Arn": ALICE, "Name": "Alice"}}]
    })
}

/// Write the seed (with `extra` lists merged in) under `dir`; its path.
pub fn write_seed(dir: &std::path::Path, extra: Value) -> std::path::PathBuf {
    let mut s = seed();
    for (k, v) in extra.as_object().into_iter().flatten() {
        s[k] = v.clone();
    }
    let path = dir.join("seed.json");
    std::fs::write(&path, s.to_string()).unwrap();
    path
}
