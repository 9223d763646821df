//! End-to-end tests: the real app binary in a real WebKit window (under Xvfb on CI),
//! driven through tauri-driver and WebKitWebDriver. Each page is visited, its visible
//! text asserted, and a screenshot saved under `target/e2e/`.
//!
//! Run by `cargo xtask test`, which provides the display, the keychain and the driver.
//! Prints libtest's summary line so the counts add up with the other suites.

mod driver;
mod webdriver;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use webdriver::{Result, Session};

/// The pages, as (navigation id, title, a phrase of the page's stated purpose).
const PAGES: &[(&str, &str, &str)] = &[
    ("accounts", "Accounts", "integration accounts"),
    (
        "channel",
        "Channel provider",
        "Channel Integration Framework",
    ),
    ("lists", "Lists", "calling list"),
    ("screenpop", "Screen pop", "SHOW_OBJECT"),
    ("doctor", "Doctor", "checklist"),
];

type Case = (&'static str, fn(&Session) -> Result<()>);

const CASES: &[Case] = &[
    ("window_is_titled_dynbridge", window_is_titled_dynbridge),
    (
        "status_bar_shows_app_info_from_rust",
        status_bar_shows_app_info_from_rust,
    ),
    (
        "fluent_styles_apply_under_the_csp",
        fluent_styles_apply_under_the_csp,
    ),
    (
        "every_page_states_its_purpose",
        every_page_states_its_purpose,
    ),
    (
        "arrow_keys_and_enter_switch_pages",
        arrow_keys_and_enter_switch_pages,
    ),
];

fn window_is_titled_dynbridge(session: &Session) -> Result<()> {
    expect_eq(session.title()?, "Dynbridge".to_owned())
}

fn status_bar_shows_app_info_from_rust(session: &Session) -> Result<()> {
    let version = format!("Dynbridge {}", env!("CARGO_PKG_VERSION"));
    let text = session.wait_for_text("[data-testid=status-bar]", |t| t.contains(&version))?;
    for expected in ["Profiles: ", "Secrets: Secret Service"] {
        if !text.contains(expected) {
            return Err(format!("status bar {text:?} lacks {expected:?}"));
        }
    }
    Ok(())
}

/// Fluent UI injects its styles at run time; a too-strict CSP would leave the page bare.
fn fluent_styles_apply_under_the_csp(session: &Session) -> Result<()> {
    let display =
        session.execute("return getComputedStyle(document.querySelector('nav')).display")?;
    expect_eq(
        display.as_str().unwrap_or_default().to_owned(),
        "flex".to_owned(),
    )
}

fn every_page_states_its_purpose(session: &Session) -> Result<()> {
    let shots = screenshot_dir()?;
    for (id, title, phrase) in PAGES {
        session.click(&session.find(&format!("[data-page={id}]"))?)?;
        session.wait_for_text("#page-title", |t| t == *title)?;
        let purpose = session.wait_for_text("[data-testid=page-purpose]", |t| !t.is_empty())?;
        if !purpose.contains(phrase) {
            return Err(format!("{title}: purpose {purpose:?} lacks {phrase:?}"));
        }
        let png = session.screenshot_png()?;
        let path = shots.join(format!("{id}.png"));
        std::fs::write(&path, png).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn arrow_keys_and_enter_switch_pages(session: &Session) -> Result<()> {
    let accounts = session.find("[data-page=accounts]")?;
    session.click(&accounts)?;
    session.wait_for_text("#page-title", |t| t == "Accounts")?;
    session.send_keys(&accounts, "\u{E015}\u{E015}\u{E007}")?;
    session
        .wait_for_text("#page-title", |t| t == "Lists")
        .map(drop)
}

fn expect_eq<T: PartialEq + std::fmt::Debug>(actual: T, expected: T) -> Result<()> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("expected {expected:?}, got {actual:?}"))
    }
}

fn screenshot_dir() -> Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

fn main() -> ExitCode {
    let started = Instant::now();
    println!("\nrunning {} tests", CASES.len());
    let (passed, failed) = match run_all() {
        Ok(counts) => counts,
        Err(message) => {
            println!("e2e setup failed: {message}");
            (0, CASES.len())
        }
    };
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {verdict}. {passed} passed; {failed} failed; 0 ignored; 0 measured; \
         0 filtered out; finished in {:.2}s\n",
        started.elapsed().as_secs_f64()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_all() -> Result<(usize, usize)> {
    let driver = driver::TauriDriver::start()?;
    let session = Session::start(&driver.url, env!("CARGO_BIN_EXE_dynbridge-app"))?;
    let mut failed = 0;
    for (name, case) in CASES {
        match case(&session) {
            Ok(()) => println!("test {name} ... ok"),
            Err(message) => {
                failed += 1;
                println!("test {name} ... FAILED\n    {message}");
            }
        }
    }
    session.end()?;
    Ok((CASES.len() - failed, failed))
}
