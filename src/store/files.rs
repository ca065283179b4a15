//! How chimescope reads and writes its files: atomic writes (a temporary file from tempfile,
//! synced, then renamed), new files that never replace anything, bounded reads of regular
//! files only (no FIFO, device or directory is ever waited on), and private (0600) opening.
//! Symbolic links and special files are refused ([`is_refusal`]).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Create a private directory (0700) and its parents.
pub fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// The largest config file read (a real one is a few hundred bytes).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// What a file type is, for messages: "a directory", "a FIFO", "a symbolic link"…
pub fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a directory"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// A path chimescope refuses to read or write: `ErrorKind::InvalidInput` and a message that
/// says what it is.
fn refusal(path: &Path, what: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("{} is {what}, not a regular file; chimescope leaves it alone", path.display()),
    )
}

/// Whether an error is one of [`refusal`]'s (a symbolic link or a special file where a regular
/// file belongs), as opposed to a read or write that failed.
pub fn is_refusal(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::InvalidInput
}

/// `Err` (a [`refusal`]) when `path` exists and is not a regular file, the path itself: a
/// symbolic link is refused whatever it points to. A missing path is fine.
pub fn refuse_special(path: &Path) -> std::io::Result<()> {
    match path.symlink_metadata() {
        Ok(m) if m.file_type().is_file() => Ok(()),
        Ok(m) => Err(refusal(path, kind_of(&m.file_type()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Open with `O_NONBLOCK` (a FIFO never holds the open up) and, unless `follow`, `O_NOFOLLOW`
/// (a symbolic link is refused, not followed); then refuse anything but a regular file.
fn open_checked(path: &Path, o: &mut std::fs::OpenOptions, follow: bool) -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = OFlags::NONBLOCK | OFlags::CLOEXEC;
        if !follow {
            flags |= OFlags::NOFOLLOW;
        }
        o.custom_flags(flags.bits() as i32);
    }
    // Look before opening (opening a device can do things); the open checks again.
    let before = if follow { path.metadata() } else { path.symlink_metadata() };
    if let Ok(m) = before
        && !m.file_type().is_file()
    {
        return Err(refusal(path, kind_of(&m.file_type())));
    }
    let file = match o.open(path) {
        Ok(f) => f,
        // ELOOP: the last component is a symbolic link (O_NOFOLLOW); ENXIO: a FIFO without a
        // reader opened for writing.
        Err(e) if !follow && e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            return Err(refusal(path, "a symbolic link"));
        }
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::NXIO.raw_os_error()) => {
            return Err(match path.metadata() {
                Ok(m) => refusal(path, kind_of(&m.file_type())),
                Err(_) => e,
            });
        }
        Err(e) => return Err(e),
    };
    let t = file.metadata()?.file_type();
    if !t.is_file() {
        return Err(refusal(path, kind_of(&t)));
    }
    Ok(file)
}

/// Open for writing (appending or truncating), created with mode 0600 and tightened to it;
/// see [`open_checked`] for what is refused.
pub(super) fn open_private(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true);
    if append {
        o.append(true);
    } else {
        o.truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let file = open_checked(path, &mut o, false)?;
    // A file that was there before keeps its mode through open(): tighten it (on the open
    // file, not the path).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

/// Open a file for appending, created with mode 0600 (an existing file is tightened to 0600).
/// A symbolic link or a special file there is refused ([`is_refusal`]).
pub fn open_append_private(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent() {
        ensure_private_dir(dir)?;
    }
    open_private(path, true)
}

/// The bytes of the regular file at `path`, at most `max` of them. A FIFO, a device, a
/// directory (and, unless `follow`, a symbolic link) is refused ([`is_refusal`]) without
/// waiting or reading; a longer file is an `InvalidData` error. A missing file is `NotFound`,
/// as for `std::fs::read`.
pub fn read_bounded(path: &Path, max: u64, follow: bool) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    let file = open_checked(path, &mut o, follow)?;
    let too_big = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{} is larger than {} MiB", path.display(), max >> 20),
        )
    };
    let len = file.metadata()?.len();
    if len > max {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
}

