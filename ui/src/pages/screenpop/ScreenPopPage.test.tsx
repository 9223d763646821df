import { describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { Lint, ListCheck, Rendered, TableSummary, VerifyReport } from "../../api";
import { accountView } from "../../test-fixtures";
import { ScreenPopPage } from "./ScreenPopPage";

const broken: Lint = {
  screenpop: null,
  findings: [
    {
      field: "Screenpop URL",
      severity: "error",
      code: "screenpop.variable_case",
      message: "\"workitem.otherinfo.\" must be written exactly workitem.otherInfo.",
      fix: "write workitem.otherInfo. (capital I)",
      guide_step: "Configuring Screen Pop for Preview Campaigns, step 2a",
      span: { start: 14, end: 33 },
    },
  ],
};
const clean: Lint = {
  screenpop: { id: { kind: "column", column: "dyn_id" }, object: "contact", object_type: null },
  findings: [],
};
const summary: TableSummary = { path: "/lists/contacts.csv", headers: ["name", "dyn_id"], rows: 2 };
const rendered: Rendered = {
  show_object: "SHOW_OBJECT:3f2504e0-4f89-41d3-9a0c-0305e82c3301:contact",
  id: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
  hardcoded: "SHOW_OBJECT:3f2504e0-4f89-41d3-9a0c-0305e82c3301:contact",
  record_url: "https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=contact&id=3f2504e0-4f89-41d3-9a0c-0305e82c3301",
  findings: [],
};

const checked: ListCheck = {
  column: "dyn_id",
  rows: 2,
  valid: 1,
  empty: { count: 1, first_rows: [3] },
  malformed: { count: 0, first_rows: [] },
  duplicates: { count: 0, first_rows: [] },
  findings: [],
};

/** A promise the test settles itself, for a command still running. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((settle, fail) => {
    resolve = settle;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** The Rust side; `answers` replace its answer to a command (e.g. one still running). */
function mockBackend(calls: { cmd: string; args: unknown }[], answers: Record<string, () => unknown> = {}) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    const answer = answers[cmd];
    if (answer) return answer();
    switch (cmd) {
      case "screenpop_lint":
        return (args as { text: string }).text.includes("otherinfo") ? broken : clean;
      case "screenpop_object_types":
        return [{ bright_pattern: "contact", logical_name: "contact", display_name: "Contact" }];
      case "screenpop_build":
        return "SHOW_OBJECT:$(workitem.otherInfo.phone_id):contact";
      case "screenpop_load_list":
        // A new object each time, as IPC hands it over.
        return { ...summary };
      case "screenpop_rows":
        return { first: 1, sheet_rows: [2, 3], rows: [["Ann", rendered.id], ["Bob", ""]] };
      case "screenpop_render":
        return rendered;
      case "screenpop_check":
        return checked;
      case "recent_files":
        return ["/lists/contacts.csv", "/lists/older.csv"];
      case "recent_file_choose":
      case "job_cancel":
        return null;
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  }, { shouldMockEvents: true });
}

function renderPage() {
  mockWindows("main");
  return render(
    <FluentProvider theme={webLightTheme}>
      <ScreenPopPage />
    </FluentProvider>,
  );
}

