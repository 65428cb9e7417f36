//! Where imported secrets come from besides `.env` files: a `pass` store (each entry's first
//! line, and its `name: value` lines as sibling keys), and a 1Password CSV export. Each gives
//! `(key parts, value)`; nothing here prints a value.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use zeroize::Zeroizing;

pub type Found = Vec<(Vec<String>, Zeroizing<String>)>;

/// A key part from a name: `.` cannot be inside one (keys are split at dots).
pub fn part(name: &str) -> String {
    name.trim().replace('.', "_")
}

/// The entries of the `pass` store (`$PASSWORD_STORE_DIR`, else `~/.password-store`) under
/// `subdir`, each decrypted by gpg (its agent asks for a passphrase as `pass show` would).
pub fn pass_store(subdir: Option<&Path>) -> Result<Found, String> {
    let store = std::env::var_os("PASSWORD_STORE_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".password-store")))
        .ok_or("no pass store: set PASSWORD_STORE_DIR")?;
    let root = subdir.map_or_else(|| store.clone(), |s| store.join(s));
    if !root.is_dir() {
        return Err(format!("{}: not a pass store folder", root.display()));
    }
    let mut files = Vec::new();
    collect(&root, &mut files)?;
    files.sort();
    let mut found = Found::new();
    for file in files {
        let name = file.strip_prefix(&root).unwrap_or(&file).with_extension("");
        let parts: Vec<String> = name
            .components()
            .map(|c| part(&c.as_os_str().to_string_lossy()))
            .filter(|p| !p.is_empty())
            .collect();
        let text = decrypt(&file)?;
        let mut lines = text.lines();
        let first = lines.next().unwrap_or("");
        found.push((with(&parts, "value"), Zeroizing::new(first.to_string())));
        for line in lines {
            if line.starts_with("otpauth://") {
                found.push((with(&parts, "otp"), Zeroizing::new(line.to_string())));
            } else if let Some((field, value)) = line.split_once(": ")
                && !field.trim().is_empty()
                && field.trim() != "value"
            {
                found.push((
                    with(&parts, &part(field)),
                    Zeroizing::new(value.to_string()),
                ));
            }
        }
    }
    Ok(found)
}

fn with(parts: &[String], last: &str) -> Vec<String> {
    let mut key = parts.to_vec();
    key.push(last.to_string());
    key
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if kind.is_dir() {
            collect(&path, files)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "gpg") {
            files.push(path);
        }
    }
    Ok(())
}

/// The plaintext of one entry, read from gpg's stdout (never a file, never an argument).
fn decrypt(file: &Path) -> Result<Zeroizing<String>, String> {
    let out = Command::new("gpg")
        .args(["--quiet", "--batch", "--yes", "--decrypt"])
        .arg(file)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run gpg (pass stores are gpg files): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "gpg could not decrypt {}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = Zeroizing::new(out.stdout);
    String::from_utf8(text.to_vec())
        .map(Zeroizing::new)
        .map_err(|_| format!("{}: not UTF-8 text", file.display()))
}

/// A 1Password CSV export: a header row naming the columns (Title, Url or Website, Username,
/// Password, OTPAuth or One-time password, Notes, any case), one item per row; each item's
/// non-empty fields under its title (`github.username`, `github.password`, …).
pub fn onepassword_csv(text: &str) -> Result<Found, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("the CSV header: {e}"))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let title = column(&["title", "name"]).ok_or("the CSV has no Title column")?;
    let fields = [
        ("url", column(&["url", "website", "urls"])),
        ("username", column(&["username", "login"])),
        ("password", column(&["password"])),
        ("otp", column(&["otpauth", "one-time password", "otp"])),
        ("notes", column(&["notes", "notesplain"])),
    ];
    let mut found = Found::new();
    let mut titles: Vec<String> = Vec::new();
    for (row, record) in reader.records().enumerate() {
        // Row numbers, never the row: a malformed line may hold a password.
        let record = record.map_err(|_| format!("CSV row {} cannot be read", row + 2))?;
        let mut name = part(record.get(title).unwrap_or(""));
        if name.is_empty() {
            name = format!("item_{}", row + 1);
        }
        let taken = titles.iter().filter(|t| **t == name).count();
        titles.push(name.clone());
        if taken > 0 {
            name = format!("{name}_{}", taken + 1);
        }
        for (field, index) in fields {
            if let Some(value) = index.and_then(|i| record.get(i)).filter(|v| !v.is_empty()) {
                found.push((
                    vec![name.clone(), field.to_string()],
                    Zeroizing::new(value.to_string()),
                ));
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_1password_export_becomes_keys_under_each_title() {
        let csv = "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n\
                   GitHub,https://github.com,octo,fake-pw-1,,false,false,,\n\
                   \"My.Bank\",,me,\"fake,pw\"\"2\",otpauth://totp/x?secret=GEZDGNBV,false,false,,\"two\nlines\"\n\
                   GitHub,,other,fake-pw-3,,,,,\n";
        let found: Vec<(String, String)> = onepassword_csv(csv)
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k.join("."), v.to_string()))
            .collect();
        assert_eq!(
            found,
            [
                ("GitHub.url", "https://github.com"),
                ("GitHub.username", "octo"),
                ("GitHub.password", "fake-pw-1"),
                ("My_Bank.username", "me"),
                ("My_Bank.password", "fake,pw\"2"),
                ("My_Bank.otp", "otpauth://totp/x?secret=GEZDGNBV"),
                ("My_Bank.notes", "two\nlines"),
                ("GitHub_2.username", "other"),
                ("GitHub_2.password", "fake-pw-3"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        assert!(onepassword_csv("a,b\n1,2\n").unwrap_err().contains("Title"));
    }
}
