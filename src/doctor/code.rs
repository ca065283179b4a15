//! The registry of findings: every code the doctor can report, with the severities it can have,
//! the gate of a push's path it is about, its words (a title, and the fix when the rule has no
//! more specific one), whether a list row can show it and whether its fix is a re-registration.
//! A new finding is one entry here and the check that emits it; the list rows, the verdict, the
//! trace, the JSON, the text, the browser's Diagnosis and the scan's reports all ask this table.
//! Every fix names what the APIs can carry out (an update changes only Name and AllowMessages;
//! a device token or a ResourceArn needs a new registration, and a user's token can be
//! registered once, so the same token needs the old endpoint deregistered first).

use super::Severity;
use std::fmt;

/// The gate of a push's path a finding is about, in the path's order: the member's channel
/// preferences, the endpoint's record, the user's endpoints and expiry, the Pinpoint app and
/// channel. The doctor's trace counts an endpoint's errors by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Membership,
    Endpoint,
    User,
    Channel,
}

/// One registry entry: the code as written (`messages-off`), its severities (the first is the
/// one a finding gets unless its rule grades it), the gate it is about, whether a row can show
/// it, whether its fix is a re-registration, and its words.
macro_rules! registry {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident = $code:literal, [$($sev:ident),+], stage: $stage:ident, row: $row:literal, reregister: $rereg:literal,
            title: $title:literal,
            fix: $fix:literal;
    )+) => {
        /// A finding's code: the stable string of the JSON and text outputs, as a type.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $name,)+
        }

        impl Code {
            /// Every code, in the registry's order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)+];

            /// The code as the outputs write it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $code,)+
                }
            }

            /// The severities a finding of this code can have, the usual one first.
            pub fn severities(self) -> &'static [Severity] {
                match self {
                    $(Code::$name => &[$(Severity::$sev),+],)+
                }
            }

            /// The gate of a push's path the finding is about.
            pub fn stage(self) -> Stage {
                match self {
                    $(Code::$name => Stage::$stage,)+
                }
            }

            /// Whether a list row can show it: it needs only what a summary holds (the state and
            /// AllowMessages), which is also what the verdict already says from the state.
            pub fn in_rows(self) -> bool {
                match self {
                    $(Code::$name => $row,)+
                }
            }

            /// Whether its fix is a re-registration (a new endpoint, then the old one
            /// deregistered): what an update cannot change, a device token or a ResourceArn. The
            /// browser offers `R` on them.
            pub fn reregister(self) -> bool {
                match self {
                    $(Code::$name => $rereg,)+
                }
            }

            /// What the finding is about, in a few words.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$name => $title,)+
                }
            }

            /// The fix in words (a rule may give a more specific one, naming the channel or
            /// the token's defect).
            pub fn fix(self) -> &'static str {
                match self {
                    $(Code::$name => $fix,)+
                }
            }
        }
    };
}

