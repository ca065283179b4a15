//! The AWS CLI command that does what the browser just did, for the user to copy (`c`).
//!
//! Values are quoted for a POSIX shell (sh, bash, zsh) by [`shell_quote`]. Not by the `shlex`
//! crate: shlex 2 writes a word holding `'` in double quotes (`"it's"`) where this keeps single
//! quotes throughout (`'it'\''s'`, which the tests pin), and it also quotes `,`, `%` and `=`,
//! which are plain in these shells. The tests check this quoting against shlex's POSIX
//! splitter and against `/bin/sh` itself.

use std::borrow::Cow;

/// `aws chime-sdk-identity describe-app-instance-user-endpoint --app-instance-user-arn ARN
/// --endpoint-id ID --region REGION [--profile NAME] [--endpoint-url URL]`, each value quoted
/// for a POSIX shell by [`shell_quote`].
pub fn aws_cli_command(
    user_arn: &str,
    endpoint_id: &str,
    region: &str,
    profile: Option<&str>,
    endpoint_url: Option<&str>,
) -> String {
    aws_cli_command_for(
        "describe-app-instance-user-endpoint",
        &[("--app-instance-user-arn", user_arn), ("--endpoint-id", endpoint_id)],
        region,
        profile,
        endpoint_url,
    )
}

/// `aws chime-sdk-identity OPERATION [--OPTION VALUE]... --region REGION [--profile NAME]
/// [--endpoint-url URL]`, each value quoted as in [`aws_cli_command`].
pub fn aws_cli_command_for(
    operation: &str,
    args: &[(&str, &str)],
    region: &str,
    profile: Option<&str>,
    endpoint_url: Option<&str>,
) -> String {
    aws_cli_line("chime-sdk-identity", operation, args, &CliTarget { region, profile, endpoint_url })
}

/// Where an AWS CLI command goes: `--region`, `--profile`, `--endpoint-url`.
pub struct CliTarget<'a> {
    pub region: &'a str,
    pub profile: Option<&'a str>,
    pub endpoint_url: Option<&'a str>,
}

/// `aws SERVICE OPERATION [--OPTION VALUE]... --region REGION [--profile NAME] [--endpoint-url
/// URL]`, for any service of the AWS CLI (`pinpoint`), quoted as [`aws_cli_command_for`].
pub fn aws_cli_line(service: &str, operation: &str, args: &[(&str, &str)], at: &CliTarget<'_>) -> String {
    let CliTarget { region, profile, endpoint_url } = *at;
    let mut parts: Vec<Cow<'_, str>> = vec!["aws".into(), service.into(), operation.into()];
    for (k, v) in args {
        parts.extend([Cow::Borrowed(*k), shell_quote(v)]);
    }
    parts.extend(["--region".into(), shell_quote(region)]);
    if let Some(p) = profile {
        parts.extend(["--profile".into(), shell_quote(p)]);
    }
    if let Some(u) = endpoint_url {
        parts.extend(["--endpoint-url".into(), shell_quote(u)]);
    }
    parts.join(" ")
}

/// Quote `s` as one POSIX shell word: bare when it is made only of `A-Z a-z 0-9 _ @ % + = : , . / -`
/// (and is not empty and does not start with `=`, which zsh would expand), otherwise in single
/// quotes with each `'` written `'\''`.
pub fn shell_quote(s: &str) -> Cow<'_, str> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !s.is_empty() && !s.starts_with('=') && s.chars().all(safe) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(format!("'{}'", s.replace('\'', r"'\''")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quote_cases() {
        assert_eq!(shell_quote("ep-1"), "ep-1");
        assert_eq!(shell_quote("http://127.0.0.1:4566/"), "http://127.0.0.1:4566/");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("$HOME"), "'$HOME'");
        assert_eq!(shell_quote("=ls"), "'=ls'");
        assert_eq!(shell_quote("~x"), "'~x'");
        assert_eq!(shell_quote("naïve"), "'naïve'");
        assert_eq!(shell_quote("a\nb"), "'a\nb'");
    }

    #[test]
    fn aws_cli_command_minimal() {
        assert_eq!(
            aws_cli_command(
                "arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/corp:alice",
                "ep-1",
                "us-east-1",
                None,
                None
            ),
            "aws chime-sdk-identity describe-app-instance-user-endpoint \
             --app-instance-user-arn arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/corp:alice \
             --endpoint-id ep-1 --region us-east-1"
        );
    }

    #[test]
    fn aws_cli_command_quotes_profile_and_url() {
        assert_eq!(
            aws_cli_command(
                "arn:aws:chime:eu-central-1:1:app-instance/i/user/o'brien",
                "ep 2",
                "eu-central-1",
                Some("my profile"),
                Some("http://127.0.0.1:41234")
            ),
            "aws chime-sdk-identity describe-app-instance-user-endpoint \
             --app-instance-user-arn 'arn:aws:chime:eu-central-1:1:app-instance/i/user/o'\\''brien' \
             --endpoint-id 'ep 2' --region eu-central-1 --profile 'my profile' \
             --endpoint-url http://127.0.0.1:41234"
        );
    }

    /// Strings a shell must get back exactly: quotes, backslashes, expansions, globs, comments,
    /// control characters, non-ASCII, leading `=`, `~` and `-`.
    const HOSTILE: &[&str] = &[
        "it's",
        "''",
        "a\\b\\",
        "$HOME $(id) `id` ${x}",
        "*?[a]{b,c}",
        "#x ~y =z -n",
        "a\nb\tc\rd",
        "naïve 📱",
        "!! ^x",
        "",
    ];

    #[test]
    fn shell_quotes_split_back_to_the_same_word() {
        for s in HOSTILE {
            let q = shell_quote(s);
            assert_eq!(shlex::split(&q), Some(vec![s.to_string()]), "{q}");
        }
    }

    #[test]
    fn shell_quotes_survive_a_real_shell() {
        let args: Vec<String> = HOSTILE.iter().map(|s| shell_quote(s).into_owned()).collect();
        let script = format!("printf '%s\\000' {}", args.join(" "));
        let out = std::process::Command::new("/bin/sh").arg("-c").arg(&script).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let words: Vec<String> =
            out.stdout.split(|&b| b == 0).map(|w| String::from_utf8_lossy(w).into_owned()).collect();
        let mut want: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
        want.push(String::new()); // after the last NUL
        assert_eq!(words, want);
    }

    proptest::proptest! {
        #[test]
        fn any_word_without_nul_splits_back(s in "[^\\x00]{0,40}") {
            let q = shell_quote(&s);
            proptest::prop_assert_eq!(shlex::split(&q), Some(vec![s.clone()]), "{}", q);
        }
    }
}
