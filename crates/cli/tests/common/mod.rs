//! Running the `dynbridge` binary in tests: with its own profile directory, arguments,
//! environment and standard input; and its output as one text.

#![allow(dead_code)] // each test crate uses what it needs

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn dynbridge(config_dir: &Path, args: &[&str], stdin: &str) -> Output {
    dynbridge_with_env(config_dir, &[], args, stdin)
}

pub fn dynbridge_with_env(
    config_dir: &Path,
    env: &[(&str, &str)],
    args: &[&str],
    stdin: &str,
) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dynbridge"))
        .args(args)
        .env("DYNBRIDGE_CONFIG_DIR", config_dir)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command may end without reading its input (a refusal): a closed pipe is fine.
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    if let Err(error) = written {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().unwrap()
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