registry! {
    /// The endpoint's state: the push service rejected the token.
    InactiveDeviceToken = "inactive-device-token", [Error], stage: Endpoint, row: true, reregister: true,
        title: "the endpoint is INACTIVE: its device token was rejected",
        fix: "register a new endpoint with the app's fresh device token (RegisterAppInstanceUserEndpoint), then deregister this one; an update cannot change a token";
    /// The endpoint's state: its ResourceArn names no usable Pinpoint app.
    InactivePinpointArn = "inactive-pinpoint-arn", [Error], stage: Endpoint, row: true, reregister: true,
        title: "the endpoint is INACTIVE: its ResourceArn names no usable AWS End User Messaging push (Pinpoint API) app",
        fix: "register a new endpoint whose ResourceArn names an existing AWS End User Messaging push (Pinpoint API) app with the channel for its Type (RegisterAppInstanceUserEndpoint), then deregister this one; with the same token, deregister this one first (a user's token can be registered once); an update cannot change a ResourceArn";
    /// AllowMessages NONE.
    MessagesOff = "messages-off", [Warning], stage: Endpoint, row: true, reregister: false,
        title: "the user opted out of messages (AllowMessages NONE)",
        fix: "if the user did not opt out, update the endpoint with AllowMessages ALL (UpdateAppInstanceUserEndpoint)";
    /// A VoIP token on an FCM endpoint.
    VoipTokenOnGcm = "voip-token-on-gcm", [Warning], stage: Endpoint, row: false, reregister: false,
        title: "a VoipDeviceToken on a GCM endpoint",
        fix: "register the GCM endpoint again without the VoipDeviceToken (deregister this one, DeregisterAppInstanceUserEndpoint, then RegisterAppInstanceUserEndpoint), and the VoIP token on an APNS / APNS_SANDBOX endpoint; an update cannot change a token";
    /// A token whose shape does not fit the endpoint's Type (graded by the defect).
    TokenShape = "token-shape", [Error, Warning, Info], stage: Endpoint, row: false, reregister: false,
        title: "a device token whose shape does not fit the endpoint's Type",
        fix: "register the token as the push service gave it to the app (RegisterAppInstanceUserEndpoint; for an existing endpoint, then deregister the old one, DeregisterAppInstanceUserEndpoint, since an update cannot change a token)";
    /// A ResourceArn that is no Pinpoint app ARN.
    ResourceNotPinpoint = "resource-not-pinpoint", [Error], stage: Endpoint, row: false, reregister: false,
        title: "ResourceArn is not an AWS End User Messaging push (Pinpoint API) app ARN",
        fix: "register the endpoint with the ARN of the AWS End User Messaging push (Pinpoint API) app that holds the channel as its ResourceArn (RegisterAppInstanceUserEndpoint; for an existing endpoint deregister it first, DeregisterAppInstanceUserEndpoint, since an update cannot change a ResourceArn)";
    /// The Pinpoint app in another region than the user.
    ResourceRegionMismatch = "resource-region-mismatch", [Warning], stage: Endpoint, row: false, reregister: false,
        title: "the AWS End User Messaging push (Pinpoint API) app is in another region than the user",
        fix: "register the endpoint with a ResourceArn of an app in the app instance's region (RegisterAppInstanceUserEndpoint; for an existing endpoint deregister it first, DeregisterAppInstanceUserEndpoint, since an update cannot change a ResourceArn)";
    /// The Pinpoint app in another account than the user.
    ResourceAccountMismatch = "resource-account-mismatch", [Error], stage: Endpoint, row: false, reregister: false,
        title: "the AWS End User Messaging push (Pinpoint API) app is in another account than the user",
        fix: "register the endpoint with a ResourceArn of an app in the app instance's account (RegisterAppInstanceUserEndpoint; for an existing endpoint deregister it first, DeregisterAppInstanceUserEndpoint, since an update cannot change a ResourceArn)";
    /// An FCM token older than FCM keeps idle ones.
    StaleFcmToken = "stale-fcm-token", [Warning], stage: Endpoint, row: false, reregister: true,
        title: "an FCM token registered longer ago than FCM keeps idle tokens",
        fix: "the app should get a fresh FCM token and register it as a new endpoint (RegisterAppInstanceUserEndpoint), then deregister this one; a test push tells for certain";
    /// One token on an APNS and an APNS_SANDBOX endpoint.
    TokenInBothApnsEnvironments = "token-in-both-apns-environments", [Warning], stage: User, row: false, reregister: false,
        title: "one device token in both APNs environments",
        fix: "keep the endpoint whose Type matches the app's build (App Store / TestFlight: APNS; development: APNS_SANDBOX) and deregister the other (DeregisterAppInstanceUserEndpoint)";
    /// Endpoints of one user holding the same token.
    DuplicateDeviceToken = "duplicate-device-token", [Warning], stage: User, row: false, reregister: false,
        title: "endpoints of the user holding the same device token",
        fix: "deregister the older endpoints (DeregisterAppInstanceUserEndpoint); the app should deregister at sign-out";
    /// The user at its endpoint limit (an error for a registration, which would fail).
    EndpointLimit = "endpoint-limit", [Warning, Error], stage: User, row: false, reregister: false,
        title: "the user has as many endpoints as it may have",
        fix: "deregister endpoints of devices no longer in use (DeregisterAppInstanceUserEndpoint)";
    /// The user's ExpirationSettings near or past.
    UserExpires = "user-expires", [Warning, Error], stage: User, row: false, reregister: false,
        title: "the user's ExpirationSettings delete it (with its endpoints) soon or already",
        fix: "extend or clear the ExpirationSettings (PutAppInstanceUserExpirationSettings)";
    /// GetApp: NotFound.
    PinpointAppMissing = "pinpoint-app-missing", [Error], stage: Channel, row: false, reregister: true,
        title: "the AWS End User Messaging push (Pinpoint API) app that ResourceArn names does not exist",
        fix: "register a new endpoint whose ResourceArn names an existing app with the channel for the endpoint's Type (RegisterAppInstanceUserEndpoint), then deregister this one; with the same token, deregister this one first (a user's token can be registered once); CreateApp makes an app under a new ID, never this ARN";
    /// The channel the Type needs is missing (a warning for the VoIP channel).
    PinpointChannelMissing = "pinpoint-channel-missing", [Error, Warning], stage: Channel, row: false, reregister: false,
        title: "the AWS End User Messaging push (Pinpoint API) app has no channel for the endpoint's Type",
        fix: "configure the app's channel for the Type with its Update*Channel (AWS End User Messaging push (Pinpoint API))";
    /// The channel the Type needs is disabled (a warning for the VoIP channel).
    PinpointChannelDisabled = "pinpoint-channel-disabled", [Error, Warning], stage: Channel, row: false, reregister: false,
        title: "the app's channel for the endpoint's Type is disabled",
        fix: "enable the channel (its Update*Channel with Enabled true, AWS End User Messaging push (Pinpoint API))";
    /// The channel the Type needs is archived (a warning for the VoIP channel).
    PinpointChannelArchived = "pinpoint-channel-archived", [Error, Warning], stage: Channel, row: false, reregister: false,
        title: "the app's channel for the endpoint's Type is archived",
        fix: "configure the channel again (its Update*Channel, AWS End User Messaging push (Pinpoint API)), or deregister the endpoint and register its token with a ResourceArn naming an app whose channel is live";
    /// The GCM channel on the legacy FCM server key.
    PinpointGcmLegacyKey = "pinpoint-gcm-legacy-key", [Error], stage: Channel, row: false, reregister: false,
        title: "the GCM channel authenticates with a legacy FCM server key",
        fix: "give the GCM channel FCM service-account credentials (UpdateGcmChannel with ServiceJson, DefaultAuthenticationMethod TOKEN)";
    /// FCM service credentials uploaded while the GCM channel still defaults to the key.
    PinpointFcmKeyDefault = "pinpoint-fcm-key-default", [Error], stage: Channel, row: false, reregister: false,
        title: "the GCM channel has FCM service credentials but still sends with the legacy key (DefaultAuthenticationMethod KEY)",
        fix: "set the GCM channel's DefaultAuthenticationMethod to TOKEN (UpdateGcmChannel); FCM's legacy key API is shut down";
    /// APNs certificate auth with a certificate uploaded long ago.
    PinpointApnsCertificateOld = "pinpoint-apns-certificate-old", [Warning], stage: Channel, row: false, reregister: false,
        title: "the APNs channel authenticates with a certificate uploaded about a year ago or more",
        fix: "APNs certificates expire after a year: upload a new one, or switch the channel to token authentication (a .p8 key, which does not expire), with its Update*Channel (AWS End User Messaging push (Pinpoint API))";
    /// The user is not a member of the channel asked about.
    NotAMember = "not-a-member", [Error], stage: Membership, row: false, reregister: false,
        title: "the user is not a member of the channel",
        fix: "add the user to the channel (CreateChannelMembership, as a moderator of the channel or an AppInstanceAdmin)";
    /// The member muted the channel (AllowNotifications NONE).
    ChannelMuted = "channel-muted", [Error, Warning], stage: Membership, row: false, reregister: false,
        title: "the user muted the channel (AllowNotifications NONE)",
        fix: "if the user did not mean to mute it, set its preferences to ALL as the member (PutChannelMembershipPreferences, x-amz-chime-bearer the user's ARN)";
    /// The member filters the channel (FILTERED): graded by whether the message passed.
    ChannelFiltered = "channel-filtered", [Warning, Error, Info], stage: Membership, row: false, reregister: false,
        title: "the user filters the channel's pushes (AllowNotifications FILTERED)",
        fix: "send the message with attributes that pass the rule, or change the rule or set ALL as the member (PutChannelMembershipPreferences, x-amz-chime-bearer the user's ARN)";
    /// A FILTERED preference whose rule this client cannot read.
    FilterRuleInvalid = "filter-rule-invalid", [Error], stage: Membership, row: false, reregister: false,
        title: "the membership's FilterRule cannot be read",
        fix: "put a valid rule, or ALL, as the member (PutChannelMembershipPreferences, x-amz-chime-bearer the user's ARN)";
    /// The user's memberships could not be read (forbidden, throttled, unreachable).
    MessagingUnreachable = "messaging-unreachable", [Warning], stage: Membership, row: false, reregister: false,
        title: "the user's channel memberships could not be checked",
        fix: "retry later; if it persists, check the network, the Messaging endpoint (--endpoint-url, AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING) and the chime:ListChannelMembershipsForAppInstanceUser and chime:GetChannelMembershipPreferences permissions";
    /// The Pinpoint reads failed (forbidden, throttled, unreachable).
    PinpointUnreachable = "pinpoint-unreachable", [Warning], stage: Channel, row: false, reregister: false,
        title: "the AWS End User Messaging push (Pinpoint API) app could not be fully checked",
        fix: "retry later; if it persists, check the network, the Pinpoint endpoint (--endpoint-url, AWS_ENDPOINT_URL_PINPOINT) and the mobiletargeting:GetApp and mobiletargeting:Get*Channel permissions";
}

