// Hooks the end-to-end suite sets through WebDriver (`window.__DYNBRIDGE_TEST__`) to
// stand in for what WebDriver cannot drive: the native file dialogs and the browser.
// Compiled out of the production bundle (`npm run build`): only the e2e bundle
// (`npm run build:e2e`, Vite mode "e2e") and the Vitest runs (mode "test") have them.
import { invoke } from "@tauri-apps/api/core";

export interface TestHooks {
  /** Returned by the Open dialog instead of showing it. */
  pickFile?: string;
  /** Returned by the Save dialog instead of showing it. */
  saveFile?: string;
  /** URLs the app would have opened in the browser, in order. */
  opened?: string[];
  /** Texts copied to the clipboard, in order (they are copied as well). */
  copied?: string[];
  /** The theme shown instead of the system's, read when `THEME_EVENT` is dispatched. */
  theme?: "light" | "dark";
}

/** Dispatched on `window` by the suite after it sets or clears `theme`. */
export const THEME_EVENT = "dynbridge-test-theme";

declare global {
  interface Window {
    __DYNBRIDGE_TEST__?: TestHooks;
  }
}

/** False in the production bundle, where Vite replaces the mode and drops the hooks. */
const ENABLED = import.meta.env.MODE !== "production";

/** The hooks the end-to-end suite set, if any; always undefined in production. */
export function testHooks(): TestHooks | undefined {
  return ENABLED ? window.__DYNBRIDGE_TEST__ : undefined;
}

/**
 * The path the suite set for a dialog (`pickFile` to read, `saveFile` to write);
 * undefined when none is set. In the e2e bundle it is first recorded on the Rust side
 * as chosen, as the dialog would (`e2e_choose_file` exists only in e2e builds of the
 * app); Vitest's mocked IPC needs no recording.
 */
export async function hookedPath(dialog: "pickFile" | "saveFile"): Promise<string | undefined> {
  if (!ENABLED) return undefined;
  const path = window.__DYNBRIDGE_TEST__?.[dialog];
  if (path === undefined) return undefined;
  if (import.meta.env.MODE === "e2e") await invoke("e2e_choose_file", { path, write: dialog === "saveFile" });
  return path;
}
