//! What the outside of an age file says: binary or ASCII-armored, passphrase or recipients, and
//! how many recipients of which kind (the header is public; the file key and text are not).

use std::io::Read;

use crate::limits::{MAX_HEADER_BYTES, MAX_STANZAS};

/// How an age file is written; a save writes it back the same way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Shape {
    /// `-----BEGIN AGE ENCRYPTED FILE-----` text (`age -a`) rather than binary.
    pub(crate) armored: bool,
    /// Encrypted with a passphrase (one scrypt stanza).
    pub(crate) passphrase: bool,
    /// The scrypt work factor (log2 N) of a passphrase file.
    pub(crate) work: u8,
    /// Number of recipients hst can encrypt to (X25519 and SSH keys).
    pub(crate) keys: usize,
    /// The key tags of the SSH stanzas (which SSH key each is for).
    pub(crate) ssh_tags: Vec<String>,
    /// Recipient kinds hst cannot encrypt to (plugins, post-quantum keys), by tag.
    pub(crate) foreign: Vec<String>,
    /// Where the header ends in the binary file (after the `--- MAC` line's newline).
    pub(crate) header_len: usize,
}

const BINARY_MAGIC: &[u8] = b"age-encryption.org/";
const ARMOR_BEGIN: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// Why bytes are not an age file we can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotAge {
    /// Does not start like an age file at all.
    Foreign,
    /// Starts like one, but the armor or header is broken.
    Damaged,
    /// A later version of the format.
    Newer,
    /// A header larger than any real file has (see [`MAX_STANZAS`], [`MAX_HEADER_BYTES`]).
    HugeHeader,
}

/// Whether `bytes` start like an age file (binary or armored).
pub(crate) fn looks_like_age(bytes: &[u8]) -> bool {
    let trimmed = trim_start(bytes);
    bytes.starts_with(BINARY_MAGIC) || trimmed.starts_with(ARMOR_BEGIN)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// The binary age file inside `bytes` (armor removed) and its shape.
pub(crate) fn unwrap(bytes: &[u8]) -> Result<(Vec<u8>, Shape), NotAge> {
    let armored = trim_start(bytes).starts_with(ARMOR_BEGIN);
    let binary = if armored {
        let mut out = Vec::with_capacity(bytes.len());
        age::armor::ArmoredReader::new(bytes)
            .read_to_end(&mut out)
            .map_err(|_| NotAge::Damaged)?;
        out
    } else if bytes.starts_with(BINARY_MAGIC) {
        bytes.to_vec()
    } else {
        return Err(NotAge::Foreign);
    };
    let mut shape = stanzas(&binary)?;
    shape.armored = armored;
    Ok((binary, shape))
}

/// Reads the recipient stanzas' tags from the header (`-> TAG args…` lines up to `--- MAC`).
fn stanzas(binary: &[u8]) -> Result<Shape, NotAge> {
    let mut lines = binary.split(|&b| b == b'\n');
    match lines.next() {
        Some(b"age-encryption.org/v1") => {}
        Some(line) if line.starts_with(BINARY_MAGIC) => return Err(NotAge::Newer),
        _ => return Err(NotAge::Damaged),
    }
    let mut shape = Shape::default();
    let mut size = b"age-encryption.org/v1\n".len();
    let mut count = 0usize;
    for line in lines {
        if line.starts_with(b"---") {
            shape.header_len = (size + line.len() + 1).min(binary.len());
            return Ok(shape);
        }
        size += line.len() + 1;
        if size > MAX_HEADER_BYTES {
            return Err(NotAge::HugeHeader);
        }
        let Some(rest) = line.strip_prefix(b"-> ") else {
            continue;
        };
        count += 1;
        if count > MAX_STANZAS {
            return Err(NotAge::HugeHeader);
        }
        let mut args = rest.split(|&b| b == b' ');
        let tag = args.next().unwrap_or_default();
        match tag {
            b"X25519" => shape.keys += 1,
            b"ssh-ed25519" | b"ssh-rsa" => {
                shape.keys += 1;
                let key_tag = args.next().unwrap_or_default();
                shape
                    .ssh_tags
                    .push(String::from_utf8_lossy(key_tag).into_owned());
            }
            b"scrypt" => {
                shape.passphrase = true;
                let arg = rest.split(|&b| b == b' ').nth(2).unwrap_or_default();
                shape.work = std::str::from_utf8(arg)
                    .ok()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(u8::MAX);
            }
            // Random stanzas every age writer adds so that readers skip unknown ones.
            t if t.ends_with(b"-grease") => {}
            t => shape.foreign.push(String::from_utf8_lossy(t).into_owned()),
        }
    }
    Err(NotAge::Damaged)
}

/// The binary age file as the age crate reads it, with the whole header handed over in one
/// piece. The crate's buffered reader asks for one line at a time and parses the header again
/// from its start after each line, which is quadratic in the header's size (a 1 MiB header
/// took 44 s); given the header at once, it parses it once.
pub(crate) struct WholeHeader<'a> {
    rest: &'a [u8],
    header_left: usize,
}

