//! One-time codes: the current TOTP code (RFC 6238) of an `otpauth://totp/…` value, as
//! pass-otp, gopass and `op` show it. The URI is the secret; the code is derived from it and
//! is a secret too (for its 30 seconds), so both travel as [`SecretValue`]s.
//!
//! ```
//! use home_secret_toml::otp::Totp;
//!
//! // RFC 6238's SHA-1 test key ("12345678901234567890"), 8 digits.
//! let uri = "otpauth://totp/Example:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8";
//! let totp = Totp::parse(uri)?;
//! assert_eq!(totp.code_at(59).expose(), "94287082");
//! assert_eq!(totp.seconds_left(59), 1);
//! # Ok::<(), home_secret_toml::otp::OtpError>(())
//! ```

use hmac::{Hmac, Mac};
use zeroize::Zeroizing;

use crate::value::SecretValue;

/// Why a value is not a TOTP URI hst can use. Never holds the secret.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OtpError {
    #[error("is not an otpauth://totp/ URI")]
    NotTotp,
    #[error("is an otpauth://hotp/ URI (counter-based); hst shows time-based codes only")]
    Hotp,
    #[error("has no secret= parameter")]
    NoSecret,
    #[error("has a secret= that is not base32 (A–Z, 2–7)")]
    BadSecret,
    #[error("has algorithm={0}; hst knows SHA1, SHA256 and SHA512")]
    Algorithm(String),
    #[error("has digits={0}; codes have 6 to 8 digits")]
    Digits(String),
    #[error("has period={0}; the period is a whole number of seconds from 1")]
    Period(String),
}

/// The hash under the HMAC.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

/// A parsed `otpauth://totp/` URI. `Debug` shows the parameters, never the key.
pub struct Totp {
    key: Zeroizing<Vec<u8>>,
    pub algorithm: Algorithm,
    pub digits: u32,
    pub period: u64,
}

impl std::fmt::Debug for Totp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Totp")
            .field("key", &"<redacted>")
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("period", &self.period)
            .finish()
    }
}

/// Whether `text` looks like a TOTP URI (cheap: for deciding what to show, not validating).
pub fn is_totp_uri(text: &str) -> bool {
    text.get(..15)
        .is_some_and(|s| s.eq_ignore_ascii_case("otpauth://totp/"))
}

impl Totp {
    /// Reads the URI's `secret`, `algorithm` (default SHA1), `digits` (6) and `period` (30),
    /// as Google Authenticator's key-URI format defines them.
    pub fn parse(uri: &str) -> Result<Self, OtpError> {
        let uri = uri.trim();
        if !is_totp_uri(uri) {
            let hotp = uri
                .get(..15)
                .is_some_and(|s| s.eq_ignore_ascii_case("otpauth://hotp/"));
            return Err(if hotp {
                OtpError::Hotp
            } else {
                OtpError::NotTotp
            });
        }
        let query = uri.split_once('?').map_or("", |(_, q)| q);
        let query = query.split_once('#').map_or(query, |(q, _)| q);
        let mut secret = None;
        let mut totp = Totp {
            key: Zeroizing::new(Vec::new()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
        };
        for pair in query.split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decoded(value);
            match name.to_ascii_lowercase().as_str() {
                "secret" => secret = Some(value),
                "algorithm" => totp.algorithm = algorithm(&value)?,
                "digits" => {
                    totp.digits = value
                        .parse()
                        .ok()
                        .filter(|d| (6..=8).contains(d))
                        .ok_or_else(|| OtpError::Digits(value.to_string()))?;
                }
                "period" => {
                    totp.period = value
                        .parse()
                        .ok()
                        .filter(|&p| p >= 1)
                        .ok_or_else(|| OtpError::Period(value.to_string()))?;
                }
                _ => {}
            }
        }
        totp.key = base32_key(&secret.ok_or(OtpError::NoSecret)?)?;
        Ok(totp)
    }

    /// The code for the moment `unix_seconds` (seconds since 1970, UTC), zero-padded.
    pub fn code_at(&self, unix_seconds: u64) -> SecretValue {
        let counter = (unix_seconds / self.period).to_be_bytes();
        // HMAC takes a key of any length, so `new_from_slice` cannot fail.
        macro_rules! mac {
            ($hash:ty) => {
                Hmac::<$hash>::new_from_slice(&self.key)
                    .map(|mut mac| {
                        mac.update(&counter);
                        Zeroizing::new(mac.finalize().into_bytes().to_vec())
                    })
                    .unwrap_or_default()
            };
        }
        let digest: Zeroizing<Vec<u8>> = match self.algorithm {
            Algorithm::Sha1 => mac!(sha1::Sha1),
            Algorithm::Sha256 => mac!(sha2::Sha256),
            Algorithm::Sha512 => mac!(sha2::Sha512),
        };
        // RFC 4226 §5.3, dynamic truncation: 31 bits from the offset the last nibble gives.
        let offset = usize::from(digest.last().copied().unwrap_or(0) & 0x0f);
        let mut word = [0u8; 4];
        word.copy_from_slice(digest.get(offset..offset + 4).unwrap_or(&[0; 4]));
        let number = u32::from_be_bytes(word) & 0x7fff_ffff;
        let code = number % 10u32.pow(self.digits);
        SecretValue::new(format!("{code:0width$}", width = self.digits as usize))
    }

