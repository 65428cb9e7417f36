//! `hst-tui`: the full-screen secrets browser. Everything lives in `hst::tui`.

fn main() -> std::process::ExitCode {
    hst::tui::main()
}
