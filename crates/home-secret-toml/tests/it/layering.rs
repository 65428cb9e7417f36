//! The library's modules import only downward: the declared order below is its architecture
//! (ARCHITECTURE.md), bottom first. A new module is placed in it, or this test fails.

#[path = "../../../../tests/layering.rs"]
mod check;

use check::{Layers, violations};

const LIBRARY: &[&str] = &[
    // Text and limits, about nothing else.
    "limits",
    "key_path",
    "path",
    "python",
    "query",
    "source",
    "toml11",
    "small_file",
    "no_dumps",
    // Values and what the file holds.
    "value",
    "mask",
    "otp",
    "entry",
    "flatten",
    "tree",
    "flat_scan",
    // The file on disk.
    "encrypted",
    "error",
    "locate",
    "store",
    "permissions",
    // What callers use.
    "file",
    "edit",
    "merge",
    "codegen",
    "access",
];

#[test]
fn the_library_imports_only_downward() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&Layers {
        dir,
        prefix: "crate",
        order: LIBRARY,
    });
    assert!(found.is_empty(), "upward or unplaced: {found:#?}");
}

#[test]
fn the_check_sees_an_upward_reference() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("low.rs"), "use crate::high::X;\n").unwrap();
    std::fs::write(dir.path().join("high.rs"), "use crate::low::Y;\n").unwrap();
    let found = violations(&Layers {
        dir: dir.path().to_path_buf(),
        prefix: "crate",
        order: &["low", "high"],
    });
    assert_eq!(found, ["low -> high"]);
    let unplaced = violations(&Layers {
        dir: dir.path().to_path_buf(),
        prefix: "crate",
        order: &["low"],
    });
    assert!(unplaced.contains(&"high is not in the declared order".to_string()));
}