/// [`read_bounded`] (following a symbolic link: a config file is often one) as UTF-8 text, for
/// the config file.
pub fn read_config_text(path: &Path) -> std::io::Result<String> {
    let bytes = read_bounded(path, MAX_CONFIG_BYTES, true)?;
    String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8")
    })
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// A new temporary file in `dir`: an unpredictable name (`.NAME.XXXXXX.tmp`), created with
/// `O_EXCL` and mode 0600 (tempfile), so nothing planted there is ever opened; removed when
/// dropped unless persisted.
fn temp_in(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    temp_in_with(dir, name, bytes, true)
}

fn temp_in_with(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    sync: bool,
) -> std::io::Result<tempfile::NamedTempFile> {
    let mut tmp = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    if sync {
        tmp.as_file().sync_all()?;
    }
    Ok(tmp)
}

fn sync_dir(dir: &Path) {
    // Make the rename itself durable; a failure here loses nothing already written.
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Write `bytes` to `path` atomically: a temporary file (see [`temp_in`]) in the same
/// directory, synced, then renamed over the target. A symbolic link or a special file at
/// `path` is refused ([`is_refusal`]), never replaced. On any failure (a full disk, `ulimit
/// -f`) the temporary file is removed and the target is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, bytes, true)
}

/// [`write_atomic`], synced to the disk only when `sync`: unsynced, the file is whole or old
/// after the process dies (even SIGKILL), not necessarily after the machine does (a scan's
/// frequent checkpoints, synced every few seconds).
pub fn write_atomic_with(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    let dir = parent_dir(path);
    ensure_private_dir(dir)?;
    refuse_special(path)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = temp_in_with(dir, name, bytes, sync)?;
    tmp.persist(path).map_err(|e| e.error)?;
    if sync {
        sync_dir(dir);
    }
    Ok(())
}

/// The directory `path` goes in, when it exists and is a directory: `NotFound` "the directory
/// … does not exist" otherwise (never made: a typo in a path is said, not created).
pub fn existing_dir_of(path: &Path) -> std::io::Result<&Path> {
    let dir = parent_dir(path);
    match dir.metadata() {
        Ok(m) if m.is_dir() => Ok(dir),
        Ok(_) => Err(std::io::Error::other(format!("{} is not a directory", dir.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the directory {} does not exist", dir.display()),
        )),
        Err(e) => Err(e),
    }
}

/// Write an export (`:export PATH`): whole or not at all (a temporary file renamed into
/// place), in a directory that exists (never made), never through a symbolic link nor into a
/// FIFO, device or directory ([`is_refusal`]). An existing file is replaced only when
/// `replace`; otherwise `ErrorKind::AlreadyExists`, also when one appears meanwhile.
pub fn write_export(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    let dir = existing_dir_of(path)?;
    refuse_special(path)?;
    if !replace && path.symlink_metadata().is_ok() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists", path.display()),
        ));
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = temp_in(dir, name, bytes)?;
    if replace {
        tmp.persist(path).map_err(|e| e.error)?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    sync_dir(dir);
    Ok(())
}

/// Write `bytes` to a new file `<base>` (or `<base>-2`, `-3`… when taken), never replacing
/// anything: written whole to a temporary file, then linked in only where nothing is.
/// Returns the path written.
pub fn write_new(base: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let dir = parent_dir(base);
    ensure_private_dir(dir)?;
    let name = base.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let mut tmp = temp_in(dir, name, bytes)?;
    let mut n = 1;
    loop {
        let target = if n == 1 {
            base.to_path_buf()
        } else {
            let mut s = base.as_os_str().to_owned();
            s.push(format!("-{n}"));
            PathBuf::from(s)
        };
        match tmp.persist_noclobber(&target) {
            Ok(_) => {
                sync_dir(dir);
                return Ok(target);
            }
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => {
                tmp = e.file;
                n += 1;
            }
            Err(e) => return Err(e.error),
        }
    }
}
