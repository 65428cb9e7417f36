//! Keeping secrets out of core dumps. Every process of hst may hold plaintext (the decrypted
//! file, a revealed or copied value), and many systems collect core files by default
//! (systemd-coredump, apport): a crash or a `kill -ABRT` would write every value to disk. So
//! the programs, first thing, make themselves non-dumpable (Linux `PR_SET_DUMPABLE` 0, which
//! also keeps other processes of the same user from reading their memory through `/proc` or a
//! debugger) and set their core size limit to 0. Buffers of decrypted text are also marked
//! `MADV_DONTDUMP`, so even a dump forced by the administrator leaves them out.

use std::sync::OnceLock;

#[cfg(unix)]
use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

/// The core size limit the process started with, given back to a program `hst run` becomes.
#[cfg(unix)]
static STARTED_WITH: OnceLock<Rlimit> = OnceLock::new();

/// Makes this process non-dumpable and its core size limit 0 (the hard limit is kept, so that
/// [`restore_for_exec`] can raise it again). Best effort: where a call is not available the
/// others still apply.
pub fn forbid_core_dumps() {
    #[cfg(target_os = "linux")]
    {
        let _ =
            rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable);
    }
    #[cfg(unix)]
    {
        let started = getrlimit(Resource::Core);
        let _ = STARTED_WITH.set(started);
        let _ = setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: started.maximum,
            },
        );
    }
}

/// Before `exec` of the user's program (`hst run`): it gets the core limit hst was started with
/// (the kernel makes it dumpable again by itself).
pub fn restore_for_exec() {
    #[cfg(unix)]
    if let Some(started) = STARTED_WITH.get() {
        let _ = setrlimit(Resource::Core, *started);
    }
}

/// Keeps the pages of `buffer`'s allocation out of swap (`mlock`, best effort: the default
/// limit is a few MiB) and out of core dumps (`MADV_DONTDUMP`, Linux).
#[allow(unsafe_code)]
pub(crate) fn protect(buffer: &[u8], capacity: usize) {
    if capacity == 0 {
        return;
    }
    #[cfg(unix)]
    {
        let start = buffer.as_ptr() as usize;
        // SAFETY: `start..start + capacity` is one live allocation owned by the caller's buffer;
        // mlock only changes how the kernel pages it and never reads or writes it. Pages stay
        // locked until they are unmapped, which is harmless.
        unsafe {
            let _ = rustix::mm::mlock(buffer.as_ptr().cast_mut().cast(), capacity);
        }
        #[cfg(target_os = "linux")]
        {
            // madvise wants whole pages: the range grows to the pages that hold the buffer
            // (leaving a neighbour's bytes out of a dump too is harmless).
            let page = rustix::param::page_size();
            let first = start & !(page - 1);
            let end = (start + capacity).next_multiple_of(page);
            // SAFETY: the range covers only pages of this process's heap that hold the live
            // allocation; MADV_DONTDUMP changes what a core dump includes, nothing else.
            unsafe {
                let _ = rustix::mm::madvise(
                    first as *mut std::ffi::c_void,
                    end - first,
                    rustix::mm::Advice::LinuxDontDump,
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (buffer, capacity);
}
