import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import type { ImportOptions, ImportSummary, Inspection } from "../../api";
import { NavigationContext } from "../../shell/navigation";
import { ListsPage } from "./ListsPage";

const inspection: Inspection = {
  path: "/exports/contacts.xlsx",
  format: "xlsx",
  sheets: ["My Active Contacts"],
  sheet: "My Active Contacts",
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
          return { first: 1, rows: [["a", "15551234567"]] };
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
    expect((await screen.findByTestId("lists-detected")).textContent).toContain("3 rows");
    fireEvent.click(screen.getByRole("checkbox", { name: "Include Full Name" }));
    fireEvent.change(screen.getByTestId("id-name"), { target: { value: "crm_id" } });
    fireEvent.click(screen.getByTestId("import"));
    expect((await screen.findByTestId("lists-counts")).textContent).toContain("2 imported, 1 rejected (1 no valid phone)");
    expect(imports[0]?.columns).toEqual([
      { source: "(Do Not Modify) Contact", name: "crm_id" },
      { source: "Business Phone", name: "Business Phone" },
    ]);
    expect((await screen.findByTestId("lists-rejects")).textContent).toContain("Gina");
    fireEvent.click(screen.getByTestId("lists-test-screenpop"));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("screenpop", {
      list: { path: "/exports/contacts.xlsx (imported)", headers: ["dyn_id", "Phone"], rows: 2 },
      screenpop: summary.screenpop,
    }));
    delete window.__DYNBRIDGE_TEST__;
  });
});
