// Hooks the end-to-end suite sets through WebDriver (`window.__DYNBRIDGE_TEST__`) to
// stand in for what WebDriver cannot drive: the native file dialog and the browser.
// Absent in normal use, so the real dialog and browser are used.

export interface TestHooks {
  /** Returned by the file picker instead of showing the native dialog. */
  pickFile?: string;
  /** Returned by the Save dialog instead of showing it. */
  saveFile?: string;
  /** URLs the app would have opened in the browser, in order. */
  opened?: string[];
  /** Texts copied to the clipboard, in order (they are copied as well). */
  copied?: string[];
}

declare global {
  interface Window {
    __DYNBRIDGE_TEST__?: TestHooks;
  }
}

export function testHooks(): TestHooks | undefined {
  return window.__DYNBRIDGE_TEST__;
}
