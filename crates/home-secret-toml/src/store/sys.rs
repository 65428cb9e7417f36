//! The one system call std does not offer: Linux file leases, used to ask "does anybody have
//! this file open for writing?" before trusting what was read.
#![allow(unsafe_code)]

use std::fs::File;

/// Whether another process has `file` (which we opened read-only) open for writing. Linux grants
/// a read lease only when nobody has the file open for writing, so the answer is one
/// `F_SETLEASE` and an immediate release. `false` when leases are unavailable (another
/// filesystem, another user's file, another OS): then only the other checks apply.
/// `F_SETSIG` from `<fcntl.h>` (the same on every Linux architecture; the libc crate lacks it).
#[cfg(target_os = "linux")]
const F_SETSIG: libc::c_int = 10;

#[cfg(target_os = "linux")]
pub(crate) fn open_for_writing_elsewhere(file: &File) -> bool {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is a valid descriptor owned by `file`, which outlives these calls; F_SETSIG
    // and F_SETLEASE take one int argument. While the lease is held (microseconds), a process
    // opening the file for writing makes the kernel signal us; SIGURG is ignored by default, so
    // that signal cannot end this process (the default lease signal, SIGIO, would).
    unsafe {
        if libc::fcntl(fd, F_SETSIG, libc::SIGURG) == -1 {
            return false;
        }
        if libc::fcntl(fd, libc::F_SETLEASE, libc::F_RDLCK) == -1 {
            return std::io::Error::last_os_error().raw_os_error() == Some(libc::EAGAIN);
        }
        libc::fcntl(fd, libc::F_SETLEASE, libc::F_UNLCK);
    }
    false
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn open_for_writing_elsewhere(_file: &File) -> bool {
    false
}
