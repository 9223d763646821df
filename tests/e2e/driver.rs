//! tauri-driver, started on free local ports for one run and stopped when dropped.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct TauriDriver {
    pub url: String,
    process: Child,
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl TauriDriver {
    /// Starts `$TAURI_DRIVER` (or `tauri-driver` from PATH) and waits until it listens.
    pub fn start() -> Result<Self, String> {
        let program = std::env::var_os("TAURI_DRIVER").unwrap_or_else(|| "tauri-driver".into());
        let port = free_port().map_err(|e| e.to_string())?;
        let native_port = free_port().map_err(|e| e.to_string())?;
        let process = Command::new(&program)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot start {}: {e} (run `cargo xtask setup`)",
                    program.to_string_lossy()
                )
            })?;
        let driver = Self {
            url: format!("http://127.0.0.1:{port}"),
            process,
        };
        // tauri-driver listens at once but starts WebKitWebDriver behind it without
        // waiting for it; a session asked for before both listen fails.
        let deadline = Instant::now() + Duration::from_secs(15);
        for (name, port) in [("tauri-driver", port), ("WebKitWebDriver", native_port)] {
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                if Instant::now() > deadline {
                    return Err(format!("{name} did not listen within 15 s"));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Ok(driver)
    }
}

impl Drop for TauriDriver {
    /// Asks tauri-driver to stop (on SIGTERM it also stops WebKitWebDriver, which a
    /// SIGKILL would orphan, holding the test's output open), and kills it if it lingers.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.process.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.process.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
