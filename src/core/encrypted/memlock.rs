//! Keeping decrypted text out of swap where the system allows it (`mlock`, best effort: the
//! default limit is a few MiB, and a failure only means the pages may be swapped like any other).
#![allow(unsafe_code)]

use zeroize::Zeroizing;

#[cfg(unix)]
pub fn lock_capacity(buffer: &Zeroizing<Vec<u8>>) {
    if buffer.capacity() == 0 {
        return;
    }
    // SAFETY: the pointer and capacity describe one live allocation owned by `buffer`; mlock
    // only changes how the kernel pages it and never reads or writes it. The pages stay locked
    // until they are unmapped, which is harmless.
    unsafe {
        libc::mlock(buffer.as_ptr().cast(), buffer.capacity());
    }
}

#[cfg(not(unix))]
pub fn lock_capacity(_buffer: &Zeroizing<Vec<u8>>) {}
