//! A small blocking client for the W3C WebDriver protocol, enough to drive the app
//! through tauri-driver: find, click, type, read text, run a script, take screenshots.

use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

/// The key that WebDriver uses to name an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub type Result<T> = std::result::Result<T, String>;

pub struct Session {
    http: reqwest::blocking::Client,
    base: String,
}

#[derive(Debug, Clone)]
pub struct Element(String);

impl Session {
    /// Starts the app at `application` in a new WebDriver session.
    pub fn start(driver_url: &str, application: &str) -> Result<Self> {
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| e.to_string())?;
        let capabilities = json!({
            "capabilities": { "alwaysMatch": { "tauri:options": { "application": application } } }
        });
        let value = send(
            &http,
            http.post(format!("{driver_url}/session"))
                .json(&capabilities),
        )?;
        let id = value["sessionId"]
            .as_str()
            .ok_or(format!("no sessionId in {value}"))?;
        Ok(Self {
            base: format!("{driver_url}/session/{id}"),
            http,
        })
    }

    fn get(&self, path: &str) -> Result<Value> {
        send(&self.http, self.http.get(format!("{}{path}", self.base)))
    }

    fn post(&self, path: &str, body: Value) -> Result<Value> {
        send(
            &self.http,
            self.http.post(format!("{}{path}", self.base)).json(&body),
        )
    }

    pub fn title(&self) -> Result<String> {
        Ok(self.get("/title")?.as_str().unwrap_or_default().to_owned())
    }

    /// The first element matching `css` on the page shown: pages kept for later sit
    /// in the document too, inside a `hidden` section, and are passed over.
    pub fn find(&self, css: &str) -> Result<Element> {
        let value = self.post(
            "/execute/sync",
            json!({
                "script": "return [...document.querySelectorAll(arguments[0])].find(e => !e.closest('[hidden]')) ?? null",
                "args": [css],
            }),
        )?;
        value[ELEMENT_KEY]
            .as_str()
            .map(|id| Element(id.to_owned()))
            .ok_or(format!("no element matches {css}"))
    }

    /// Resizes the window (its outer size, as an admin's screen would give it).
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.post("/window/rect", json!({ "width": width, "height": height }))
            .map(drop)
    }

    pub fn click(&self, element: &Element) -> Result<()> {
        self.post(&format!("/element/{}/click", element.0), json!({}))
            .map(drop)
    }

    /// Clicks the element matching `css` once it is there and holds still (pages render
    /// asynchronously, and live findings move what is below them).
    pub fn click_on(&self, css: &str) -> Result<()> {
        let element = self.settled(css)?;
        self.click(&element)
    }

    /// The element matching `css`, once it is there, scrolled to the middle of its
    /// scroll container and holding still: its place on screen the same three reads in
    /// a row (200 ms), so that a click lands on it rather than on what an asynchronous
    /// re-render has moved under the pointer.
    fn settled(&self, css: &str) -> Result<Element> {
        let element = self.wait_until(css, || Ok(self.find(css).ok()))?;
        let reference = json!({ ELEMENT_KEY: element.0 });
        self.post(
            "/execute/sync",
            json!({ "script": "arguments[0].scrollIntoView({ block: 'center' }); return true", "args": [reference] }),
        )?;
        let place = || {
            self.post(
                "/execute/sync",
                json!({ "script": "const r = arguments[0].getBoundingClientRect(); return [r.x, r.y, r.width, r.height]", "args": [reference] }),
            )
        };
        // The last place read, and how many reads in a row found it there.
        let last = std::cell::RefCell::new((Value::Null, 0));
        self.wait_until(&format!("{css} to hold still"), || {
            let now = place()?;
            let mut last = last.borrow_mut();
            last.1 = if last.0 == now { last.1 + 1 } else { 1 };
            last.0 = now;
            Ok((last.1 >= 3).then_some(()))
        })?;
        Ok(element)
    }

    pub fn text(&self, element: &Element) -> Result<String> {
        Ok(self
            .get(&format!("/element/{}/text", element.0))?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Empties an input.
    pub fn clear(&self, element: &Element) -> Result<()> {
        self.post(&format!("/element/{}/clear", element.0), json!({}))
            .map(drop)
    }

    /// A DOM property of an element, e.g. an input's `value`.
    pub fn property(&self, element: &Element, name: &str) -> Result<Value> {
        self.get(&format!("/element/{}/property/{name}", element.0))
    }

    /// Replaces the text of the input matching `css`.
    pub fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let input = self.find(css)?;
        self.clear(&input)?;
        self.send_keys(&input, text)
    }

    /// Waits up to 10 s for `probe` to give a value.
    pub fn wait_until<T>(&self, what: &str, probe: impl Fn() -> Result<Option<T>>) -> Result<T> {
        self.wait_up_to(Duration::from_secs(10), what, probe)
    }

    /// Waits up to `limit` for `probe` to give a value.
    pub fn wait_up_to<T>(
        &self,
        limit: Duration,
        what: &str,
        probe: impl Fn() -> Result<Option<T>>,
    ) -> Result<T> {
        let deadline = Instant::now() + limit;
        let mut last = None;
        while Instant::now() < deadline {
            match probe() {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => {}
                Err(e) => last = Some(e),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!("gave up waiting for {what}; last error {last:?}"))
    }

    /// Types into an element; WebDriver's special keys are private-use characters
    /// (ArrowDown is `\u{E015}`, Enter `\u{E007}`).
    pub fn send_keys(&self, element: &Element, keys: &str) -> Result<()> {
        self.post(
            &format!("/element/{}/value", element.0),
            json!({ "text": keys }),
        )
        .map(drop)
    }

    /// Runs a script in the page and returns what it returns.
    pub fn execute(&self, script: &str) -> Result<Value> {
        self.post("/execute/sync", json!({ "script": script, "args": [] }))
    }

    /// The text of the first element matching `css`, once `accept` likes it; waits up
    /// to 10 s, since the UI renders asynchronously. On giving up, says what it last read.
    pub fn wait_for_text(&self, css: &str, accept: impl Fn(&str) -> bool) -> Result<String> {
        let last_read = std::cell::RefCell::new(None);
        self.wait_until(css, || {
            let text = self.text(&self.find(css)?)?;
            let accepted = accept(&text);
            last_read.replace(Some(text.clone()));
            Ok(accepted.then_some(text))
        })
        .map_err(|e| match last_read.into_inner() {
            Some(text) => format!("{e}; it last read {text:?}"),
            None => e,
        })
    }

    /// Scrolls the element matching `css`, once it is there, to the middle of its scroll container and
    /// lets the page repaint.
    pub fn scroll_into_view(&self, css: &str) -> Result<()> {
        self.settled(css)?;
        // Let the page repaint before a screenshot.
        std::thread::sleep(Duration::from_millis(100));
        Ok(())
    }

    pub fn screenshot_png(&self) -> Result<Vec<u8>> {
        let encoded = self.get("/screenshot")?;
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .map_err(|e| format!("screenshot is not base64: {e}"))
    }

    pub fn end(self) -> Result<()> {
        send(&self.http, self.http.delete(&self.base)).map(drop)
    }
}

/// Sends a request and returns the `value` of a WebDriver answer, or its error.
fn send(
    http: &reqwest::blocking::Client,
    request: reqwest::blocking::RequestBuilder,
) -> Result<Value> {
    let request = request.build().map_err(|e| e.to_string())?;
    let what = format!("{} {}", request.method(), request.url().path());
    let response = http.execute(request).map_err(|e| format!("{what}: {e}"))?;
    let status = response.status();
    let body: Value = response
        .json()
        .map_err(|e| format!("{what}: answer is not JSON: {e}"))?;
    if status.is_success() {
        Ok(body["value"].clone())
    } else {
        Err(format!("{what}: {status}: {}", body["value"]))
    }
}
