//! OSC 52: asking the terminal to put text on its clipboard (works over SSH and in tmux).

use std::io::Write;

/// `ESC ] 52 ; c ; <base64> BEL`, or wrapped for tmux: `ESC P tmux; ESC <sequence> ESC \`.
pub fn sequence(text: &str, tmux: bool) -> String {
    let inner = format!("\x1b]52;c;{}\x07", base64(text.as_bytes()));
    if tmux {
        // Inside the passthrough every ESC is doubled.
        format!("\x1bPtmux;{}\x1b\\", inner.replace('\x1b', "\x1b\x1b"))
    } else {
        inner
    }
}

/// Which of the two ways through tmux are open: tmux itself takes a plain OSC 52 from a program
/// only with `set-clipboard on` (the default, `external`, ignores it), and passes the wrapped
/// one on to the outer terminal only with `allow-passthrough` (tmux 3.3 and later; always
/// before).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TmuxRoute {
    pub set_clipboard: bool,
    pub passthrough: bool,
}

impl TmuxRoute {
    /// Asks the tmux server this program runs under; `None` when it cannot be asked.
    pub fn ask() -> Option<Self> {
        let option = |args: &[&str]| {
            let out = std::process::Command::new("tmux")
                .args(args)
                .stdin(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        };
        let set_clipboard = option(&["show-options", "-gv", "set-clipboard"])? == "on";
        let passthrough = match option(&["show-options", "-Apv", "allow-passthrough"]) {
            Some(v) => v == "on" || v == "all",
            // No such option: a tmux before 3.3, which always passed it through.
            None => option(&["-V"]).is_some_and(|v| older_than_3_3(&v)),
        };
        Some(Self {
            set_clipboard,
            passthrough,
        })
    }
}

/// `tmux 3.2a` → true, `tmux 3.3a` / `tmux next-3.4` → false.
fn older_than_3_3(version: &str) -> bool {
    let digits: String = version
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let mut parts = digits.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) < (3, 3)
}

/// Sends `text` to the terminal in one write. In tmux, each way that is open (or both, when
/// tmux could not be asked); an error, and nothing sent, when neither is.
pub fn send(out: &mut dyn Write, text: &str, tmux: bool) -> Result<(), String> {
    let (plain, wrapped) = if tmux {
        match TmuxRoute::ask() {
            Some(TmuxRoute {
                set_clipboard: false,
                passthrough: false,
            }) => {
                return Err(
                    "tmux blocks OSC 52: run tmux set -g set-clipboard on (or allow-passthrough on)"
                        .to_string(),
                );
            }
            Some(route) => (route.set_clipboard, route.passthrough),
            None => (true, true),
        }
    } else {
        (true, false)
    };
    let mut bytes = zeroize::Zeroizing::new(String::new());
    if plain {
        bytes.push_str(&zeroize::Zeroizing::new(sequence(text, false)));
    }
    if wrapped {
        bytes.push_str(&zeroize::Zeroizing::new(sequence(text, true)));
    }
    out.write_all(bytes.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write to the terminal ({e})"))
}

/// Standard base64 with padding (RFC 4648), what OSC 52 expects.
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x3f]), "//4/");
    }

    #[test]
    fn tmux_versions() {
        assert!(older_than_3_3("tmux 3.2a"));
        assert!(older_than_3_3("tmux 2.9"));
        assert!(!older_than_3_3("tmux 3.3a"));
        assert!(!older_than_3_3("tmux 3.5"));
        assert!(!older_than_3_3("tmux next-3.6"));
    }

    #[test]
    fn sequences() {
        assert_eq!(sequence("foo", false), "\x1b]52;c;Zm9v\x07");
        assert_eq!(
            sequence("foo", true),
            "\x1bPtmux;\x1b\x1b]52;c;Zm9v\x07\x1b\\"
        );
    }
}
