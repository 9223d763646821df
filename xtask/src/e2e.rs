//! A virtual X display (Xvfb) for the end-to-end suite and the start-up bench, stopped
//! when dropped, and that bench itself.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{keyring_session, prereqs, process, ui};

/// The start-up budget (`tests/e2e/startup.rs`): the release app launched under Xvfb
/// through tauri-driver, with a private keychain as in the tests.
pub fn startup_bench() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        eprintln!("xtask: start-up bench skipped: it needs Linux (WebKitWebDriver)");
        return Ok(());
    }
    prereqs::ensure(prereqs::Purpose::Test)?;
    ui::build()?;
    let display = VirtualDisplay::start()?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let args = [
        "bench",
        "--package",
        "dynbridge-app",
        "--bench",
        "startup",
        "--features",
        "e2e",
    ];
    let mut session = keyring_session::command("startup", cargo, &args)?;
    session.command.env("DISPLAY", &display.display);
    if let Some(driver) = prereqs::tauri_driver_path() {
        session.command.env("TAURI_DRIVER", driver);
    }
    process::run(&mut session.command)
}

pub struct VirtualDisplay {
    pub display: String,
    server: Child,
}

impl VirtualDisplay {
    /// Starts Xvfb on the first free display from :99 and waits for its socket.
    pub fn start() -> Result<Self, String> {
        let number = (99..200)
            .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
            .ok_or("no free X display number between :99 and :199")?;
        let display = format!(":{number}");
        let server = Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start Xvfb: {e}"))?;
        let socket = format!("/tmp/.X11-unix/X{number}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !Path::new(&socket).exists() {
            if Instant::now() > deadline {
                return Err(format!("Xvfb did not open {socket} within 10 s"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Self { display, server })
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
