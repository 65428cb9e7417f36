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

/// Sends the sequence to `out` (the terminal) in one write.
pub fn send(out: &mut dyn Write, text: &str, tmux: bool) -> std::io::Result<()> {
    let seq = zeroize::Zeroizing::new(sequence(text, tmux));
    out.write_all(seq.as_bytes())?;
    out.flush()
}

/// Standard base64 with padding (RFC 4648), what OSC 52 expects.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
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
    fn sequences() {
        assert_eq!(sequence("foo", false), "\x1b]52;c;Zm9v\x07");
        assert_eq!(
            sequence("foo", true),
            "\x1bPtmux;\x1b\x1b]52;c;Zm9v\x07\x1b\\"
        );
    }
}
