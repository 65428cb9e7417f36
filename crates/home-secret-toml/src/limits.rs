//! Every bound on what hst reads, in one place: each keeps a hostile or mistaken input (a
//! huge file, a FIFO, a crafted header, a million-digit number) from holding a command for
//! minutes or filling the memory. Far above anything a real file needs.

/// Reading stops here: a secrets file is kilobytes; this is far above any real one (a million
/// entries is under 100 MiB) and keeps a wrong `--path` from eating the machine's memory.
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// What a configuration file may weigh: far above any real one (a manifest naming 10,000
/// variables is about 600 KiB).
pub const MAX_CONFIG_FILE: u64 = 4 * 1024 * 1024;

/// Python refuses to turn an integer of more digits than this into a number or text
/// (`sys.get_int_max_str_digits()`, CVE-2020-10735), so `tomllib` cannot read such a file. The
/// conversion is quadratic in the digits: a million-digit literal would hold every command.
pub const MAX_INT_DIGITS: usize = 4300;

/// An identity file is a few lines; this bound keeps a wrong path from being read whole.
pub const MAX_IDENTITY_FILE: u64 = 1024 * 1024;

/// The most recipient stanzas hst reads in one age header. A team file has a few dozen; a
/// crafted flood is refused before the age crate sees it.
pub const MAX_STANZAS: usize = 1024;

/// The largest header hst reads (1,024 SSH-RSA stanzas take about 600 KiB).
pub const MAX_HEADER_BYTES: usize = 1024 * 1024;