impl<'a> WholeHeader<'a> {
    pub(crate) fn new(binary: &'a [u8], shape: &Shape) -> Self {
        Self {
            rest: binary,
            header_left: shape.header_len,
        }
    }
}

impl std::io::Read for WholeHeader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.rest.read(buf)?;
        self.header_left = self.header_left.saturating_sub(n);
        Ok(n)
    }
}

impl std::io::BufRead for WholeHeader<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Ok(self.rest)
    }

    fn consume(&mut self, amount: usize) {
        let amount = amount.min(self.rest.len());
        self.rest = &self.rest[amount..];
        self.header_left = self.header_left.saturating_sub(amount);
    }

    fn read_until(&mut self, byte: u8, buf: &mut Vec<u8>) -> std::io::Result<usize> {
        // Within the header, everything up to its end at once (it ends with a newline).
        let n = if byte == b'\n' && self.header_left > 0 {
            self.header_left.min(self.rest.len())
        } else {
            match self.rest.iter().position(|&b| b == byte) {
                Some(i) => i + 1,
                None => self.rest.len(),
            }
        };
        buf.extend_from_slice(&self.rest[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_counted_and_grease_is_ignored() {
        let header = b"age-encryption.org/v1\n-> X25519 abc\nbody\n-> X25519 def\nbody\n\
                       -> x-grease 1 2\n\n-> ssh-ed25519 k v\nb\n-> piv-p256 t k\nb\n--- mac\npayload";
        let shape = stanzas(header).unwrap();
        assert_eq!(shape.keys, 3);
        assert_eq!(shape.ssh_tags, ["k"]);
        assert_eq!(shape.foreign, ["piv-p256"]);
        assert!(!shape.passphrase);
        assert_eq!(stanzas(b"age-encryption.org/v2\n"), Err(NotAge::Newer));
        assert_eq!(
            stanzas(b"age-encryption.org/v1\n-> X25519 a\n"),
            Err(NotAge::Damaged)
        );
        assert_eq!(unwrap(b"a = 1\n").map(|_| ()), Err(NotAge::Foreign));
        assert!(looks_like_age(b"\n-----BEGIN AGE ENCRYPTED FILE-----\n"));
        assert!(!looks_like_age(b"# age-encryption.org/v1\n"));
        let pass = stanzas(b"age-encryption.org/v1\n-> scrypt c2FsdA 40\nbody\n--- mac\n").unwrap();
        assert!(pass.passphrase);
        assert_eq!(pass.work, 40);
    }

    #[test]
    fn floods_of_stanzas_are_refused_before_the_age_crate_sees_them() {
        let header = |n: usize| {
            let mut h = b"age-encryption.org/v1\n".to_vec();
            for _ in 0..n {
                h.extend_from_slice(b"-> X25519 c3R1ZmY\nYm9keQ\n");
            }
            h.extend_from_slice(b"--- mac\n");
            h
        };
        assert_eq!(
            stanzas(&header(MAX_STANZAS)).map(|s| s.keys),
            Ok(MAX_STANZAS)
        );
        assert_eq!(stanzas(&header(MAX_STANZAS + 1)), Err(NotAge::HugeHeader));
        let mut long = b"age-encryption.org/v1\n-> X25519 a\n".to_vec();
        long.extend(std::iter::repeat_n(b'A', MAX_HEADER_BYTES));
        long.extend_from_slice(b"\n--- mac\n");
        assert_eq!(stanzas(&long), Err(NotAge::HugeHeader));
    }
}