    /// Seconds until the code at `unix_seconds` changes (1 to `period`).
    pub fn seconds_left(&self, unix_seconds: u64) -> u64 {
        self.period - unix_seconds % self.period
    }

    /// The code now, by the system clock.
    pub fn code_now(&self) -> (SecretValue, u64) {
        let now = now_unix();
        (self.code_at(now), self.seconds_left(now))
    }
}

/// Seconds since 1970 by the system clock (0 before it, which no clock shows).
pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn algorithm(name: &str) -> Result<Algorithm, OtpError> {
    match name.to_ascii_uppercase().replace('-', "").as_str() {
        "SHA1" => Ok(Algorithm::Sha1),
        "SHA256" => Ok(Algorithm::Sha256),
        "SHA512" => Ok(Algorithm::Sha512),
        _ => Err(OtpError::Algorithm(name.to_string())),
    }
}

/// The key from its base32 text: case, spaces, dashes and `=` padding ignored, as
/// authenticator apps accept it.
fn base32_key(text: &str) -> Result<Zeroizing<Vec<u8>>, OtpError> {
    let cleaned: Zeroizing<String> = Zeroizing::new(
        text.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '='))
            .map(|c| c.to_ascii_uppercase())
            .collect(),
    );
    if cleaned.is_empty() {
        return Err(OtpError::BadSecret);
    }
    data_encoding::BASE32_NOPAD
        .decode(cleaned.as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| OtpError::BadSecret)
}

/// `%XX` escapes of a URI's query value resolved (`+` kept: otpauth URIs use `%20`).
fn percent_decoded(value: &str) -> Zeroizing<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Zeroizing::new(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B: the seeds are ASCII digits repeated to the hash's length.
    const SEED20: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    const SEED32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    const SEED64: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
                          GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";

    #[test]
    fn rfc_6238_test_vectors() {
        let table: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ];
        for (algorithm, seed, column) in [
            ("SHA1", SEED20, 1),
            ("SHA256", SEED32, 2),
            ("SHA512", SEED64, 3),
        ] {
            let uri = format!("otpauth://totp/x?secret={seed}&algorithm={algorithm}&digits=8");
            let totp = Totp::parse(&uri).unwrap();
            for row in table {
                let want = [row.1, row.2, row.3][column - 1];
                assert_eq!(
                    totp.code_at(row.0).expose(),
                    want,
                    "{algorithm} at {}",
                    row.0
                );
            }
        }
    }

    #[test]
    fn defaults_and_six_digits() {
        let totp = Totp::parse(&format!("otpauth://totp/Ex:me?issuer=Ex&secret={SEED20}")).unwrap();
        assert_eq!(
            (totp.digits, totp.period, totp.algorithm),
            (6, 30, Algorithm::Sha1)
        );
        // The last six digits of the 8-digit vector.
        assert_eq!(totp.code_at(59).expose(), "287082");
        assert_eq!(totp.seconds_left(59), 1);
        assert_eq!(totp.seconds_left(60), 30);
        let lower = Totp::parse(&format!(
            "OTPAUTH://totp/x?secret={}&period=60",
            SEED20.to_lowercase()
        ))
        .unwrap();
        assert_eq!(lower.period, 60);
        assert_eq!(lower.code_at(119).expose(), totp.code_at(59).expose());
    }

    #[test]
    fn bad_uris_say_why_and_never_hold_the_secret() {
        let cases = [
            ("https://example.com", OtpError::NotTotp),
            ("otpauth://hotp/x?secret=GEZDGNBV&counter=1", OtpError::Hotp),
            ("otpauth://totp/x?issuer=a", OtpError::NoSecret),
            (
                "otpauth://totp/x?secret=fake-secret-189!",
                OtpError::BadSecret,
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBV&algorithm=MD5",
                OtpError::Algorithm("MD5".into()),
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBV&digits=9",
                OtpError::Digits("9".into()),
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBV&period=0",
                OtpError::Period("0".into()),
            ),
        ];
        for (uri, want) in cases {
            let got = Totp::parse(uri).unwrap_err();
            assert_eq!(got, want);
            assert!(!got.to_string().contains("fake-secret"));
        }
        let totp = Totp::parse("otpauth://totp/x?secret=GEZDGNBV").unwrap();
        assert!(!format!("{totp:?}").contains("GEZDGNBV"));
    }
}
