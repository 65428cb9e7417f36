//! `hst`: list, get and generate from `$HOME/home_secret.toml`.

fn main() -> std::process::ExitCode {
    hst::cli::main()
}
