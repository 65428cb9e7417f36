//! Reading the small files that configure hst (the config file, a project's `hst.toml`):
//! regular files only, never more than a limit. A FIFO, `/dev/stdin` fed from `/dev/zero` or a
//! 2 GB file named by mistake gets a one-line error instead of a hang or a full memory.

use std::fs::{Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// The text of the regular file at `path` (symlinks followed), at most `limit` bytes. A missing
/// file is an [`io::ErrorKind::NotFound`] error, which callers may treat as empty.
pub fn read_text(path: &Path, limit: u64) -> io::Result<String> {
    check(&std::fs::metadata(path)?, limit)?;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Swapped for a FIFO since the stat: the open must not wait for a writer.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    check(&file.metadata()?, limit)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not valid UTF-8 text"))
}

fn check(meta: &Metadata, limit: u64) -> io::Result<()> {
    if meta.is_dir() {
        return Err(io::Error::other("is a directory, not a file"));
    }
    if !meta.is_file() {
        return Err(io::Error::other(format!(
            "is {}, not a regular file; hst reads regular files only",
            kind_name(meta)
        )));
    }
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    Ok(())
}

fn too_large(limit: u64) -> io::Error {
    io::Error::other(format!(
        "is larger than {} KiB, which no file of this kind needs; hst does not read it",
        limit / 1024
    ))
}

/// What a file that is not a regular file is, for messages.
pub(crate) fn kind_name(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    let _ = meta;
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_small_regular_files_and_refuses_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("a.toml");
        std::fs::write(&small, "a = 1\n").unwrap();
        assert_eq!(read_text(&small, 100).unwrap(), "a = 1\n");
        let err = read_text(&small, 3).unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
        assert!(read_text(dir.path(), 100).is_err());
        let missing = read_text(&dir.path().join("none"), 100).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        #[cfg(unix)]
        {
            let err = read_text(Path::new("/dev/zero"), 100).unwrap_err();
            assert!(err.to_string().contains("character device"), "{err}");
        }
    }
}
