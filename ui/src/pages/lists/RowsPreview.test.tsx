import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { renderInFluent } from "../../test-fixtures";
import { RowsPreview } from "./RowsPreview";

const LONG_NAME = "Alexandra Maria Fernández-Castellanos de la Torre (Contoso Pharmaceuticals, Northwind Traders)";

describe("Imported list preview", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows a cut value whole on hover, and lets its columns share the window's width", async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "lists_rows") return null;
      asked.push(args);
      return { first: 1, sheet_rows: [2, 3], rows: [["3f2504e0-4f89-41d3-9a0c-0305e82c3301", LONG_NAME], ["11111111-1111-4111-8111-111111111111", "Bob"]] };
    });
    // jsdom lays nothing out: the frame is given its height, for rows to come into view.
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(320);
    renderInFluent(<RowsPreview header={["dyn_id", "Full Name"]} rows={2} />);
    const preview = screen.getByTestId("lists-preview");
    const cell = await within(preview).findByText(LONG_NAME);
    expect(cell.getAttribute("title")).toBe(LONG_NAME);
    expect(within(preview).getByRole("columnheader", { name: "Full Name" }).getAttribute("title")).toBe("Full Name");
    // Rows are paged from Rust, not handed over whole.
    await waitFor(() => expect(asked).toEqual([{ first: 1, count: 200 }]));

    // Each column grows with the window from 180 px; the rows are at least as wide as all of them.
    const style = getComputedStyle(cell);
    expect([style.flexGrow, style.flexShrink, style.flexBasis]).toEqual(["1", "0", "180px"]);
    const row = cell.closest("[role=row]")!;
    expect((row.parentElement as HTMLElement).style.minWidth).toBe(`${64 + 2 * 180}px`);
    expect((within(preview).getAllByRole("row")[0] as HTMLElement).style.minWidth).toBe(`${64 + 2 * 180}px`);
  });
});
