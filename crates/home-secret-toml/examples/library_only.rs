//! The library alone, as another program uses it (none of the programs' crates). Prints one
//! value, masked.
//!
//! ```sh
//! cargo run -p home-secret-toml --example library_only -- KEY [FILE]
//! ```
//!
//! `KEY` is a dotted path such as `github.accounts.personal.users.dev.secrets.api_token.value`;
//! `FILE` defaults to `$HOME/home_secret.toml`.

use std::process::ExitCode;

use home_secret_toml::{HomeSecretToml, hs, mask};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(key) = args.next() else {
        eprintln!("usage: library_only KEY [FILE]");
        return ExitCode::from(2);
    };
    let owned;
    let secrets = match args.next() {
        Some(path) => {
            owned = HomeSecretToml::new(path);
            &owned
        }
        None => hs(),
    };
    match secrets.v(&key) {
        Ok(value) => {
            println!("{key} = {}", mask(&value));
            ExitCode::SUCCESS
        }
        // Errors never contain a value.
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
