//! `cargo xtask`: the project's automation, portable across Linux, macOS and Windows.
//!
//! - `setup`: install what building and testing need (Debian packages when root on
//!   Debian/Ubuntu, npm packages, tauri-driver), or say exactly what to install.
//! - `run`: setup, build the UI, start the app.
//! - `test`: every check and test suite; prints `xtask: N passed, N failed` last.
//! - `bench`: the performance budgets of DESIGN.md, in a release build.
//! - `bundle`: this OS's installers, with the Tauri CLI from npm.
//! - `bindings`: regenerate the TypeScript bindings from the Rust types.

mod bundle;
mod e2e;
mod keyring_session;
mod macos_check;
mod prereqs;
mod process;
mod tally;
mod test;
mod ui;
mod windows_leg;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <setup|run|test|bench|bundle|bindings>

  setup     install prerequisites only
  run       install what is missing, build the UI, start the app
  test      fmt, clippy, Rust tests (real keychain), UI checks and tests, end to end,
            and on Linux the Windows leg under Wine and the macOS check with zig
            (--no-windows, --no-macos skip them)
  bench     the performance budgets (release build); fails when one is missed
  bundle    this OS's installers in target/release/bundle/ (release build)
  bindings  regenerate ui/src/api/bindings from the Rust types";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => prereqs::ensure(prereqs::Purpose::Test)
            .and_then(|()| windows_leg::setup())
            .and_then(|()| macos_check::setup()),
        Some("run") => run(&args[1..]),
        Some("test") => return test::run(&args[1..]),
        Some("bindings") => bindings(),
        Some("bench") => bench(),
        Some("bundle") => bundle::run(),
        Some(keyring_session::INNER) => return keyring_session::inner(&args[1..]),
        Some(keyring_session::DAEMON) => return keyring_session::keyring_daemon(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// The `cargo` that runs this xtask, so nested builds use the same toolchain.
pub fn cargo() -> std::process::Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = std::process::Command::new(cargo);
    command.current_dir(root());
    command
}

fn run(extra: &[String]) -> Result<(), String> {
    prereqs::ensure(prereqs::Purpose::Run)?;
    ui::build()?;
    process::run(
        cargo()
            .args(["run", "--package", "dynbridge-app", "--"])
            .args(extra),
    )
}

fn bench() -> Result<(), String> {
    let lists =
        process::run(cargo().args(["bench", "--package", "dynbridge-core", "--bench", "lists"]));
    let verify = process::run(cargo().args([
        "bench",
        "--package",
        "dynbridge-dataverse",
        "--bench",
        "verify",
    ]));
    let push = process::run(cargo().args([
        "bench",
        "--package",
        "dynbridge-brightpattern",
        "--bench",
        "push",
    ]));
    let startup = e2e::startup_bench();
    lists.and(verify).and(push).and(startup)
}

fn bindings() -> Result<(), String> {
    process::run(
        cargo()
            .args(["test", "--package", "dynbridge-app", "--test", "bindings"])
            .env("DYNBRIDGE_BLESS", "1"),
    )
}
