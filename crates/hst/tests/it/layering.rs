//! The programs' modules import only downward (ARCHITECTURE.md): the crate's top level, and
//! inside `tui` and `cli`. A new module is placed in the order, or this test fails.

#[path = "../../../../tests/layering.rs"]
mod check;

use check::{Layers, violations};

fn src(rel: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(rel)
}

#[test]
fn the_programs_import_only_downward() {
    let layers = [
        Layers {
            dir: src(""),
            prefix: "crate",
            order: &[
                "terminal_text",
                "audit",
                "agent",
                "manifest",
                "scan",
                "clipboard",
                "resolve",
                "cli",
                "tui",
            ],
        },
        Layers {
            dir: src("tui"),
            prefix: "crate::tui",
            order: &[
                "filter", "members", "ranking", "action", "args", "fit", "layout", "theme",
                "terminal", "keymap", "effects", "state", "ui", "app",
            ],
        },
        Layers {
            dir: src("cli"),
            prefix: "crate::cli",
            order: &[
                "failure",
                "prompt",
                "git",
                "complete",
                "args",
                "get",
                "ls",
                "gen_enum",
                "init",
                "locked_edit",
                "grant",
                "run",
                "allow",
                "scan",
                "set",
                "refs",
                "transfer",
                "keys",
                "crypt",
                "recipients",
                "merge",
                "sync",
                "textconv",
                "otp",
                "edit",
                "audit_log",
                "mcp",
                "guard",
            ],
        },
    ];
    for layer in &layers {
        let found = violations(layer);
        assert!(found.is_empty(), "{}: {found:#?}", layer.prefix);
    }
}
