//! `hst-tui`: the full-screen secrets browser (in progress; see issue 3).

fn main() -> std::process::ExitCode {
    eprintln!("hst-tui is coming soon. Meanwhile: hst ls, hst get KEY, hst gen-enum");
    std::process::ExitCode::FAILURE
}
