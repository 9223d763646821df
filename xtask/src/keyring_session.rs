//! Running tests against a real, private OS keychain on Linux: a fresh D-Bus session
//! (`dbus-run-session`) with an unlocked gnome-keyring, a fresh HOME and a fresh
//! XDG_RUNTIME_DIR, so tests never touch the developer's own keyring or profiles.
//!
//! The outer process starts `dbus-run-session -- <this xtask> __in-keyring-session
//! <program> <args…>`; the inner one unlocks the keyring, then runs the program.
//! On macOS and Windows the program runs as it is, against the user's keychain.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use crate::prereqs;

/// The hidden xtask subcommand that runs inside the D-Bus session.
pub const INNER: &str = "__in-keyring-session";

/// A command that runs `program args` against a private keychain, and the scratch
/// directory to remove afterwards.
pub struct Session {
    pub command: Command,
    scratch: Option<PathBuf>,
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(dir) = &self.scratch {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub fn command(label: &str, program: impl Into<PathBuf>, args: &[&str]) -> Result<Session, String> {
    let program = program.into();
    if !cfg!(target_os = "linux") {
        let mut command = Command::new(program);
        command.args(args).current_dir(crate::root());
        return Ok(Session {
            command,
            scratch: None,
        });
    }
    let scratch =
        std::env::temp_dir().join(format!("dynbridge-xtask-{label}-{}", std::process::id()));
    let home = scratch.join("home");
    let runtime = scratch.join("run");
    for dir in [&home, &runtime] {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    set_private(&runtime)?;

    let this = std::env::current_exe().map_err(|e| format!("cannot find the xtask binary: {e}"))?;
    let mut command = Command::new("dbus-run-session");
    command
        .arg("--")
        .arg(this)
        .arg(INNER)
        .arg(program)
        .args(args)
        .current_dir(crate::root())
        .env("HOME", &home)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_DATA_HOME")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    // A new HOME must not move cargo's registry and toolchains.
    if let Some(cargo_home) = prereqs::cargo_home() {
        command.env("CARGO_HOME", cargo_home);
    }
    if let Some(rustup_home) = prereqs::rustup_home() {
        command.env("RUSTUP_HOME", rustup_home);
    }
    Ok(Session {
        command,
        scratch: Some(scratch),
    })
}

#[cfg(unix)]
fn set_private(dir: &std::path::Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| format!("cannot make {} private: {e}", dir.display()))
}

#[cfg(not(unix))]
fn set_private(_dir: &std::path::Path) -> Result<(), String> {
    Ok(())
}

/// Inside the D-Bus session: unlock a new gnome-keyring, then run the program.
pub fn inner(args: &[String]) -> ExitCode {
    let Some((program, rest)) = args.split_first() else {
        eprintln!("xtask: {INNER} needs a program to run");
        return ExitCode::from(2);
    };
    if let Err(message) = unlock_keyring() {
        eprintln!("xtask: {message}");
        return ExitCode::FAILURE;
    }
    match Command::new(program).args(rest).status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(status.code().unwrap_or(1).clamp(1, 255) as u8),
        Err(e) => {
            eprintln!("xtask: cannot start {program}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn unlock_keyring() -> Result<(), String> {
    let mut daemon = Command::new("gnome-keyring-daemon")
        .args(["--unlock", "--components=secrets"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start gnome-keyring-daemon: {e}"))?;
    // The password of this throwaway keyring; it lives only as long as the session.
    daemon
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(b"dynbridge-test")
        .map_err(|e| format!("cannot unlock gnome-keyring: {e}"))?;
    let status = daemon
        .wait()
        .map_err(|e| format!("gnome-keyring-daemon: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("gnome-keyring-daemon failed to start ({status})"))
    }
}
