import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { App } from "./App";
import { pages } from "./pages";
import type { AppInfo } from "./api";

/** What the shell's pages ask on mount: no accounts, no demo. */
function answer(cmd: string): unknown {
  if (cmd === "accounts_list") return [];
  if (cmd === "demo_requested") return false;
  return info;
}

const info: AppInfo = {
  version: "9.8.7",
  profile_dir: "/home/admin/.config/dynbridge",
  keychain_backend: "Secret Service (D-Bus)",
};

/** A window `width` px wide, as far as media queries go (jsdom has no layout). */
function windowWidth(width: number) {
  vi.stubGlobal("matchMedia", (query: string) => ({
    matches: /max-width: (\d+)px/.exec(query) ? width <= Number(/max-width: (\d+)px/.exec(query)?.[1]) : false,
    media: query,
    addEventListener: () => {},
    removeEventListener: () => {},
  }));
}

describe("App shell", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("folds the navigation into named icons at 1,100 px and less, still keyboard-driven", async () => {
    mockWindows("main");
    mockIPC(answer);
    windowWidth(1024);
    render(<App />);
    const nav = screen.getByRole("navigation", { name: "Dynbridge" });
    expect(nav.dataset.compact).toBe("true");
    for (const page of pages) {
      const tab = screen.getByRole("tab", { name: page.title });
      expect(tab.textContent).toBe("");
    }
    screen.getByRole("tab", { name: "Lists" }).focus();
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Lists"));
  });

  it("keeps the labels in a wide window", () => {
    mockIPC(answer);
    windowWidth(1280);
    render(<App />);
    expect(screen.getByRole("tab", { name: "Accounts" }).textContent).toBe("Accounts");
  });

  it("lists every page in the navigation and opens on Accounts", () => {
    mockIPC(answer);
    render(<App />);
    expect(screen.getAllByRole("tab")).toHaveLength(pages.length);
    for (const page of pages) expect(screen.getByRole("tab", { name: page.title })).toBeTruthy();
    expect(screen.getByRole("heading", { level: 2 })).toHaveProperty("textContent", "Accounts");
  });

  it("links each page's guide references to Bright Pattern's guide", async () => {
    mockIPC(answer);
    window.__DYNBRIDGE_TEST__ = { opened: [] };
    render(<App />);
    const header = screen.getByTestId("page-header");
    expect(header.textContent).toContain("Guide: Configuration Section A, steps 1\u20138 and Reference: How to Add an Integration Account");
    fireEvent.click(within(header).getByRole("button", { name: "Reference: How to Add an Integration Account" }));
    await waitFor(() =>
      expect(window.__DYNBRIDGE_TEST__?.opened).toEqual([
        "https://help.brightpattern.com/5.8:Microsoft-dynamics-365-integration-guide/Configuration/AddIntegrationAccount",
      ]),
    );
  });

  it("shows app_info in the status bar", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return answer(cmd);
    });
    render(<App />);
    await screen.findByText("Dynbridge 9.8.7");
    expect(screen.getByText(`Profiles: ${info.profile_dir}`)).toBeTruthy();
    expect(screen.getByText(`Secrets: ${info.keychain_backend}`)).toBeTruthy();
    expect(calls.filter((cmd) => cmd === "app_info")).toHaveLength(1);
  });

  it("shows the command's error when app_info fails", async () => {
    mockIPC((cmd) => {
      if (cmd !== "app_info") return answer(cmd);
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- Tauri commands reject with a plain string
      throw "the keychain library fell back to its in-memory mock store";
    });
    render(<App />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("mock store");
  });

  // Arrow keys between tabs are Tabster's (real focus moves), tested in the real window
  // by the end-to-end suite; here: Tab reaches the navigation and Enter selects.
  it("switches pages with the keyboard alone", async () => {
    mockWindows("main");
    mockIPC(answer);
    const user = userEvent.setup();
    render(<App />);
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("tab", { name: "Accounts" }));
    screen.getByRole("tab", { name: "Lists" }).focus();
    await user.keyboard("{Enter}");
    await waitFor(() =>
      expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Lists"),
    );
    expect(screen.getByTestId("page-purpose").textContent).toContain("Export to Excel");
  });
});
