//! `cargo xtask bundle`: this OS's installers, built by the Tauri CLI, each with the
//! command-line tool inside (Tauri's `externalBin`, placed beside the app: on Linux in
//! /usr/bin, so `dynbridge` is on the PATH). On Linux the .deb is then smoke-tested:
//! installed with dpkg into a fresh root, `dynbridge info` run from it, and the app
//! started under Xvfb and seen to stay up.
//!
//! The Tauri CLI comes from npm on demand, with its binary inside the package for this
//! platform; it is not in ui/package.json because a lock file written on one OS lacks
//! the other platforms' packages, and `npm ci` then refuses it. On Windows it fetches
//! NSIS and WiX on first use. The AppImage is built by the release workflow only: its
//! bundler downloads linuxdeploy, which machines without internet access cannot.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::{cargo, e2e, prereqs, process, root, ui};

/// Where `externalBin` finds the command-line tool, as `binaries/dynbridge-<target>`.
const SIDECAR: &str = "binaries/dynbridge";
/// The configuration merged in for installers only (the release workflow uses it too):
/// the sidecar, which plain `cargo build`s of the app do not have.
const BUNDLE_CONFIG: &str = "src-tauri/tauri.bundle.conf.json";

pub fn run() -> Result<(), String> {
    prereqs::ensure(prereqs::Purpose::Run)?;
    ui::build()?;
    place_sidecar()?;
    let bundles = if cfg!(target_os = "macos") {
        "app,dmg"
    } else if cfg!(windows) {
        "nsis,msi"
    } else {
        "deb,rpm"
    };
    // From the root, where the Tauri CLI finds tauri.conf.json beside the app's Cargo.toml.
    process::run(process::npm().current_dir(root()).args([
        "exec",
        "--yes",
        "--package=@tauri-apps/cli@2",
        "--",
        "tauri",
        "build",
        "--bundles",
        bundles,
        "--config",
        BUNDLE_CONFIG,
    ]))?;
    report_sizes();
    if cfg!(target_os = "linux") {
        smoke_test_deb()?;
    }
    Ok(())
}

/// The host's target triple, which names the sidecar.
fn host_triple() -> Result<String, String> {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .ok_or_else(|| "rustc -vV names no host".into())
}

/// Builds the command-line tool (release) and puts it where `externalBin` looks.
fn place_sidecar() -> Result<(), String> {
    process::run(cargo().args(["build", "--release", "--package", "dynbridge"]))?;
    let exe = std::env::consts::EXE_SUFFIX;
    let built = root().join(format!("target/release/dynbridge{exe}"));
    let placed = root().join(format!("{SIDECAR}-{}{exe}", host_triple()?));
    std::fs::create_dir_all(placed.parent().expect("a folder"))
        .map_err(|e| format!("cannot create {}: {e}", placed.display()))?;
    std::fs::copy(&built, &placed).map(|_| ()).map_err(|e| {
        format!(
            "cannot copy {} to {}: {e}",
            built.display(),
            placed.display()
        )
    })
}

fn size_mb(path: &Path) -> Option<f64> {
    std::fs::metadata(path)
        .ok()
        .map(|m| m.len() as f64 / 1_000_000.0)
}

/// Prints the sizes that DESIGN.md budgets: the app, the CLI, each installer.
fn report_sizes() {
    let exe = std::env::consts::EXE_SUFFIX;
    for name in ["dynbridge-app", "dynbridge"] {
        let path = root().join(format!("target/release/{name}{exe}"));
        if let Some(mb) = size_mb(&path) {
            eprintln!("xtask: {name}{exe}: {mb:.1} MB");
        }
    }
    for installer in installers() {
        if let Some(mb) = size_mb(&installer) {
            eprintln!("xtask: {}: {mb:.1} MB", installer.display());
        }
    }
}

/// Every installer file under target/release/bundle.
fn installers() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(kinds) = std::fs::read_dir(root().join("target/release/bundle")) else {
        return found;
    };
    for kind in kinds.flatten() {
        if let Ok(files) = std::fs::read_dir(kind.path()) {
            found.extend(files.flatten().map(|f| f.path()).filter(|p| p.is_file()));
        }
    }
    found
}

/// Installs the .deb into a fresh root with dpkg, runs `dynbridge info` from it and
/// starts the app under Xvfb, which must still run after five seconds.
fn smoke_test_deb() -> Result<(), String> {
    let deb = installers()
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .ok_or("no .deb was built")?;
    let fresh = root().join("target/bundle-smoke");
    let _ = std::fs::remove_dir_all(&fresh);
    for dir in ["var/lib/dpkg/info", "var/lib/dpkg/updates"] {
        std::fs::create_dir_all(fresh.join(dir))
            .map_err(|e| format!("cannot prepare {}: {e}", fresh.display()))?;
    }
    std::fs::write(fresh.join("var/lib/dpkg/status"), "").map_err(|e| e.to_string())?;
    // The fresh root holds no libraries, so the package's dependencies are the host's.
    process::run(
        Command::new("dpkg")
            .arg(format!("--root={}", fresh.display()))
            .args([
                "--force-depends",
                "--force-not-root",
                "--force-script-chrootless",
                "--install",
            ])
            .arg(&deb),
    )?;
    let bin = fresh.join("usr/bin");
    let info = Command::new(bin.join("dynbridge"))
        .arg("info")
        .env("DYNBRIDGE_CONFIG_DIR", fresh.join("profile"))
        .output()
        .map_err(|e| format!("the installed dynbridge does not run: {e}"))?;
    if !info.status.success() || !String::from_utf8_lossy(&info.stdout).contains("Version") {
        return Err(format!(
            "the installed `dynbridge info` failed: {}{}",
            String::from_utf8_lossy(&info.stdout),
            String::from_utf8_lossy(&info.stderr)
        ));
    }
    let display = e2e::VirtualDisplay::start()?;
    let mut app = Command::new(bin.join("dynbridge-app"))
        .env("DISPLAY", &display.display)
        .env("DYNBRIDGE_CONFIG_DIR", fresh.join("profile"))
        .spawn()
        .map_err(|e| format!("the installed app does not start: {e}"))?;
    std::thread::sleep(Duration::from_secs(5));
    let running = app.try_wait().map_err(|e| e.to_string())?.is_none();
    let _ = app.kill();
    let _ = app.wait();
    if !running {
        return Err("the installed app stopped within five seconds of starting".into());
    }
    eprintln!(
        "xtask: {} installs into a fresh root; dynbridge info runs; the app starts",
        deb.display()
    );
    Ok(())
}
