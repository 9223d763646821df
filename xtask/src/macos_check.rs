//! The macOS check of `cargo xtask test`, run on Linux: `cargo check` (every target:
//! libraries, binaries, tests) of each crate but the app for `aarch64-apple-darwin` and
//! `x86_64-apple-darwin`, with zig (PyPI's `ziglang`) as the C compiler for ring's C
//! and assembly. The app crate needs Objective-C from the macOS SDK, which only a Mac
//! has; the release workflow builds it there.

use std::path::PathBuf;
use std::process::Command;

use crate::process;
use crate::tally::Tally;
use crate::{cargo, root};

/// The targets checked, with zig's name for each.
const TARGETS: [(&str, &str); 2] = [
    ("aarch64-apple-darwin", "aarch64-macos"),
    ("x86_64-apple-darwin", "x86_64-macos"),
];
/// Every crate but the app.
const PACKAGES: &[&str] = &[
    "dynbridge-core",
    "dynbridge-store",
    "dynbridge-dataverse",
    "dynbridge-sim",
    "dynbridge-brightpattern",
    "dynbridge",
];

fn dir() -> PathBuf {
    root().join("target/macos-check")
}

/// A C compiler for cc-rs: zig for `zig_target`, without the Apple flags cc-rs adds
/// (`-arch X`, `--target=`, `-mmacosx-version-min=`), which zig does not take.
fn compiler_script(zig_target: &str) -> String {
    format!(
        r#"#!/bin/sh
# Written by cargo xtask: zig as the C compiler for {zig_target}.
skip=0
for a do
  shift
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in
    -arch) skip=1; continue;;
    --target=*|-mmacosx-version-min=*|-mmacos-version-min=*) continue;;
  esac
  set -- "$@" "$a"
done
exec python3 -m ziglang cc -target {zig_target} "$@"
"#
    )
}

const ARCHIVER_SCRIPT: &str =
    "#!/bin/sh\n# Written by cargo xtask: zig's archiver.\nexec python3 -m ziglang ar \"$@\"\n";

fn write_script(name: &str, text: &str) -> Result<PathBuf, String> {
    let path = dir().join(name);
    std::fs::create_dir_all(dir())
        .map_err(|e| format!("cannot create {}: {e}", dir().display()))?;
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("cannot make {} executable: {e}", path.display()))?;
    }
    Ok(path)
}

/// Installs the Rust targets and zig (from PyPI) when missing; an error names the
/// command to run.
pub fn setup() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    for (target, _) in TARGETS {
        crate::prereqs::rust_target(target)?;
    }
    let zig = || {
        Command::new("python3")
            .args(["-m", "ziglang", "version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !zig() {
        // Debian's own Python refuses system-wide packages without the second form.
        for extra in [&[][..], &["--break-system-packages"][..]] {
            let _ = process::run(
                Command::new("python3")
                    .args(["-m", "pip", "install", "--quiet", "ziglang"])
                    .args(extra),
            );
            if zig() {
                break;
            }
        }
        if !zig() {
            return Err("zig is missing; run: python3 -m pip install ziglang".into());
        }
    }
    Ok(())
}

/// The check: setup, then `cargo check` for each macOS target, counted one each.
pub fn run() -> Tally {
    let mut tally = Tally::default();
    if !cfg!(target_os = "linux") {
        eprintln!("xtask: macOS check skipped: it cross-checks from Linux (on a Mac the suites run natively)");
        return tally;
    }
    if let Err(message) = setup() {
        eprintln!("xtask: FAILED: the macOS check cannot run: {message}\n  (cargo xtask test --no-macos skips it)");
        tally.check(false);
        return tally;
    }
    let started = std::time::Instant::now();
    let archiver = match write_script("zig-ar", ARCHIVER_SCRIPT) {
        Ok(path) => path,
        Err(message) => {
            eprintln!("xtask: FAILED: {message}");
            tally.check(false);
            return tally;
        }
    };
    for (target, zig_target) in TARGETS {
        let env_name = target.replace('-', "_");
        let checked = write_script(
            &format!("zig-cc-{zig_target}"),
            &compiler_script(zig_target),
        )
        .and_then(|compiler| {
            let mut command = cargo();
            command.args(["check", "--all-targets", "--target", target]);
            for package in PACKAGES {
                command.args(["--package", package]);
            }
            command
                .env(format!("CC_{env_name}"), &compiler)
                .env(format!("AR_{env_name}"), &archiver);
            process::run(&mut command)
        });
        if let Err(message) = &checked {
            eprintln!("xtask: FAILED: the crates do not build for {target}: {message}");
        }
        tally.check(checked.is_ok());
    }
    eprintln!("xtask: macOS check took {:.0?}", started.elapsed());
    tally
}