describe("Screen pop page", () => {
  it("lints as you type and marks the offending span", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockBackend(calls);
    renderPage();
    await screen.findByTestId("screenpop-ok");
    const input = screen.getByTestId("screenpop-input");
    fireEvent.change(input, { target: { value: "SHOW_OBJECT:$(workitem.otherinfo.dyn_id):contact" } });
    // The finding shows once, beside the field; no list repeats it.
    const field = document.querySelector("[data-field='Screenpop URL']");
    await waitFor(() => expect(field?.getAttribute("data-code")).toBe("screenpop.variable_case"));
    expect(screen.getAllByText(/must be written exactly workitem\.otherInfo/)).toHaveLength(1);
    expect(field?.textContent).toContain("write workitem.otherInfo. (capital I)");
    expect(screen.queryByTestId("findings")).toBeNull();
    const mark = screen.getByTestId("highlighted").querySelector("mark");
    expect(mark?.textContent).toBe("workitem.otherinfo.");
    expect(calls.filter((c) => c.cmd === "screenpop_lint").length).toBeGreaterThanOrEqual(2);
  });

  it("builds from a column and object type through the Rust builder", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockBackend(calls);
    renderPage();
    fireEvent.change(screen.getByTestId("builder-column"), { target: { value: "phone_id" } });
    fireEvent.click(screen.getByTestId("builder-build"));
    await waitFor(() =>
      expect(screen.getByTestId<HTMLInputElement>("screenpop-input").value).toBe(
        "SHOW_OBJECT:$(workitem.otherInfo.phone_id):contact",
      ),
    );
    expect(calls.find((c) => c.cmd === "screenpop_build")?.args).toEqual({
      id: { kind: "column", column: "phone_id" },
      object: "contact",
    });
  });

  it("loads a list, renders a row and opens the record through the opener", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockBackend(calls);
    window.__DYNBRIDGE_TEST__ = { pickFile: "/lists/contacts.csv", opened: [] };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-list"));
    expect((await screen.findByTestId("list-summary")).textContent).toContain("2 rows");
    const url = await screen.findByTestId<HTMLInputElement>("rendered-record-url");
    expect(url.value).toBe(rendered.record_url);
    // The row is the spreadsheet's number (the header is row 1), as on the Lists page.
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>("row-number").value).toBe("2"));
    fireEvent.click(screen.getByTestId("open-record"));
    await waitFor(() => expect(window.__DYNBRIDGE_TEST__?.opened).toEqual([rendered.record_url]));
    expect(calls.find((c) => c.cmd === "screenpop_load_list")?.args).toEqual({ path: "/lists/contacts.csv", job: expect.stringMatching(/^job-/) as unknown });
    delete window.__DYNBRIDGE_TEST__;
  });

  it("loads a list dropped on the window, as the Lists page opens one", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockBackend(calls);
    renderPage();
    expect(screen.getByTestId("screenpop-drop-zone").textContent).toContain("drop it on the window");
    // The page listens once its effects ran (mocked IPC answers in microtasks).
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    await emit("tauri://drag-drop", { paths: ["/lists/dropped.csv"], position: { x: 10, y: 10 } });
    expect((await screen.findByTestId("list-summary")).textContent).toContain("2 rows");
    expect(calls.filter((c) => c.cmd === "screenpop_load_list").map((c) => c.args)).toEqual([{ path: "/lists/dropped.csv", job: expect.stringMatching(/^job-/) as unknown }]);
  });

  it("puts choosing the list and checking its rows in the command bar above the page", async () => {
    mockBackend([]);
    window.__DYNBRIDGE_TEST__ = { pickFile: "/lists/contacts.csv" };
    renderPage();
    const bar = screen.getByRole("toolbar", { name: "Screen pop actions" });
    fireEvent.click(within(bar).getByTestId("choose-list"));
    await screen.findByTestId("list-summary");
    expect(within(bar).getByTestId("check-list").textContent).toBe("Check every row");
    expect(bar.compareDocumentPosition(screen.getByTestId("screenpop-input")) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it("re-opens a recent list from the menu beside the picker, admitted by Rust first", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockBackend(calls);
    renderPage();
    fireEvent.click(screen.getByTestId("screenpop-recent"));
    const items = await screen.findAllByTestId("recent-file");
    expect(items.map((item) => item.textContent)).toEqual(["contacts.csv", "older.csv"]);
    fireEvent.click(items[0]!);
    expect((await screen.findByTestId("list-summary")).textContent).toContain("2 rows");
    const fileCalls = calls.filter((c) => c.cmd.startsWith("recent_file") || c.cmd === "screenpop_load_list");
    expect(fileCalls).toEqual([
      { cmd: "recent_files", args: { page: "screenpop" } },
      { cmd: "recent_file_choose", args: { page: "screenpop", path: "/lists/contacts.csv" } },
      { cmd: "screenpop_load_list", args: { path: "/lists/contacts.csv", job: expect.stringMatching(/^job-/) as unknown } },
    ]);
  });

  it("tries a row's hardcoded ID with the campaign's template kept beside it, and goes back", async () => {
    mockBackend([]);
    window.__DYNBRIDGE_TEST__ = { pickFile: "/lists/contacts.csv" };
    renderPage();
    const input = screen.getByTestId<HTMLInputElement>("screenpop-input");
    const template = input.value;
    fireEvent.click(screen.getByTestId("choose-list"));
    await screen.findByTestId("rendered-record-url");
    fireEvent.click(screen.getByTestId("troubleshoot"));
    await waitFor(() => expect(input.value).toBe(rendered.hardcoded));
    const kept = screen.getByTestId("screenpop-template");
    expect(kept.querySelector<HTMLInputElement>("input")?.value).toBe(template);
    fireEvent.click(screen.getByTestId("screenpop-restore"));
    expect(input.value).toBe(template);
    expect(screen.queryByTestId("screenpop-template")).toBeNull();
  });

  it("shows a list's progress while it loads", async () => {
    const loading = deferred<TableSummary>();
    mockBackend([], { screenpop_load_list: () => loading.promise });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/lists/contacts.csv" };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-list"));
    expect((await screen.findByTestId("list-loading")).textContent).toBe("Opening contacts.csv\u2026");
    expect(screen.getByRole("status").textContent).toContain("Opening contacts.csv");
    loading.resolve(summary);
    expect((await screen.findByTestId("list-summary")).textContent).toContain("2 rows");
    expect(screen.queryByTestId("list-loading")).toBeNull();
    delete window.__DYNBRIDGE_TEST__;
  });

  it("stops loading a list on Cancel: a load Rust dropped shows nothing, one it kept shows", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    let loading = deferred<TableSummary>();
    mockBackend(calls, { screenpop_load_list: () => loading.promise });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/lists/contacts.csv" };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-list"));
    fireEvent.click(await screen.findByTestId("list-loading-cancel"));
    expect(screen.getByTestId("list-loading").textContent).toBe("Stopping…");
    const job = (calls.find((c) => c.cmd === "screenpop_load_list")?.args as { job: string }).job;
    await waitFor(() => expect(calls.filter((c) => c.cmd === "job_cancel").map((c) => c.args)).toEqual([{ job }]));
    // Cancelled in time: Rust keeps no list and says so; nothing to report.
    loading.reject("cancelled");
    await waitFor(() => expect(screen.queryByTestId("list-loading")).toBeNull());
    expect(screen.queryByTestId("list-summary")).toBeNull();
    expect(document.querySelector(".fui-MessageBar")).toBeNull();

    // Cancel came as the read ended: Rust holds the list, so the page shows it.
    loading = deferred<TableSummary>();
    fireEvent.click(screen.getByTestId("choose-list"));
    fireEvent.click(await screen.findByTestId("list-loading-cancel"));
    loading.resolve(summary);
    expect((await screen.findByTestId("list-summary")).textContent).toContain("2 rows");
    delete window.__DYNBRIDGE_TEST__;
  });

  it("checks every row busy and once at a time, and marks the check stale once the Screenpop URL changes", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    let running = deferred<ListCheck>();
    mockBackend(calls, { screenpop_check: () => running.promise });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/lists/contacts.csv" };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-list"));
    await screen.findByTestId("list-summary");
    const check = await screen.findByTestId("check-list");
    fireEvent.click(check);
    // While it runs: a spinner, and the button cannot start another.
    expect((await screen.findByTestId("check-running")).textContent).toBe("Checking every row\u2026");
    expect(check.hasAttribute("disabled")).toBe(true);
    fireEvent.click(check);
    expect(calls.filter((c) => c.cmd === "screenpop_check")).toHaveLength(1);
    running.resolve(checked);
    expect((await screen.findByTestId("check-result")).textContent).toContain("2 rows: 1 valid, 1 empty");
    expect(screen.queryByTestId("check-running")).toBeNull();
    expect(check.hasAttribute("disabled")).toBe(false);
    expect(screen.queryByTestId("check-stale")).toBeNull();

    // Another Screenpop URL: the check shown was made for the old one.
    const input = screen.getByTestId<HTMLInputElement>("screenpop-input");
    const template = input.value;
    fireEvent.change(input, { target: { value: "SHOW_OBJECT:$(workitem.otherInfo.crm_id):contact" } });
    expect((await screen.findByTestId("check-stale")).textContent).toContain("Check every row again");
    // Checked again, it is current.
    running = deferred<ListCheck>();
    fireEvent.click(screen.getByTestId("check-list"));
    running.resolve(checked);
    await waitFor(() => expect(screen.queryByTestId("check-stale")).toBeNull());
    // Back to the URL of the first check: the result shown is now the other URL's.
    fireEvent.change(input, { target: { value: template } });
    expect(await screen.findByTestId("check-stale")).toBeTruthy();
    delete window.__DYNBRIDGE_TEST__;
  });

  it("keeps the Verify report while the Screenpop URL is edited or another list loads, marked stale and not exported", async () => {
    const verified: VerifyReport = {
      object: "contact",
      rows: [{ row: 2, id: rendered.id!, status: "found", name: "Ann", other_type: null }],
      found: 1,
      missing: 0,
      other_type: 0,
      inactive: 0,
      do_not_phone: 0,
      unchecked: 0,
      findings: [],
    };
    mockBackend([], { accounts_list: () => [accountView()], verify_ids: () => verified });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/lists/contacts.csv" };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-list"));
    await screen.findByTestId("list-summary");
    fireEvent.click(await screen.findByTestId("verify-list"));
    await screen.findByTestId("verify-counts");
    const exportButton = () => screen.getByTestId("verify-export");
    expect(exportButton().hasAttribute("disabled")).toBe(false);

    const input = screen.getByTestId<HTMLInputElement>("screenpop-input");
    const template = input.value;
    fireEvent.change(input, { target: { value: "SHOW_OBJECT:$(workitem.otherInfo.crm_id):contact" } });
    expect((await screen.findByTestId("verify-stale")).textContent).toContain("Verify again");
    expect(screen.getByTestId("verify-counts")).toBeTruthy();
    expect(exportButton().hasAttribute("disabled")).toBe(true);
    fireEvent.change(input, { target: { value: template } });
    await waitFor(() => expect(screen.queryByTestId("verify-stale")).toBeNull());

    // Another list loaded: the report was for the one before.
    fireEvent.click(screen.getByTestId("choose-list"));
    expect(await screen.findByTestId("verify-stale")).toBeTruthy();
    expect(exportButton().hasAttribute("disabled")).toBe(true);
    delete window.__DYNBRIDGE_TEST__;
  });

  it("shows the Screenpop URL's worst finding beside the field and the others once in the list, with the guide step linked in its hint", async () => {
    const finding = (severity: "error" | "warning", code: string, message: string, start: number, end: number) => ({
      field: "Screenpop URL",
      severity,
      code,
      message,
      fix: null,
      guide_step: "Configuring Screen Pop for Preview Campaigns, step 2a",
      span: { start, end },
    });
    mockIPC((cmd, args) => {
      if (cmd === "screenpop_object_types" || cmd === "accounts_list") return [];
      if (cmd !== "screenpop_lint") return null;
      if (!(args as { text: string }).text.endsWith(" ")) return clean;
      return {
        screenpop: null,
        findings: [
          finding("warning", "screenpop.whitespace", "whitespace at the end", 49, 50),
          finding("error", "screenpop.object_unknown", "\u201ccontact \u201d is not an object type Bright Pattern knows", 42, 50),
        ],
      } satisfies Lint;
    });
    window.__DYNBRIDGE_TEST__ = { opened: [] };
    renderPage();
    const input = screen.getByTestId<HTMLInputElement>("screenpop-input");
    fireEvent.change(input, { target: { value: `${input.value} ` } });
    const field = document.querySelector("[data-field='Screenpop URL']");
    await waitFor(() => expect(field?.getAttribute("data-code")).toBe("screenpop.object_unknown"));
    expect(screen.getAllByText(/is not an object type Bright Pattern knows/)).toHaveLength(1);
    expect(screen.getAllByText("Whitespace at the end.")).toHaveLength(1);
    const list = screen.getByTestId("findings");
    expect([...list.querySelectorAll("li")].map((li) => li.getAttribute("data-code"))).toEqual(["screenpop.whitespace"]);
    // The field's hint links the step the lint follows.
    fireEvent.click(within(field as HTMLElement).getAllByRole("button", { name: "Configuring Screen Pop for Preview Campaigns, step 2a" })[0]!);
    await waitFor(() =>
      expect(window.__DYNBRIDGE_TEST__?.opened).toEqual([
        "https://help.brightpattern.com/5.8:Microsoft-dynamics-365-integration-guide/Configuration/?action=html-localimages-export#2a._Configure_the_Screenpop_URL",
      ]),
    );
    delete window.__DYNBRIDGE_TEST__;
  });

  it("keeps a Verify running, its progress and Cancel, while the Screenpop URL stops parsing, and marks its report stale", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    const verifying = deferred<VerifyReport>();
    mockBackend(calls, { accounts_list: () => [accountView()], verify_ids: () => verifying.promise, job_cancel: () => null });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/lists/contacts.csv" };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-list"));
    await screen.findByTestId("list-summary");
    fireEvent.click(await screen.findByTestId("verify-list"));
    expect(await screen.findByRole("progressbar", { name: "Verification progress" })).toBeTruthy();

    // A typo: the URL no longer parses, and the verification goes on, still cancellable.
    const input = screen.getByTestId<HTMLInputElement>("screenpop-input");
    fireEvent.change(input, { target: { value: "SHOW_OBJECT:$(workitem.otherinfo.dyn_id):contact" } });
    await waitFor(() => expect(document.querySelector("[data-field='Screenpop URL']")?.getAttribute("data-code")).toBe("screenpop.variable_case"));
    await waitFor(() => expect(screen.queryByTestId("rendered-record-url")).toBeNull());
    expect(screen.getByRole("progressbar", { name: "Verification progress" })).toBeTruthy();
    fireEvent.click(within(screen.getByRole("toolbar", { name: "Screen pop actions" })).getByRole("button", { name: "Cancel" }));
    // The cancel names this verification, which then reports what it checked.
    const job = (calls.find((c) => c.cmd === "verify_ids")?.args as { job: string }).job;
    await waitFor(() => expect(calls.filter((c) => c.cmd === "job_cancel").map((c) => c.args)).toEqual([{ job }]));

    // What it checked arrives, made for the URL before the typo: stale, not exported.
    verifying.resolve({
      object: "contact",
      rows: [{ row: 2, id: rendered.id!, status: "found", name: "Ann", other_type: null }],
      found: 1,
      missing: 0,
      other_type: 0,
      inactive: 0,
      do_not_phone: 0,
      unchecked: 0,
      findings: [],
    });
    expect((await screen.findByTestId("verify-counts")).textContent).toBe("Ann: found.");
    expect(screen.getByTestId("verify-stale")).toBeTruthy();
    expect(screen.getByTestId("verify-export").hasAttribute("disabled")).toBe(true);
    expect(screen.queryByRole("progressbar", { name: "Verification progress" })).toBeNull();
    expect(screen.queryByTestId("verify-list")).toBeNull();
    delete window.__DYNBRIDGE_TEST__;
  });

  it("offers the Screenpop URL for a pasted record address", async () => {
    mockIPC((cmd, args) => {
      if (cmd === "screenpop_object_types" || cmd === "accounts_list") return [];
      if (cmd !== "screenpop_lint") return null;
      const text = (args as { text: string }).text;
      if (!text.startsWith("https://")) return clean;
      return {
        screenpop: null,
        findings: [
          {
            field: "Screenpop URL",
            severity: "error",
            code: "screenpop.record_url",
            message: "this is a record's web address; the Screenpop URL names the record's ID and table instead",
            fix: `use ${rendered.show_object}`,
            guide_step: null,
            span: { start: 0, end: text.length },
            replacement: rendered.show_object,
          },
        ],
      } satisfies Lint;
    });
    renderPage();
    const input = screen.getByTestId<HTMLInputElement>("screenpop-input");
    fireEvent.change(input, { target: { value: rendered.record_url } });
    fireEvent.click(await screen.findByTestId("finding-apply"));
    expect(input.value).toBe(rendered.show_object);
  });
});
