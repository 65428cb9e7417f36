//! `hst otp KEY`: the current TOTP code of an `otpauth://totp/` value, checked against the
//! library's RFC 6238 implementation (itself tested on the RFC's vectors) and against
//! `oathtool`, an independent implementation.

use crate::support::env::Finish;

use crate::support::env::{Env, stderr, stdout};
use home_secret_toml::otp::{Totp, now_unix};

/// RFC 6238's SHA-256 seed ("12345678901234567890123456789012") in base32: a published test
/// key, not anyone's secret.
const SEED32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";

fn file() -> String {
    format!(
        "site.otp.value = \"otpauth://totp/Site:me?secret={SEED32}&issuer=Site&algorithm=SHA256&digits=8\"\n\
         site.six.value = \"otpauth://totp/Site:me?secret={SEED32}\"\n\
         site.token.value = \"fake-not-a-uri\"\n\
         site.count.value = \"otpauth://hotp/Site:me?secret={SEED32}&counter=3\"\n\
         site.number = 5\n"
    )
}

/// Runs `produce` until the 30-second window is the same before and after, so a code is
/// compared with the code of its own window.
fn in_one_window<T>(mut produce: impl FnMut() -> T) -> (T, u64) {
    for _ in 0..3 {
        let before = now_unix() / 30;
        let got = produce();
        if now_unix() / 30 == before {
            return (got, before * 30);
        }
    }
    panic!("the clock crossed a 30 s boundary three times in a row");
}

#[test]
fn the_code_is_the_rfc_6238_code_of_now() {
    let env = Env::new();
    env.write_secrets(&file());
    for (key, digits) in [("site.otp.value", 8), ("site.six.value", 6)] {
        let (out, at) = in_one_window(|| env.hst(&["otp", key]));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let uri = file()
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split('"').nth(1))
            .map(str::to_string)
            .unwrap();
        let want = Totp::parse(&uri).unwrap().code_at(at);
        assert_eq!(stdout(&out), format!("{}\n", want.expose()), "{key}");
        assert_eq!(stdout(&out).trim().len(), digits);
    }
}

#[test]
fn values_that_are_not_totp_uris_are_refused_with_the_reason() {
    let env = Env::new();
    env.write_secrets(&file());
    for (key, want) in [
        (
            "site.token.value",
            "Error: site.token.value is not an otpauth://totp/ URI\n",
        ),
        (
            "site.count.value",
            "Error: site.count.value is an otpauth://hotp/ URI",
        ),
        (
            "site.number",
            "Error: site.number is an integer, not an otpauth://totp/ URI\n",
        ),
        (
            "site.nothing",
            "Error: \"Key 'site.nothing' not found in the provided data.\"",
        ),
    ] {
        let out = env.hst(&["otp", key]);
        assert_eq!(out.status.code(), Some(1), "{key}");
        assert_eq!(stdout(&out), "");
        assert!(stderr(&out).starts_with(want), "{key}: {}", stderr(&out));
        assert!(!stderr(&out).contains(SEED32) && !stderr(&out).contains("fake-not"));
    }
}

#[test]
#[ignore = "needs oathtool (apt package oathtool; run by .ci/run)"]
fn the_code_matches_oathtool() {
    let env = Env::new();
    env.write_secrets(&file());
    for (key, oath_args) in [
        ("site.otp.value", &["--totp=sha256", "--digits=8"][..]),
        ("site.six.value", &["--totp"][..]),
    ] {
        let ((ours, theirs), _) = in_one_window(|| {
            let ours = env.hst(&["otp", key]);
            let theirs = env
                .tool("oathtool")
                .args(oath_args)
                .args(["--base32", SEED32])
                .finish();
            (ours, theirs)
        });
        assert!(theirs.status.success());
        assert_eq!(
            stdout(&ours),
            String::from_utf8_lossy(&theirs.stdout),
            "{key}"
        );
    }
}
