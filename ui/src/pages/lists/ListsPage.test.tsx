import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import type { ImportOptions, ImportSummary, Inspection } from "../../api";
import { NavigationContext } from "../../shell/navigation";
import { AppToaster } from "../../shell/toasts";
import { ListsPage } from "./ListsPage";

function renderPage() {
  render(
    <FluentProvider theme={webLightTheme}>
      <NavigationContext.Provider value={{ navigate: vi.fn(), handoff: null }}>
        <ListsPage />
      </NavigationContext.Provider>
      <AppToaster />
    </FluentProvider>,
  );
}

const inspection: Inspection = {
  path: "/exports/contacts.xlsx",
  format: "xlsx",
  sheets: ["My Active Contacts"],
  sheet: "My Active Contacts",
  header_row: 1,
  header_rows: [1],
  header_row_cells: [["(Do Not Modify) Contact", "Full Name", "Business Phone"]],
  dynamics_export: true,
  entity: "contact",
  object_type: { bright_pattern: "contact", logical_name: "contact", display_name: "Contact" },
  columns: [
    { index: 0, letter: "A", header: "(Do Not Modify) Contact", logical_name: "contactid", role: "id" },
    { index: 1, letter: "B", header: "Full Name", logical_name: "fullname", role: "full_name" },
    { index: 2, letter: "C", header: "Business Phone", logical_name: "telephone1", role: "phone" },
  ],
  id_column: 0,
  default_columns: [
    { source: "(Do Not Modify) Contact", name: "dyn_id" },
    { source: "Full Name", name: "Full Name" },
    { source: "Business Phone", name: "Business Phone" },
  ],
  rows: 3,
  findings: [],
  consent_column: null,
  consent_values: [],
  consent_values_more: false,
  consent_do_not_call: [],
};

const summary: ImportSummary = {
  source: "/exports/contacts.xlsx",
  sheet: "My Active Contacts",
  rows_read: 3,
  imported: 2,
  rejected: 1,
  rejected_by_reason: [{ reason: "no_valid_phone", count: 1 }],
  phones_cleared: 0,
  duplicate_ids: { count: 0, first_rows: [] },
  duplicate_phones: { count: 0, first_rows: [] },
  formula_cells: 0,
  object_type: inspection.object_type,
  screenpop: "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact",
  field_types: [
    { column: "dyn_id", field_type: "custom" },
    { column: "Phone", field_type: "PHONE" },
  ],
  findings: [],
};

