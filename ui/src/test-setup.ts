// Vitest setup: what jsdom lacks and Fluent UI uses, and cleanup between tests.
import { afterEach } from "vitest";
import { cleanup } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

// Fluent's MessageBar measures itself; jsdom has no layout, so nothing is observed.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver ??= NoLayoutResizeObserver;

afterEach(() => {
  cleanup();
  clearMocks();
  delete window.__DYNBRIDGE_TEST__;
});
