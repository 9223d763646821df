//! Screenshots of every page at 1024x700 and 1920x1080, light and dark, saved as
//! `target/e2e/screens/<page>-<width>x<height>-<theme>.png` for a person to look at.
//! The theme is forced through the `theme` test hook (ui/src/api/testHooks.ts). Each
//! shot checks the width and theme asked for, the navigation folded into icons at
//! 1,100 px or less, and that only the page chosen shows.

use super::{save_screenshot, PAGES};
use crate::webdriver::{Result, Session};

/// The window sizes the issue asks to look at: the smallest supported, and a full HD screen.
const SIZES: &[(u32, u32)] = &[(1024, 700), (1920, 1080)];

/// Visits each page at each size in each theme, saves a screenshot, and checks that
/// the window's content really is as wide as asked and in the theme asked.
pub fn every_page_is_captured_at_two_sizes_in_light_and_dark(session: &Session) -> Result<()> {
    std::fs::create_dir_all(super::screenshot_dir()?.join("screens")).map_err(|e| e.to_string())?;
    for &(width, height) in SIZES {
        session.set_window_size(width, height)?;
        // The navigation re-renders when it folds or unfolds: wait for it before clicking.
        let compact = width <= 1100;
        session.wait_until("the navigation to fit the width", || {
            let shown = session
                .execute("return document.querySelector('nav').dataset.compact === 'true'")?;
            Ok((shown == serde_json::json!(compact)).then_some(()))
        })?;
        std::thread::sleep(std::time::Duration::from_millis(300));
        for theme in ["light", "dark"] {
            force_theme(session, Some(theme))?;
            for (id, title, _) in PAGES {
                session.click_on(&format!("[data-page={id}]"))?;
                session.wait_for_text("#page-title", |t| t == *title)?;
                std::thread::sleep(std::time::Duration::from_millis(300));
                let shown = session.execute(
                    "return { width: window.innerWidth, background: getComputedStyle(document.querySelector('main')).backgroundColor, \
                     compact: document.querySelector('nav').dataset.compact === 'true', \
                     shown: [...document.querySelectorAll('[data-page-view]')].filter(s => s.getBoundingClientRect().height > 0).map(s => s.dataset.pageView) }",
                )?;
                check_theme(&shown["background"], theme)?;
                // A narrow window folds the navigation into a rail of icons.
                if shown["compact"] != serde_json::json!(compact) {
                    return Err(format!(
                        "at {width} px the navigation is compact: {}",
                        shown["compact"]
                    ));
                }
                // Pages kept for the session are hidden, not stacked below the shown one.
                if shown["shown"] != serde_json::json!([id]) {
                    return Err(format!(
                        "showing {id}, the window shows the pages {}",
                        shown["shown"]
                    ));
                }
                if shown["width"]
                    .as_u64()
                    .is_some_and(|w| w + 40 < u64::from(width))
                {
                    return Err(format!(
                        "asked for {width} px wide, the page is {}",
                        shown["width"]
                    ));
                }
                save_screenshot(session, &format!("screens/{id}-{width}x{height}-{theme}"))?;
            }
        }
    }
    force_theme(session, None)?;
    session.set_window_size(1280, 800)
}

/// Sets (or, with `None`, clears) the forced theme and tells the app to re-read it.
fn force_theme(session: &Session, theme: Option<&str>) -> Result<()> {
    let theme = serde_json::to_string(&theme).map_err(|e| e.to_string())?;
    session
        .execute(&format!(
            "window.__DYNBRIDGE_TEST__ = {{ ...window.__DYNBRIDGE_TEST__, theme: {theme} ?? undefined }}; \
             window.dispatchEvent(new Event('dynbridge-test-theme')); return true"
        ))
        .map(drop)
}

/// The page's background (`rgb(r, g, b)`) is dark in the dark theme and light in the light one.
fn check_theme(background: &serde_json::Value, theme: &str) -> Result<()> {
    let text = background.as_str().unwrap_or_default();
    let channels: Vec<u32> = text
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .take(3)
        .collect();
    let dark = channels.iter().sum::<u32>() < 3 * 128;
    if dark == (theme == "dark") {
        Ok(())
    } else {
        Err(format!("the {theme} theme shows a background of {text}"))
    }
}
