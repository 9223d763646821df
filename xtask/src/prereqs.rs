//! Prerequisites: Debian packages (installed when root on Debian/Ubuntu), the UI's npm
//! packages (`npm ci` from the committed lock file) and, for the end-to-end tests,
//! tauri-driver. Windows and macOS need only Rust and Node.

use std::path::PathBuf;
use std::process::Command;

use crate::process;

/// What the prerequisites are for: running the app, or also testing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Run,
    Test,
}

/// Debian packages that building the Tauri app needs.
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libdbus-1-dev",
];

/// Debian packages the tests add: WebKit's WebDriver, a virtual display, and a
/// Secret Service (gnome-keyring) on a private D-Bus session.
const TEST_PACKAGES: &[&str] = &[
    "webkit2gtk-driver",
    "xvfb",
    "xauth",
    "gnome-keyring",
    "dbus-x11",
];

/// Installs (or asks for) whatever is missing for `purpose`.
pub fn ensure(purpose: Purpose) -> Result<(), String> {
    if !process::exists(Command::new("node")) || !process::exists(process::npm()) {
        return Err(
            "Node.js and npm are needed: install Node.js 20 or newer (https://nodejs.org) and run again"
                .into(),
        );
    }
    if cfg!(target_os = "linux") {
        debian_packages(purpose)?;
    }
    npm_packages()?;
    if purpose == Purpose::Test && cfg!(target_os = "linux") {
        tauri_driver()?;
    }
    Ok(())
}

fn debian_packages(purpose: Purpose) -> Result<(), String> {
    let mut wanted = BUILD_PACKAGES.to_vec();
    if purpose == Purpose::Test {
        wanted.extend_from_slice(TEST_PACKAGES);
    }
    debian_install(&wanted)
}

/// Adds the Rust standard library for `target` (rustup) when it is missing; an error
/// names the command to run.
pub fn rust_target(target: &str) -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|l| l == target)
        })
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    process::run(Command::new("rustup").args(["target", "add", target]))
        .map_err(|e| format!("{e}; run: rustup target add {target}"))
}

/// Installs the Debian packages of `wanted` that are missing (when root; otherwise the
/// error gives the command to run).
pub fn debian_install(wanted: &[&str]) -> Result<(), String> {
    if !process::exists(Command::new("dpkg-query")) {
        return Err(format!(
            "this Linux is not Debian-based, so nothing was installed; install the equivalents of \
             these Debian packages and run again: {}",
            wanted.join(" ")
        ));
    }
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let install = format!(
        "apt-get install -y --no-install-recommends {}",
        missing.join(" ")
    );
    if !is_root() {
        return Err(format!(
            "missing Debian packages; run this, then run again:\n  sudo apt-get update && sudo {install}"
        ));
    }
    process::run(Command::new("apt-get").arg("update").arg("-q"))?;
    process::run(
        Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn dpkg_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${db:Status-Status}", package])
        .output()
        .is_ok_and(|out| out.stdout == b"installed")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

/// `npm ci` when `node_modules` is missing or older than the lock file.
fn npm_packages() -> Result<(), String> {
    let ui = crate::root().join("ui");
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let lock = modified(ui.join("package-lock.json"));
    let installed = modified(ui.join("node_modules/.package-lock.json"));
    match (lock, installed) {
        (Some(lock), Some(installed)) if installed >= lock => Ok(()),
        _ => process::run(process::npm().args(["ci", "--no-audit", "--no-fund"])),
    }
}

/// The tauri-driver executable: on PATH, or in cargo's bin directory.
pub fn tauri_driver_path() -> Option<PathBuf> {
    let name = if cfg!(windows) {
        "tauri-driver.exe"
    } else {
        "tauri-driver"
    };
    let cargo_bin = cargo_home().map(|home| home.join("bin"));
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(cargo_bin)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn tauri_driver() -> Result<(), String> {
    if tauri_driver_path().is_some() {
        return Ok(());
    }
    process::run(crate::cargo().args(["install", "tauri-driver", "--locked"]))
}

/// Cargo's home: `$CARGO_HOME`, else `~/.cargo`.
pub fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home_dir().map(|home| home.join(".cargo")))
}

/// Rustup's home: `$RUSTUP_HOME`, else `~/.rustup`.
pub fn rustup_home() -> Option<PathBuf> {
    std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| home_dir().map(|home| home.join(".rustup")))
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
}
