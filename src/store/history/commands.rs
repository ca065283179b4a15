//! The browser's command-line history, beside the lookups' (`commands.json` in the same
//! directory): `{"version": 1, "commands": [":region eu-central-1", ...]}`, oldest first,
//! written atomically (mode 0600). Commands hold ARNs, endpoint IDs, profile names and paths,
//! never a token. A file that cannot be read or parsed starts an empty history (the next save
//! replaces it); a symbolic link or special file is refused (by `files::write_atomic`) and
//! left alone.

use crate::store::files;
use std::path::Path;

/// The largest file read (100 commands of 4 KiB at most).
const MAX_BYTES: u64 = 1 << 20;

#[derive(serde::Serialize, serde::Deserialize)]
struct Doc {
    version: u64,
    commands: Vec<String>,
}

/// The commands in `path`, oldest first (empty when there is no readable file).
pub fn load_commands(path: &Path) -> Vec<String> {
    let Ok(bytes) = files::read_bounded(path, MAX_BYTES, false) else { return Vec::new() };
    match serde_json::from_slice::<Doc>(&bytes) {
        Ok(d) if d.version == 1 => d.commands,
        _ => Vec::new(),
    }
}

/// Write `commands` (oldest first) to `path`.
pub fn save_commands(path: &Path, commands: &[String]) -> std::io::Result<()> {
    let doc = Doc { version: 1, commands: commands.to_vec() };
    let mut bytes = serde_json::to_vec_pretty(&doc).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    files::write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_round_trip_and_damage_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("commands.json");
        assert!(load_commands(&p).is_empty());
        save_commands(&p, &[":instances".into(), ":region eu-central-1".into()]).unwrap();
        assert_eq!(load_commands(&p), vec![":instances", ":region eu-central-1"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&p, b"{not json").unwrap();
        assert!(load_commands(&p).is_empty());
    }
}
