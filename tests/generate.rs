//! Synthetic secrets files with fake values, shared by both crates' tests, the benchmarks and
//! `cargo run --example synthetic`: the *simple* shape (one string per line) and the
//! *real-like* one (provider blocks, inline credentials, arrays, unicode, late keys).
#![allow(dead_code)]

use std::fmt::Write;

/// A realistic flat secrets file with `n` leaves: providers with accounts, users and secrets,
/// comments, descriptions, a few late keys appended at the end (as people do). Fake values.
pub fn synthetic(n: usize) -> String {
    let mut s = String::with_capacity(n * 100);
    s.push_str("# Synthetic home_secret.toml for tests and benchmarks; every value is fake.\n");
    let mut written = 0;
    let mut provider = 0;
    let late = n / 100;
    'outer: loop {
        let _ = write!(
            s,
            "\n# ---- provider_{provider:03} ----\nprovider_{provider:03}.description = \"Provider number {provider}\"\n"
        );
        for acc in 0..3 {
            for user in 0..3 {
                for secret in 0..3 {
                    if written >= n - late {
                        break 'outer;
                    }
                    let _ = writeln!(
                        s,
                        "provider_{provider:03}.accounts.acc{acc}.users.user{user}.secrets.secret{secret}.value = \"fake_{provider}_{acc}{user}{secret}_abcdefghijklmnop\""
                    );
                    written += 1;
                }
            }
        }
        provider += 1;
    }
    s.push_str("\n# added later\n");
    for i in 0..late {
        let _ = writeln!(
            s,
            "provider_{:03}.accounts.late.secrets.late{i}.value = \"late_fake_{i}_abcdefgh\"",
            i % provider.max(1)
        );
    }
    s
}

/// A file shaped like real ones, with `n` leaves (fake values): provider blocks under comment
/// banners (dashed names, 20 secrets each over accounts and users), unicode in values and
/// comments, descriptions, ~2% inline-table credentials (`creds = { access_key = "…",
/// secret_key = "…" }`, two leaves each), ~1% arrays, ~2% integers and booleans, a few escaped
/// strings, and 1% of the keys appended at the end, as people do.
pub fn real_like(n: usize) -> String {
    const PROVIDERS: [&str; 8] = [
        "github",
        "aws-prod",
        "google-cloud",
        "open-ai",
        "stripe",
        "db-postgres",
        "slack-bot",
        "cloud-flare",
    ];
    let mut s = String::with_capacity(n * 110);
    s.push_str("# ===================================================\n");
    s.push_str("# home_secret.toml — every value here is fake (tests)\n");
    s.push_str("# ===================================================\n");
    let late = n / 100;
    let mut written = 0;
    let mut i = 0usize;
    let mut block = 0usize;
    while written < n - late {
        let p = format!(
            "{}-{:03}",
            PROVIDERS[block % PROVIDERS.len()],
            block / PROVIDERS.len()
        );
        let _ = write!(s, "\n# ---------- {p} · clés et jetons ----------\n");
        let _ = writeln!(s, "{p}.description = \"Compte n°{block} — équipe données\"");
        for slot in 0..20 {
            if written >= n - late {
                break;
            }
            let base = format!("{p}.accounts.acc-{}.users.user_{}", slot / 10, slot / 5 % 2);
            written += real_like_line(&mut s, &base, i);
            i += 1;
        }
        block += 1;
    }
    s.push_str("\n# added later\n");
    for j in 0..late {
        let p = format!(
            "{}-{:03}",
            PROVIDERS[j % PROVIDERS.len()],
            j % block.max(1) / 8
        );
        let _ = writeln!(
            s,
            "{p}.accounts.late.secrets.late_{j}.value = \"late-fake-{j}-ÄÖÜ-abcdefgh\""
        );
    }
    s
}

/// One line of [`real_like`]; returns how many leaves it holds.
fn real_like_line(s: &mut String, base: &str, i: usize) -> usize {
    let _ = match i % 100 {
        0 | 50 => {
            let _ = writeln!(
                s,
                "{base}.secrets.creds_{i} = {{ access_key = \"AKIAFAKE{i:08}\", secret_key = \"fake/{i}+Zx9\" }}"
            );
            return 2;
        }
        2 => writeln!(
            s,
            "{base}.secrets.scopes_{i}.value = [\"repo\", \"read:org\", \"gist-{i}\"]"
        ),
        3 | 53 => writeln!(s, "{base}.secrets.port_{i}.value = {}", 5000 + i % 1000),
        5 => writeln!(
            s,
            "{base}.secrets.enabled_{i}.value = {}",
            (i / 100).is_multiple_of(2)
        ),
        6 => writeln!(
            s,
            "{base}.secrets.note_{i}.value = \"quote \\\"{i}\\\" tab\\tend\""
        ),
        7 | 57 => writeln!(
            s,
            "{base}.secrets.passphrase_{i}.value = \"mot-de-passe-ümlaut-🔑-{i}\""
        ),
        _ => writeln!(
            s,
            "{base}.secrets.api_key_{i}.value = \"sk-fake-{i:010}-AbCdEfGhIjKlMnOpQrSt\"  # rotated 2024"
        ),
    };
    1
}
