//! `cargo xtask test`: every check and test suite, counted, ending with
//! `xtask: N passed, N failed`. Fails when anything fails.

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};

use crate::keyring_session;
use crate::prereqs::{self, Purpose};
use crate::process;
use crate::tally::{self, Tally};
use crate::{cargo, e2e, macos_check, root, ui, windows_leg};

/// The whole suite; `--no-windows` and `--no-macos` skip those legs (saying so).
pub fn run(args: &[String]) -> ExitCode {
    const OPTIONS: [&str; 2] = ["--no-windows", "--no-macos"];
    if let Some(unknown) = args.iter().find(|a| !OPTIONS.contains(&a.as_str())) {
        eprintln!("xtask: unknown option {unknown} (cargo xtask test [--no-windows] [--no-macos])");
        return ExitCode::from(2);
    }
    let windows = !args.iter().any(|a| a == "--no-windows");
    let macos = !args.iter().any(|a| a == "--no-macos");
    let started = std::time::Instant::now();
    let mut tally = Tally::default();
    if let Err(message) = prereqs::ensure(Purpose::Test) {
        eprintln!("xtask: {message}");
        return ExitCode::FAILURE;
    }

    tally.check(report(process::run(
        cargo().args(["fmt", "--all", "--check"]),
    )));
    // The app embeds ui/dist at compile time, so nothing compiles it before this.
    let ui_built = report(ui::build());
    tally.check(ui_built);
    if ui_built {
        tally.check(report(process::run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]))));
    }
    tally.check(report(process::run(process::npm().args(["run", "lint"]))));
    tally.add(vitest());
    if ui_built {
        tally.add(in_keyring_session("unit", &["test", "--workspace"], &[]));
        tally.add(end_to_end());
        if windows {
            tally.add(windows_leg::run(counted));
        } else {
            eprintln!("xtask: Windows leg skipped (--no-windows)");
        }
        if macos {
            tally.add(macos_check::run());
        } else {
            eprintln!("xtask: macOS check skipped (--no-macos)");
        }
    }

    eprintln!("\ncargo xtask test took {:.0?}", started.elapsed());
    println!("xtask: {} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn report(result: Result<(), String>) -> bool {
    match result {
        Ok(()) => true,
        Err(message) => {
            eprintln!("xtask: FAILED: {message}");
            false
        }
    }
}

fn vitest() -> Tally {
    let report_path = root().join("target/xtask/vitest.json");
    let _ = std::fs::remove_file(&report_path);
    let ran = process::run(
        process::npm()
            .args([
                "exec",
                "--",
                "vitest",
                "run",
                "--reporter=default",
                "--reporter=json",
            ])
            .arg(format!("--outputFile={}", report_path.display())),
    );
    let counted = std::fs::read_to_string(&report_path)
        .ok()
        .and_then(|json| tally::from_vitest_json(&json));
    settle(ran.is_ok(), counted.unwrap_or_default(), "vitest")
}

/// `cargo <args>` in a private keychain session, its libtest counts read from stdout.
fn in_keyring_session(label: &str, cargo_args: &[&str], env: &[(&str, &str)]) -> Tally {
    let cargo_program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut session = match keyring_session::command(label, cargo_program, cargo_args) {
        Ok(session) => session,
        Err(message) => {
            eprintln!("xtask: FAILED: {message}");
            return Tally {
                passed: 0,
                failed: 1,
            };
        }
    };
    session.command.envs(env.iter().copied());
    if let Some(driver) = prereqs::tauri_driver_path() {
        session.command.env("TAURI_DRIVER", driver);
    }
    let (ok, output) = tee(&mut session.command);
    settle(ok, tally::from_libtest_output(&output), label)
}

/// `cargo <args>` with `env`, its libtest counts read from stdout.
fn counted(label: &str, cargo_args: &[&str], env: &[(&str, &str)]) -> Tally {
    let mut command = cargo();
    command.args(cargo_args).envs(env.iter().copied());
    let (ok, output) = tee(&mut command);
    settle(ok, tally::from_libtest_output(&output), label)
}

/// A run that failed without a failing test counted (a compile error, a crash) still
/// counts as one failure.
fn settle(ok: bool, counted: Tally, what: &str) -> Tally {
    if !ok && counted.failed == 0 {
        eprintln!("xtask: FAILED: {what} exited with an error");
        return Tally {
            passed: counted.passed,
            failed: 1,
        };
    }
    counted
}

fn end_to_end() -> Tally {
    if !cfg!(target_os = "linux") {
        eprintln!("xtask: end-to-end suite skipped: it needs Linux (WebKitWebDriver)");
        return Tally::default();
    }
    let display = match e2e::VirtualDisplay::start() {
        Ok(display) => display,
        Err(message) => {
            eprintln!("xtask: FAILED: {message}");
            return Tally {
                passed: 0,
                failed: 1,
            };
        }
    };
    in_keyring_session(
        "e2e",
        &[
            "test",
            "--package",
            "dynbridge-app",
            "--test",
            "e2e",
            "--features",
            "e2e",
        ],
        // No WEBKIT_DISABLE_COMPOSITING_MODE: with it, WebKitWebDriver's screenshots
        // hang under Xvfb (seen with webkit2gtk 2.48 on Debian 12).
        &[("DISPLAY", display.display.as_str())],
    )
}

/// Runs a command, echoing its stdout while keeping a copy; true when it succeeded.
fn tee(command: &mut Command) -> (bool, String) {
    eprintln!("$ {}", process::describe(command));
    let mut child = match command.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("xtask: cannot start it: {e}");
            return (false, String::new());
        }
    };
    let mut copy = String::new();
    let stdout = child.stdout.take().expect("stdout is piped");
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        println!("{line}");
        copy.push_str(&line);
        copy.push('\n');
    }
    let ok = child.wait().is_ok_and(|status| status.success());
    (ok, copy)
}
