//! Playing the admin's browser against the simulator: the simulator's authorize page
//! approves at once with a redirect, which the browser follows to the app's loopback
//! listener. The demo uses it (no one signs in to a simulator by hand), and so do the
//! tests of every sign-in.

/// Follows `authorize_url` to where the simulator redirects, and returns the text of
/// that page (the loopback listener's answer, "Signed in" when all went well).
pub fn approve(authorize_url: &str) -> Result<String, String> {
    let http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let answer = http
        .get(authorize_url)
        .send()
        .map_err(|e| format!("{authorize_url}: {e}"))?;
    let callback = answer
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .ok_or_else(|| format!("no redirect from the authorize page ({})", answer.status()))?
        .to_owned();
    http.get(&callback)
        .send()
        .and_then(|page| page.text())
        .map_err(|e| format!("{callback}: {e}"))
}

/// [`approve`] on its own thread, for a sign-in that opens the browser and then waits
/// for the callback; a failure shows there, as the sign-in's timeout.
pub fn approve_in_background(authorize_url: &str) {
    let url = authorize_url.to_owned();
    std::thread::spawn(move || approve(&url));
}
