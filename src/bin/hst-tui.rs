//! `hst-tui`: the full-screen secrets browser. Everything lives in `home_secret_toml::tui`.

fn main() -> std::process::ExitCode {
    home_secret_toml::tui::main()
}