describe("Lists page", () => {
  it("opens, imports with the chosen columns, and hands the list to Screen pop", async () => {
    mockWindows("main");
    const imports: ImportOptions[] = [];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "bp_connections_list":
          return [];
        case "plugin:event|listen":
          return 1;
        case "lists_open":
          return inspection;
        case "lists_import":
          imports.push((args as { options: ImportOptions }).options);
          return summary;
        case "lists_rejects":
          return [{ row: 4, reason: "no_valid_phone", values: ["x", "Gina", "12"] }];
        case "lists_rows":
          return { first: 1, sheet_rows: [2], rows: [["a", "15551234567"]] };
        case "lists_to_screenpop":
          return { path: "/exports/contacts.xlsx (imported)", headers: ["dyn_id", "Phone"], rows: 2 };
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/contacts.xlsx" };
    const navigate = vi.fn();
    render(
      <FluentProvider theme={webLightTheme}>
        <NavigationContext.Provider value={{ navigate, handoff: null }}>
          <ListsPage />
        </NavigationContext.Provider>
      </FluentProvider>,
    );
    fireEvent.click(screen.getByTestId("choose-file"));
    expect((await screen.findByTestId("lists-detected")).textContent).toBe("3 rows \u00b7 Contact records \u00b7 record IDs in \u201c(Do Not Modify) Contact\u201d");
    // What each column holds, by Dynamics' labels, not the codes.
    const columns = screen.getByRole("table", { name: "Output columns" });
    expect([...columns.querySelectorAll("tbody tr")].map((row) => row.children[2]?.textContent)).toEqual(["Full Name", "Phone number"]);
    fireEvent.click(screen.getByRole("checkbox", { name: "Include Full Name" }));
    fireEvent.change(screen.getByTestId("id-name"), { target: { value: "crm_id" } });
    fireEvent.click(screen.getByTestId("import"));
    expect((await screen.findByTestId("lists-counts")).textContent).toContain("2 imported, 1 rejected (1 without a phone number Bright Pattern accepts).");
    expect(imports[0]?.columns).toEqual([
      { source: "(Do Not Modify) Contact", name: "crm_id" },
      { source: "Business Phone", name: "Business Phone" },
    ]);
    const rejects = await screen.findByTestId("lists-rejects");
    expect(rejects.textContent).toContain("Gina");
    expect(rejects.querySelector("tbody tr")?.children[1]?.textContent).toBe("without a phone number Bright Pattern accepts");
    // Open, Import, Save and the hand-off are in the command bar above the page's form.
    const bar = screen.getByRole("toolbar", { name: "List actions" });
    expect([...bar.querySelectorAll("button")].map((b) => b.textContent)).toEqual([
      "Choose file…",
      "Recent",
      "Import",
      "Save as…",
      "Test screen pop",
    ]);
    expect(bar.compareDocumentPosition(screen.getByTestId("id-name")) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    fireEvent.click(screen.getByTestId("lists-test-screenpop"));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("screenpop", {
      list: { path: "/exports/contacts.xlsx (imported)", headers: ["dyn_id", "Phone"], rows: 2 },
      screenpop: summary.screenpop,
    }));
    delete window.__DYNBRIDGE_TEST__;
  });

  it("marks a result stale once an option changes, and keeps it from being saved or handed on", async () => {
    mockWindows("main");
    let opened = 0;
    mockIPC((cmd) => {
      switch (cmd) {
        case "bp_connections_list":
          return [];
        case "plugin:event|listen":
          return 1;
        case "lists_open":
          opened += 1;
          if (opened > 1) throw new Error("/exports/broken.xlsx: not a spreadsheet");
          return inspection;
        case "lists_import":
          return summary;
        case "lists_rejects":
          return [];
        case "lists_rows":
          return { first: 1, sheet_rows: [2], rows: [["a", "15551234567"]] };
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/contacts.xlsx" };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-file"));
    await screen.findByTestId("lists-detected");
    fireEvent.click(screen.getByTestId("import"));
    await screen.findByTestId("lists-counts");
    expect(screen.queryByTestId("lists-stale")).toBeNull();
    expect(screen.getByTestId("lists-save").hasAttribute("disabled")).toBe(false);

    fireEvent.click(screen.getByRole("checkbox", { name: "Remove duplicates (ID or phone)" }));
    expect(await screen.findByTestId("lists-stale")).toBeTruthy();
    expect(screen.getByTestId("lists-save").hasAttribute("disabled")).toBe(true);
    expect(screen.getByTestId("lists-test-screenpop").hasAttribute("disabled")).toBe(true);
    // Changing it back makes the result current again.
    fireEvent.click(screen.getByRole("checkbox", { name: "Remove duplicates (ID or phone)" }));
    await waitFor(() => expect(screen.queryByTestId("lists-stale")).toBeNull());

    // A file that fails to open leaves nothing of the previous one below its error.
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/broken.xlsx" };
    fireEvent.click(screen.getByTestId("choose-file"));
    expect((await screen.findByTestId("lists-error")).textContent).toContain("not a spreadsheet");
    expect(screen.queryByTestId("lists-detected")).toBeNull();
    expect(screen.queryByTestId("lists-counts")).toBeNull();
    delete window.__DYNBRIDGE_TEST__;
  });

  it("shows the sheet and header row read, and reopens the file at the ones chosen", async () => {
    mockWindows("main");
    const opens: unknown[] = [];
    const workbook: Inspection = {
      ...inspection,
      sheets: ["Read me", "My Active Contacts"],
      header_row: 3,
      header_rows: [3, 5],
      header_row_cells: [["Full Name", "Business Phone", "Email", "City"], ["Ann", "555 0100"]],
    };
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "bp_connections_list":
          return [];
        case "plugin:event|listen":
          return 1;
        case "lists_open": {
          opens.push(args);
          const { sheet, headerRow } = args as { sheet: string | null; headerRow: number | null };
          if (sheet === "Read me") return { ...workbook, sheet, header_row: 1, header_rows: [1], header_row_cells: [["Notes", "More"]] };
          // Reopened lower down: rows above the header come without their cells.
          if (headerRow === 5) return { ...workbook, header_row: 5, header_row_cells: [[], ["Ann", "555 0100"]] };
          return workbook;
        }
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/contacts.xlsx" };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-file"));
    const header = await screen.findByRole("combobox", { name: /Header row/ });
    expect(header.textContent).toBe("Row 3: Full Name, Business Phone, Email, \u2026");
    expect(screen.getByRole("combobox", { name: "Sheet" }).textContent).toBe("My Active Contacts");

    fireEvent.click(header);
    fireEvent.click(await screen.findByRole("option", { name: "Row 5: Ann, 555 0100" }));
    await waitFor(() => expect(screen.getByRole("combobox", { name: /Header row/ }).textContent).toBe("Row 5: Ann, 555 0100"));
    expect(opens[1]).toEqual({ path: "/exports/contacts.xlsx", sheet: "My Active Contacts", headerRow: 5 });
    // The row above keeps the label seen before.
    fireEvent.click(screen.getByRole("combobox", { name: /Header row/ }));
    expect(await screen.findByRole("option", { name: "Row 3: Full Name, Business Phone, Email, \u2026" })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole("listbox"), { key: "Escape" });

    fireEvent.click(screen.getByRole("combobox", { name: "Sheet" }));
    fireEvent.click(await screen.findByRole("option", { name: "Read me" }));
    await waitFor(() => expect(screen.getByRole("combobox", { name: "Sheet" }).textContent).toBe("Read me"));
    expect(opens[2]).toEqual({ path: "/exports/contacts.xlsx", sheet: "Read me", headerRow: null });
    // One header row on that sheet: nothing to choose.
    expect(screen.queryByRole("combobox", { name: /Header row/ })).toBeNull();
    delete window.__DYNBRIDGE_TEST__;
  });

  it("asks which consent values mean do not call, and imports only once answered", async () => {
    mockWindows("main");
    const imports: ImportOptions[] = [];
    const message =
      'the consent column "Telefonanrufe nicht zulassen" holds values Dynbridge does not recognise as "Do Not Allow" or "Allow" (2 rows): "Nein", "Ja"; no row is imported until you say which of them mean "do not call"';
    const unclear: Inspection = {
      ...inspection,
      columns: [...inspection.columns, { index: 3, letter: "D", header: "Telefonanrufe nicht zulassen", logical_name: null, role: "do_not_phone" }],
      findings: [
        {
          field: "Do not call",
          severity: "error",
          code: "list.do_not_call_unclear",
          message,
          fix: "state the values meaning \"do not call\": dynbridge list import FILE --do-not-call-values \"Nein\"",
          guide_step: null,
          span: null,
        },
      ],
      consent_column: "Telefonanrufe nicht zulassen",
      consent_values: ["Nein", "Ja"],
      consent_do_not_call: [],
    };
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "bp_connections_list":
          return [];
        case "plugin:event|listen":
          return 1;
        case "lists_open":
          return unclear;
        case "lists_import":
          imports.push((args as { options: ImportOptions }).options);
          return summary;
        case "lists_rejects":
          return [];
        case "lists_rows":
          return { first: 1, rows: [] };
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/kontakte.xlsx" };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-file"));
    const question = await screen.findByTestId("lists-consent");
    expect(question.textContent).toContain("Which values in \u201cTelefonanrufe nicht zulassen\u201d mean \u201cDo not allow phone calls\u201d?");
    expect(question.textContent).toContain('"Nein", "Ja"');
    // No code and no command line on the page.
    expect(document.body.textContent).not.toContain("--do-not-call");
    expect(document.body.textContent).not.toContain("list.do_not_call_unclear");
    const importButton = screen.getByTestId("import");
    expect(importButton.hasAttribute("disabled")).toBe(true);

    fireEvent.click(screen.getByRole("checkbox", { name: "Ja" }));
    expect(importButton.hasAttribute("disabled")).toBe(true);
    fireEvent.click(screen.getByTestId("lists-consent-confirm"));
    expect(importButton.hasAttribute("disabled")).toBe(false);
    fireEvent.click(importButton);
    await screen.findByTestId("lists-counts");
    expect(imports[0]?.do_not_call_values).toEqual(["Ja"]);
    expect(imports[0]?.do_not_call_column).toBe("Telefonanrufe nicht zulassen");
    delete window.__DYNBRIDGE_TEST__;
  });

  it("imports without the question when the consent values are known", async () => {
    mockWindows("main");
    const imports: ImportOptions[] = [];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "bp_connections_list":
          return [];
        case "plugin:event|listen":
          return 1;
        case "lists_open":
          return { ...inspection, consent_column: "Do not allow Phone Calls", consent_values: ["Allow", "Do Not Allow"], consent_do_not_call: ["Do Not Allow"] };
        case "lists_import":
          imports.push((args as { options: ImportOptions }).options);
          return summary;
        case "lists_rejects":
          return [];
        case "lists_rows":
          return { first: 1, rows: [] };
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/contacts.xlsx" };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-file"));
    await screen.findByTestId("lists-detected");
    expect(screen.queryByTestId("lists-consent")).toBeNull();
    fireEvent.click(screen.getByTestId("import"));
    await screen.findByTestId("lists-counts");
    expect(imports[0]?.do_not_call_values).toBeUndefined();
    delete window.__DYNBRIDGE_TEST__;
  });
  it("re-opens a recent file from the menu beside the picker, admitted by Rust first", async () => {
    mockWindows("main");
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      switch (cmd) {
        case "bp_connections_list":
          return [];
        case "plugin:event|listen":
          return 1;
        case "recent_files":
          return ["/exports/contacts.xlsx"];
        case "recent_file_choose":
          return null;
        case "lists_open":
          return inspection;
        default:
          return null;
      }
    });
    renderPage();
    fireEvent.click(screen.getByTestId("lists-recent"));
    fireEvent.click(await screen.findByText("contacts.xlsx"));
    await screen.findByTestId("lists-detected");
    const fileCalls = calls.filter((c) => c.cmd.startsWith("recent_file") || c.cmd === "lists_open");
    expect(fileCalls).toEqual([
      { cmd: "recent_files", args: { page: "lists" } },
      { cmd: "recent_file_choose", args: { page: "lists", path: "/exports/contacts.xlsx" } },
      { cmd: "lists_open", args: { path: "/exports/contacts.xlsx", sheet: null, headerRow: null } },
    ]);
  });

  it("confirms a saved list in a toast, not a message bar", async () => {
    mockWindows("main");
    mockIPC((cmd) => {
      switch (cmd) {
        case "bp_connections_list":
        case "lists_rejects":
          return [];
        case "plugin:event|listen":
          return 1;
        case "lists_open":
          return inspection;
        case "lists_import":
          return summary;
        case "lists_rows":
          return { first: 1, sheet_rows: [2], rows: [["a", "15551234567"]] };
        case "lists_save":
          return "/lists/contacts.rejected.csv";
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/contacts.xlsx", saveFile: "/lists/contacts.csv" };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-file"));
    await screen.findByTestId("lists-detected");
    fireEvent.click(screen.getByTestId("import"));
    await screen.findByTestId("lists-counts");
    fireEvent.click(screen.getByTestId("lists-save"));
    expect((await screen.findByTestId("lists-saved")).textContent).toBe(
      "The list to /lists/contacts.csv, the rejected rows to /lists/contacts.rejected.csv.",
    );
    expect(screen.getByText("Saved")).toBeTruthy();
    expect(screen.queryByTestId("lists-status")).toBeNull();
  });

  it("says once that a result and what was sent from it are stale, not once per panel", async () => {
    mockWindows("main");
    mockIPC((cmd) => {
      switch (cmd) {
        case "bp_connections_list":
          return [{ connection: { id: "bp-1", name: "Demo tenant", url: "http://127.0.0.1:5000", login: "api.demo", simulator: true }, findings: [], has_secret: true }];
        case "bp_campaigns":
          return [{ name: "Dynamics Outbound", running: false, lists: ["Dynamics Contacts.csv"] }];
        case "bp_preflight":
        case "lists_rejects":
          return [];
        case "bp_send":
          return {
            list: "Dynamics Contacts.csv",
            added: 1,
            rejected: [{ reason: "duplicateKey", label: "Duplicate key", rows: [{ row: 3, key: "3f2504e0-4f89-41d3-9a0c-0305e82c3301" }] }],
            rows: 2,
            rows_sent: 2,
            batches: 1,
            requests: 2,
            elapsed_ms: 40,
            cancelled: false,
            stopped: null,
            dnc: null,
          };
        case "plugin:event|listen":
          return 1;
        case "lists_open":
          return inspection;
        case "lists_import":
          return summary;
        case "lists_rows":
          return { first: 1, sheet_rows: [2], rows: [["a", "15551234567"]] };
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/contacts.xlsx" };
    renderPage();
    fireEvent.click(screen.getByTestId("choose-file"));
    await screen.findByTestId("lists-detected");
    fireEvent.click(screen.getByTestId("import"));
    fireEvent.click(await screen.findByTestId("bp-send-campaign"));
    fireEvent.click(await screen.findByRole("option", { name: /Dynamics Outbound/ }));
    await waitFor(() => expect(screen.getByTestId("bp-send").hasAttribute("disabled")).toBe(false));
    fireEvent.click(screen.getByTestId("bp-send"));
    await screen.findByTestId("bp-send-added");

    fireEvent.click(screen.getByRole("checkbox", { name: "Remove duplicates (ID or phone)" }));
    expect((await screen.findByTestId("lists-stale")).textContent).toContain("anything sent from it below");
    expect(screen.getAllByText(/other choices than those above/)).toHaveLength(1);
    expect(screen.getByTestId("bp-send-export").hasAttribute("disabled")).toBe(true);
    delete window.__DYNBRIDGE_TEST__;
  });
});

