//! References attacked: a backend named after an ordinary URL scheme, ids that would make a
//! backend's CLI read a file or fetch a URL, a tool that leaves a process holding its output,
//! free-text field names, a server's control characters, a backend that is down for many
//! references. Each one was found by a hostile run of the real binary.

use std::io::{Read, Write};

use crate::support::backends::stub;
use crate::support::env::{Env, stderr, stdout};

/// An environment whose PATH has the stand-ins in `bin` and the basic tools only.
fn with_stubs(stubs: &[(&str, &str)]) -> Env {
    let mut env = Env::new();
    let mut bin = env.path("bin");
    for (name, script) in stubs {
        bin = stub(&env, name, script);
    }
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["sh", "sleep", "printf", "cat"] {
        let real = ["/usr/bin", "/bin"]
            .iter()
            .map(|d| std::path::Path::new(d).join(tool))
            .find(|p| p.exists())
            .unwrap();
        std::os::unix::fs::symlink(real, bin.join(tool)).unwrap();
    }
    env.set_var("PATH", &bin);
    env
}

#[test]
fn a_backend_may_not_be_named_after_an_ordinary_url_scheme() {
    let env = Env::new();
    env.write_config("[backends.postgres]\ntype = \"vault\"\n");
    env.write_secrets("db = \"postgres://app:fake-db-password@db/app\"\n");
    let out = env.hst(&["ls"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("postgres:// is an ordinary URL scheme"),
        "{}",
        stderr(&out)
    );
    assert!(!stdout(&out).contains("fake-db-password"));
    // Without the section the URL is an ordinary (masked) secret.
    std::fs::remove_file(env.config_dir().join("hst/config.toml")).unwrap();
    assert_eq!(env.hst_ok(&["ls"]), "db = \"po***pp\"\n");
}

#[test]
fn ids_that_would_make_a_backend_read_a_file_or_a_url_are_refused() {
    let env = with_stubs(&[(
        "aws",
        "#!/bin/sh\nprintf 'called\\n' >> \"$HOME/aws.log\"\nprintf '{\"SecretString\":\"fake\"}'\n",
    )]);
    env.write_secrets(
        "f = \"aws-sm://file:///etc/hostname\"\nu = \"aws-sm://http://127.0.0.1:9/x\"\n\
         v = \"vault://secret/../sys/mounts#x\"\np = \"pass://../outside\"\n",
    );
    for key in ["f", "u"] {
        let err = stderr(&env.hst(&["get", key]));
        assert!(
            err.contains("not a Secrets Manager name or ARN"),
            "{key}: {err}"
        );
    }
    for key in ["v", "p"] {
        let err = stderr(&env.hst(&["get", key]));
        assert!(
            err.contains("a path with an empty, . or .. part is not read"),
            "{key}: {err}"
        );
    }
    assert!(
        !env.home().join("aws.log").exists(),
        "aws was never started"
    );
}

#[test]
fn a_tool_that_leaves_a_process_holding_its_output_is_cut_off_at_the_timeout() {
    let env = with_stubs(&[("op", "#!/bin/sh\nsleep 300 &\nprintf fake-op-value\n")]);
    env.write_config("[backends.op]\ntype = \"op\"\ntimeout = 1\n");
    env.write_secrets("o = \"op://Work/Item/password\"\n");
    let out = env.hst(&["get", "o"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "Error: o: op://Work/Item/password: op did not answer within 1 s\n"
    );
}

#[test]
fn a_pass_entry_never_shows_its_lines_as_field_names() {
    let env = with_stubs(&[(
        "pass",
        "#!/bin/sh\nprintf 'fake-first-line\\nfake-recovery-code:abc\\nuser: me\\notpauth://totp/X?secret=GEZDGNBVGY3TQOJQ\\n'\n",
    )]);
    env.write_secrets(
        "a = \"pass://site#login\"\nb = \"pass://site#user\"\nc = \"pass://site#otpauth\"\n",
    );
    let err = stderr(&env.hst(&["get", "a"]));
    assert!(
        err.contains("has no field \"login\" (its fields: not shown)"),
        "{err}"
    );
    assert!(
        !err.contains("fake-recovery-code"),
        "a line of the entry was shown"
    );
    assert_eq!(env.hst_ok(&["get", "b"]), "me\n");
    assert_eq!(
        env.hst_ok(&["get", "c"]),
        "otpauth://totp/X?secret=GEZDGNBVGY3TQOJQ\n"
    );
}

/// A Vault on 127.0.0.1 that answers every request with `status` and `body`.
fn fake_vault(status: &str, body: &'static str) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let status = status.to_string();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    port
}

#[test]
fn a_servers_control_characters_never_reach_the_terminal() {
    let port = fake_vault(
        "403 Forbidden",
        "{\"errors\":[\"denied \\u001b]0;owned\\u0007\\u001b[2J here\"]}",
    );
    let mut env = Env::new();
    env.set_var("VAULT_ADDR", format!("http://127.0.0.1:{port}"));
    env.set_var("VAULT_TOKEN", "fake-token");
    env.write_secrets("k = \"vault://secret/x#f\"\n");
    let err = stderr(&env.hst(&["get", "k"]));
    assert!(err.contains("answered 403: denied"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn a_backend_that_is_down_is_asked_once_not_once_per_reference() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = std::sync::Arc::clone(&accepted);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            held.push(stream);
        }
    });
    let mut env = Env::new();
    env.set_var("VAULT_TOKEN", "fake-token");
    env.write_config(&format!(
        "[backends.vault]\ntype = \"vault\"\naddress = \"http://127.0.0.1:{port}\"\ntimeout = 1\n"
    ));
    let file: String = (0..40)
        .map(|i| format!("k{i} = \"vault://secret/s{i}#f\"\n"))
        .collect();
    env.write_secrets(&file);
    let out = env.hst(&["refs", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.ends_with("40 references: 0 resolved, 40 broken\n"),
        "{text}"
    );
    assert!(text.matches("(not asked again)").count() >= 30, "{text}");
    // At most one round of the parallel fetches reached the server.
    assert!(accepted.load(std::sync::atomic::Ordering::SeqCst) <= 8);
}

#[test]
fn a_table_gets_its_references_resolved_and_no_resolve_keeps_the_format() {
    let env = with_stubs(&[(
        "op",
        "#!/bin/sh\nfor last; do :; done\nprintf 'fake-from-%s' \"${last##*/}\"\n",
    )]);
    env.write_secrets("gh.token = \"op://W/I/token\"\ngh.user = \"me\"\n");
    assert_eq!(
        env.hst_ok(&["get", "gh"]),
        "{'token': 'fake-from-token', 'user': 'me'}\n"
    );
    assert_eq!(
        env.hst_ok(&["get", "gh.token", "--no-resolve", "--format", "json"]),
        "\"op://W/I/token\"\n"
    );
}

#[test]
fn the_tui_asks_again_after_a_failed_fetch() {
    // A stand-in for op that fails until the user "signs in" (the value file appears).
    let env = with_stubs(&[(
        "op",
        "#!/bin/sh\nif [ -f \"$HOME/signed-in\" ]; then cat \"$HOME/signed-in\"; else echo 'not signed in' >&2; exit 1; fi\n",
    )]);
    env.write_secrets("gh.token = \"op://W/I/token\"\n");
    let mut tui = crate::support::pty::Pty::spawn(
        env.pty_command(crate::support::env::Program::HstTui),
        30,
        140,
    );
    tui.wait_for("→ op://W/I/token");
    tui.keys("r");
    tui.wait_for("not signed in");
    std::fs::write(env.home().join("signed-in"), "fake-after-sign-in").unwrap();
    tui.keys("r");
    tui.wait_for("fake-after-sign-in");
    tui.keys("q");
    tui.wait_exit();
}
