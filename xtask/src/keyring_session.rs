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

/// Inside the D-Bus session: start and unlock a new gnome-keyring, run the program,
/// then stop the keyring. The daemon runs in the foreground as this process's child for
/// the whole run: a daemonised one was seen to die mid-run (1 run in 7), after which
/// D-Bus activation started a fresh daemon with a locked collection.
pub fn inner(args: &[String]) -> ExitCode {
    let Some((program, rest)) = args.split_first() else {
        eprintln!("xtask: {INNER} needs a program to run");
        return ExitCode::from(2);
    };
    let mut daemon = match start_keyring() {
        Ok(daemon) => daemon,
        Err(message) => {
            eprintln!("xtask: {message}");
            return ExitCode::FAILURE;
        }
    };
    let status = Command::new(program).args(rest).status();
    let _ = daemon.kill();
    let _ = daemon.wait();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(status.code().unwrap_or(1).clamp(1, 255) as u8),
        Err(e) => {
            eprintln!("xtask: cannot start {program}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Starts gnome-keyring's secrets component, unlocked, and waits until it owns the
/// Secret Service name on the session bus (so no test reaches a second daemon that
/// D-Bus would start on demand).
fn start_keyring() -> Result<std::process::Child, String> {
    let mut daemon = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--unlock", "--components=secrets"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start gnome-keyring-daemon: {e}"))?;
    // The password of this throwaway keyring; it lives only as long as the session.
    // Closing stdin ends the password.
    daemon
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(b"dynbridge-test")
        .map_err(|e| format!("cannot unlock gnome-keyring: {e}"))?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        if let Ok(Some(status)) = daemon.try_wait() {
            return Err(format!("gnome-keyring-daemon stopped at start ({status})"));
        }
        if secret_service_is_up() {
            return Ok(daemon);
        }
        if std::time::Instant::now() > deadline {
            let _ = daemon.kill();
            return Err("gnome-keyring-daemon did not claim the Secret Service in 15 s".into());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Whether `org.freedesktop.secrets` has an owner on the session bus.
fn secret_service_is_up() -> bool {
    Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.secrets",
        ])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("boolean true"))
}
