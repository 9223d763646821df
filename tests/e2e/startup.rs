//! DESIGN.md's start-up budget, run by `cargo xtask bench`: from launching the release
//! app under Xvfb to its first rendered page, under 1.5 s. The app is launched five
//! times through tauri-driver; each time, the median and the worst are printed, and
//! the bench fails when the median misses the budget. The WebDriver session's own
//! set-up falls inside the measured time, so the figures are upper bounds.

mod driver;
// Shared with the end-to-end suite, which uses all of it; start-up needs only a little.
#[allow(dead_code)]
mod webdriver;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use webdriver::{Result, Session};

const LAUNCHES: usize = 5;
const BUDGET: Duration = Duration::from_millis(1500);

fn main() -> ExitCode {
    let mut times = match launch_times() {
        Ok(times) => times,
        Err(message) => {
            eprintln!("start-up bench: {message}");
            return ExitCode::FAILURE;
        }
    };
    let each: Vec<String> = times.iter().map(|t| t.as_millis().to_string()).collect();
    times.sort();
    let median = times[times.len() / 2];
    let worst = times[times.len() - 1];
    let verdict = if median <= BUDGET {
        "ok"
    } else {
        "OVER BUDGET"
    };
    println!(
        "start-up to first page (release, Xvfb, WebDriver set-up included): \
         median {} ms, worst {} ms, budget {} ms: {verdict}\n  each launch (ms): {}",
        median.as_millis(),
        worst.as_millis(),
        BUDGET.as_millis(),
        each.join(", ")
    );
    if median <= BUDGET {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Launches the app `LAUNCHES` times, each until the first page states its purpose.
fn launch_times() -> Result<Vec<Duration>> {
    let driver = driver::TauriDriver::start()?;
    (0..LAUNCHES)
        .map(|_| {
            let launched = Instant::now();
            let session = Session::start(&driver.url, env!("CARGO_BIN_EXE_dynbridge-app"))?;
            session.wait_for_text("[data-testid=page-purpose]", |t| !t.is_empty())?;
            let took = launched.elapsed();
            session.end()?;
            Ok(took)
        })
        .collect()
}
