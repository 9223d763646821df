//! The Windows leg of `cargo xtask test`, run on Linux: the core, store, dataverse and
//! CLI test suites cross-built for Windows (`x86_64-pc-windows-gnu`, mingw) and run
//! under Wine as cargo's target runner, the keychain tests against Wine's Credential
//! Manager; the app crate is cross-checked (`cargo check`), as its WebView2 parts need
//! a real Windows. Wine runs in its own prefix under `target/`, never the user's.
//!
//! Debian's Wine 8 lacks `ProcessPrng` (bcryptprimitives.dll), which Rust's standard
//! library calls; a ten-line stub (`xtask/wine/`), built with mingw, supplies it.

use std::path::PathBuf;
use std::process::Command;

use crate::prereqs;
use crate::process;
use crate::tally::Tally;
use crate::{cargo, root};

pub const TARGET: &str = "x86_64-pc-windows-gnu";
/// The suites that run under Wine.
const PACKAGES: &[&str] = &[
    "dynbridge-core",
    "dynbridge-store",
    "dynbridge-dataverse",
    "dynbridge",
];
/// What the leg needs from Debian: the mingw C compiler (for ring and the stub) and Wine.
pub const DEBIAN_PACKAGES: &[&str] = &["gcc-mingw-w64-x86-64", "wine", "wine64"];

fn dir() -> PathBuf {
    root().join("target/windows-leg")
}

fn prefix() -> PathBuf {
    dir().join("wine-prefix")
}

/// Installs what the leg needs (the Rust target, Debian packages when root), builds the
/// stub and makes the Wine prefix; an error names the command to run.
pub fn setup() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    prereqs::rust_target(TARGET)?;
    prereqs::debian_install(DEBIAN_PACKAGES)?;
    let dll = dir().join("bcryptprimitives.dll");
    let source = root().join("xtask/wine");
    std::fs::create_dir_all(dir())
        .map_err(|e| format!("cannot create {}: {e}", dir().display()))?;
    process::run(
        Command::new("x86_64-w64-mingw32-gcc")
            .args(["-shared", "-O2", "-o"])
            .arg(&dll)
            .arg(source.join("bcryptprimitives.c"))
            .arg(source.join("bcryptprimitives.def"))
            .arg("-ladvapi32"),
    )
    .map_err(|e| {
        format!(
            "{e}; run: sudo apt-get install {}",
            DEBIAN_PACKAGES.join(" ")
        )
    })?;
    let system32 = prefix().join("drive_c/windows/system32");
    if !system32.exists() {
        process::run(wine("wineboot").arg("--init")).map_err(|e| {
            format!(
                "{e}; run: sudo apt-get install {}",
                DEBIAN_PACKAGES.join(" ")
            )
        })?;
    }
    std::fs::copy(&dll, system32.join("bcryptprimitives.dll"))
        .map_err(|e| format!("cannot put the stub into the Wine prefix: {e}"))?;
    Ok(())
}

/// A Wine program in the leg's prefix, quiet, preferring the stub over Wine's own DLL.
fn wine(program: &str) -> Command {
    let mut command = Command::new(program);
    command.envs(wine_env());
    command
}

fn wine_env() -> [(&'static str, PathBuf); 3] {
    [
        ("WINEPREFIX", prefix()),
        ("WINEDEBUG", "-all".into()),
        ("WINEDLLOVERRIDES", "bcryptprimitives=n".into()),
    ]
}

/// The leg: setup, the suites under Wine (counted), and the app crate's cross-check.
pub fn run(counted: impl Fn(&str, &[&str], &[(&str, &str)]) -> Tally) -> Tally {
    if !cfg!(target_os = "linux") {
        eprintln!("xtask: Windows leg skipped: it runs on Linux (under Wine); on Windows the suites run natively");
        return Tally::default();
    }
    if let Err(message) = setup() {
        eprintln!("xtask: FAILED: the Windows leg cannot run: {message}\n  (cargo xtask test --no-windows skips it)");
        return Tally {
            passed: 0,
            failed: 1,
        };
    }
    let started = std::time::Instant::now();
    let mut args = vec!["test", "--target", TARGET];
    for package in PACKAGES {
        args.extend(["--package", package]);
    }
    let env: Vec<(String, String)> = wine_env()
        .iter()
        .map(|(k, v)| (k.to_string(), v.display().to_string()))
        .chain([(
            format!(
                "CARGO_TARGET_{}_RUNNER",
                TARGET.to_uppercase().replace('-', "_")
            ),
            "wine".to_owned(),
        )])
        .collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut tally = counted("windows", &args, &env);
    let checked =
        process::run(cargo().args(["check", "--target", TARGET, "--package", "dynbridge-app"]));
    if let Err(message) = &checked {
        eprintln!("xtask: FAILED: the app crate does not build for Windows: {message}");
    }
    tally.check(checked.is_ok());
    eprintln!("xtask: Windows leg took {:.0?}", started.elapsed());
    tally
}