impl Code {
    /// The severity a finding of this code gets unless its rule grades it.
    pub fn severity(self) -> Severity {
        self.severities().first().copied().unwrap_or(Severity::Error)
    }

    /// The codes a list row can show.
    pub fn in_rows_all() -> impl Iterator<Item = Code> {
        Self::ALL.iter().copied().filter(|c| c.in_rows())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_code_has_words_a_severity_and_a_unique_name() {
        let mut names = BTreeSet::new();
        for c in Code::ALL {
            assert!(names.insert(c.as_str()), "{c} twice");
            let s = c.as_str();
            assert!(!s.is_empty() && s.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'), "{s}");
            assert!(!c.title().trim().is_empty(), "{c}: no title");
            assert!(!c.fix().trim().is_empty(), "{c}: no fix");
            assert!(!c.severities().is_empty(), "{c}: no severity");
            assert_eq!(c.severity(), c.severities()[0]);
        }
    }

    /// The codes as the JSON `Code` and the text wrote them before the registry, and those the
    /// membership gate added: a consumer matching on them keeps working.
    const CODES: [&str; 26] = [
        "inactive-device-token",
        "inactive-pinpoint-arn",
        "messages-off",
        "voip-token-on-gcm",
        "token-shape",
        "resource-not-pinpoint",
        "resource-region-mismatch",
        "resource-account-mismatch",
        "stale-fcm-token",
        "token-in-both-apns-environments",
        "duplicate-device-token",
        "endpoint-limit",
        "user-expires",
        "pinpoint-app-missing",
        "pinpoint-channel-missing",
        "pinpoint-channel-disabled",
        "pinpoint-channel-archived",
        "pinpoint-gcm-legacy-key",
        "pinpoint-fcm-key-default",
        "pinpoint-apns-certificate-old",
        "not-a-member",
        "channel-muted",
        "channel-filtered",
        "filter-rule-invalid",
        "messaging-unreachable",
        "pinpoint-unreachable",
    ];

    #[test]
    fn the_json_codes_are_the_strings_written_before_the_registry() {
        let json: Vec<String> = Code::ALL
            .iter()
            .map(|c| {
                let f = crate::doctor::Finding::new(*c, String::new(), String::new());
                f.to_json()["Code"].as_str().unwrap_or_default().to_string()
            })
            .collect();
        assert_eq!(json, CODES);
        let text: Vec<String> = Code::ALL.iter().map(|c| c.to_string()).collect();
        assert_eq!(text, CODES);
    }

    #[test]
    fn each_gate_holds_its_codes() {
        let at =
            |stage| Code::ALL.iter().filter(|c| c.stage() == stage).map(|c| c.as_str()).collect::<Vec<_>>();
        assert_eq!(
            at(Stage::Membership),
            [
                "not-a-member",
                "channel-muted",
                "channel-filtered",
                "filter-rule-invalid",
                "messaging-unreachable"
            ]
        );
        assert!(at(Stage::Channel).iter().all(|c| c.starts_with("pinpoint-")), "{:?}", at(Stage::Channel));
        assert_eq!(at(Stage::Channel).len(), 8);
        assert_eq!(
            at(Stage::User),
            ["token-in-both-apns-environments", "duplicate-device-token", "endpoint-limit", "user-expires"]
        );
    }

    /// The operations a fix may name, from the Identity, Messaging and Pinpoint models: each
    /// fix is one the APIs can carry out.
    const OPERATIONS: [&str; 9] = [
        "RegisterAppInstanceUserEndpoint",
        "DeregisterAppInstanceUserEndpoint",
        "UpdateAppInstanceUserEndpoint",
        "PutAppInstanceUserExpirationSettings",
        "PutChannelMembershipPreferences",
        "CreateChannelMembership",
        "Update*Channel",
        "UpdateGcmChannel",
        "ListChannelMembershipsForAppInstanceUser",
    ];

    #[test]
    fn every_fix_names_what_the_apis_can_carry_out() {
        for c in Code::ALL {
            let fix = c.fix();
            assert!(
                OPERATIONS.iter().any(|op| fix.contains(op)) || fix.contains("mobiletargeting:"),
                "{c}: {fix}"
            );
            // An update changes Name and AllowMessages only.
            if fix.contains("UpdateAppInstanceUserEndpoint") {
                assert_eq!(*c, Code::MessagesOff, "{fix}");
            }
            for words in ["console", "set ResourceArn", "drop the"] {
                assert!(!fix.contains(words), "{c}: {fix}");
            }
        }
    }

    #[test]
    fn the_words_of_the_pinpoint_app_name_the_service() {
        for c in Code::ALL.iter().filter(|c| c.title().contains("Pinpoint")) {
            assert!(c.title().contains("AWS End User Messaging push (Pinpoint API)"), "{c}: {}", c.title());
        }
    }

    /// The table of docs/commands.md: every code, its gate, severities, whether a row shows it
    /// and its title, as the registry says.
    fn docs_table() -> String {
        let mut out =
            String::from("| Code | Gate | Severity | In list rows | What it says |\n|---|---|---|---|---|\n");
        for c in Code::ALL {
            let sev: Vec<&str> = c.severities().iter().map(|s| s.as_str()).collect();
            let stage = format!("{:?}", c.stage()).to_lowercase();
            let row = if c.in_rows() { "yes" } else { "" };
            out.push_str(&format!("| `{c}` | {stage} | {} | {row} | {} |\n", sev.join(", "), c.title()));
        }
        out
    }

    #[test]
    fn the_documentation_lists_every_code_as_the_registry_says() {
        let docs = include_str!("../../docs/commands.md");
        let table = docs_table();
        assert!(docs.contains(&table), "docs/commands.md should hold this table:\n{table}");
    }

    #[test]
    fn the_codes_fixed_by_registering_again_say_so_in_their_fix() {
        let rereg: Vec<&str> = Code::ALL.iter().filter(|c| c.reregister()).map(|c| c.as_str()).collect();
        assert_eq!(
            rereg,
            ["inactive-device-token", "inactive-pinpoint-arn", "stale-fcm-token", "pinpoint-app-missing"]
        );
        for c in Code::ALL.iter().filter(|c| c.reregister()) {
            assert!(
                c.fix().contains("RegisterAppInstanceUserEndpoint") && c.fix().contains("deregister"),
                "{c}"
            );
        }
    }

    #[test]
    fn the_codes_a_row_shows_are_the_state_and_allow_messages_ones() {
        let rows: Vec<&str> = Code::in_rows_all().map(Code::as_str).collect();
        assert_eq!(rows, ["inactive-device-token", "inactive-pinpoint-arn", "messages-off"]);
    }
}
