//! Which programs a command runs under: this process and its ancestors' names, read from
//! `/proc` (Linux), nearest first. An agent, an editor or a CI runner shows by name.

/// Names of this process and its ancestors, nearest first (at most 16).
pub fn chain() -> Vec<String> {
    let mut names = Vec::new();
    let mut pid = std::process::id();
    for _ in 0..16 {
        let Some((name, parent)) = read(pid) else {
            break;
        };
        names.push(name);
        if parent <= 1 {
            break;
        }
        pid = parent;
    }
    names
}

/// `(name, parent pid)` of `pid`: the executable's file name (else the kernel's `comm`).
fn read(pid: u32) -> Option<(String, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses: split at the last `)`.
    let (head, tail) = stat.rsplit_once(')')?;
    let comm = head.split_once('(')?.1.to_string();
    let parent = tail.split_whitespace().nth(1)?.parse().ok()?;
    let exe = std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    // A script's exe is its interpreter: the comm (the script's name) says more then.
    let name = match exe {
        Some(exe)
            if !matches!(
                exe.as_str(),
                "sh" | "bash" | "dash" | "zsh" | "python3" | "node"
            ) =>
        {
            exe
        }
        _ => comm,
    };
    Some((name, parent))
}
