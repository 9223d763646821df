//! Running tests against a real, private OS keychain on Linux: a fresh D-Bus session
//! (`dbus-run-session`) with an unlocked gnome-keyring, a fresh HOME and a fresh
//! XDG_RUNTIME_DIR, so tests never touch the developer's own keyring or profiles.
//!
//! The outer process starts `dbus-run-session -- <this xtask> __in-keyring-session
//! <program> <args…>`; the inner one unlocks the keyring, then runs the program.
//! On macOS and Windows the program runs as it is, against the user's keychain.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use crate::prereqs;

/// The hidden xtask subcommand that runs inside the D-Bus session.
pub const INNER: &str = "__in-keyring-session";

/// The hidden xtask subcommand D-Bus activation runs as the session's keyring.
pub const DAEMON: &str = "__keyring-daemon";

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
    register_keyring_service(&runtime, &this)?;

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

/// Inside the D-Bus session: start the session's unlocked gnome-keyring through D-Bus
/// activation, then run the program. The keyring ends with the bus.
///
/// gnome-keyring aborts now and then when short-lived clients open sessions at once (an
/// upstream race: `gkd_secret_service_get_pkcs11_session: assertion 'client' failed`,
/// GNOME/gnome-keyring work items 190, 196 and 199); it was seen 1 run in 6. D-Bus
/// activation would then start a stock daemon with a locked collection. The session's
/// own service file ([`register_keyring_service`]), which D-Bus prefers to the
/// system's, makes the replacement this unlocked one, so the keychain's retry reaches a
/// working keyring.
pub fn inner(args: &[String]) -> ExitCode {
    let Some((program, rest)) = args.split_first() else {
        eprintln!("xtask: {INNER} needs a program to run");
        return ExitCode::from(2);
    };
    if let Err(message) = start_keyring() {
        eprintln!("xtask: {message}");
        return ExitCode::FAILURE;
    }
    // Tests that stop the keyring check this first: it is this throwaway one.
    let status = Command::new(program)
        .args(rest)
        .env("DYNBRIDGE_PRIVATE_KEYRING", "1")
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(status.code().unwrap_or(1).clamp(1, 255) as u8),
        Err(e) => {
            eprintln!("xtask: cannot start {program}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What D-Bus activation runs for the Secret Service in this session: gnome-keyring's
/// secrets component in the foreground, unlocked with the throwaway password (so a
/// keyring restarted after a crash opens the same collection), replacing any other.
/// It ends when the session bus does.
pub fn keyring_daemon() -> ExitCode {
    let spawned = Command::new("gnome-keyring-daemon")
        .args([
            "--replace",
            "--foreground",
            "--unlock",
            "--components=secrets",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn();
    let mut daemon = match spawned {
        Ok(daemon) => daemon,
        Err(e) => {
            eprintln!("xtask: cannot start gnome-keyring-daemon: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The password of this throwaway keyring; closing stdin ends it.
    let unlocked = daemon
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(b"dynbridge-test");
    if let Err(e) = unlocked {
        eprintln!("xtask: cannot unlock gnome-keyring: {e}");
        let _ = daemon.kill();
    }
    match daemon.wait() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => {
            eprintln!(
                "xtask: the session's gnome-keyring-daemon ended ({status}); \
                 D-Bus starts another, unlocked, on the next call"
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("xtask: cannot wait for gnome-keyring-daemon: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the session's `org.freedesktop.secrets` service file, naming this xtask's
/// [`DAEMON`], into `$XDG_RUNTIME_DIR/dbus-1/services`: the first of the standard
/// session service directories, so D-Bus prefers it to the system's (D-Bus
/// specification, "Message Bus Starting Services"). It must exist before the bus
/// starts, which reads its service directories then.
fn register_keyring_service(runtime: &Path, this: &Path) -> Result<(), String> {
    let services = runtime.join("dbus-1/services");
    std::fs::create_dir_all(&services)
        .map_err(|e| format!("cannot create {}: {e}", services.display()))?;
    let file = services.join("org.freedesktop.secrets.service");
    let text = format!(
        "[D-BUS Service]\nName=org.freedesktop.secrets\nExec='{}' {DAEMON}\n",
        this.display()
    );
    std::fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

/// Starts the Secret Service through D-Bus activation and waits until it owns its name.
fn start_keyring() -> Result<(), String> {
    let started = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.StartServiceByName",
            "string:org.freedesktop.secrets",
            "uint32:0",
        ])
        .output()
        .map_err(|e| format!("cannot run dbus-send: {e}"))?;
    if !started.status.success() {
        return Err(format!(
            "D-Bus could not start the keyring: {}",
            String::from_utf8_lossy(&started.stderr).trim()
        ));
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !secret_service_is_up() {
        if std::time::Instant::now() > deadline {
            return Err("gnome-keyring-daemon did not claim the Secret Service in 15 s".into());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Ok(())
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
