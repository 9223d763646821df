import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { CommandBar } from "../../components/CommandBar";
import { accountView, renderInFluent } from "../../test-fixtures";
import type { TableSummary, VerifyReport } from "../../api";
import { VerifyPanel } from "./VerifyPanel";

const ACCOUNT = accountView();
const SCREENPOP = "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact";
const FOUND = { row: 2, id: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", status: "found", name: "Ana Silva", other_type: null } as const;

function report(rows: VerifyReport["rows"]): VerifyReport {
  const count = (status: string) => rows.filter((r) => r.status === status).length;
  return {
    object: "contact",
    rows,
    found: count("found"),
    missing: count("missing"),
    other_type: count("other_type"),
    inactive: count("inactive"),
    do_not_phone: count("do_not_phone"),
    unchecked: count("unchecked"),
    findings: [],
  };
}

/** The loaded list of `rows` rows, as the Screen pop page holds it. */
function listOf(rows: number, path = "/lists/contacts.csv"): TableSummary {
  return { path, headers: ["name", "dyn_id"], rows };
}

/** The panel below the page's command bar; `rows` null: no list to verify. */
function panel(rows: number | null, rowId: string | null, text = SCREENPOP, list = rows === null ? null : listOf(rows)) {
  return (
    <CommandBar label="Screen pop actions">
      <VerifyPanel text={text} target={{ list, rowId }} />
    </CommandBar>
  );
}

function renderPanel(rows: number | null, rowId: string | null) {
  return renderInFluent(panel(rows, rowId));
}

function mockVerify(result: VerifyReport, calls: unknown[] = []) {
  mockIPC((cmd, args) => {
    if (cmd === "accounts_list") return [ACCOUNT];
    if (cmd === "screenpop_object_types") return [{ bright_pattern: "account", logical_name: "account", display_name: "Account" }];
    if (cmd === "verify_ids") {
      calls.push(args);
      return result;
    }
    return null;
  });
}

describe("Verify panel", () => {
  it("verifies a list, counts each outcome, lists the IDs to look at and exports the report", async () => {
    const calls: unknown[] = [];
    const result = report([
      FOUND,
      { row: 3, id: "11111111-1111-4111-8111-111111111111", status: "missing", name: null, other_type: null },
      { row: 4, id: "22222222-2222-4222-8222-222222222222", status: "other_type", name: "Contoso", other_type: "account" },
    ]);
    mockVerify(result, calls);
    window.__DYNBRIDGE_TEST__ = { saveFile: "/reports/verification.csv" };
    renderPanel(3, null);
    fireEvent.click(await screen.findByTestId("verify-list"));
    expect((await screen.findByTestId("verify-counts")).textContent).toBe(
      "3 IDs: 1 found, 1 not found in Dynamics, 1 of another type, 0 inactive, 0 marked \u201cDo not allow Phone Calls\u201d.",
    );
    const problems = screen.getByTestId("verify-problems");
    expect(within(problems).queryByText(FOUND.id)).toBeNull();
    // Each status in words, the other type by the name Dynamics shows.
    expect(within(problems).getByText("not found in Dynamics")).toBeTruthy();
    expect(within(problems).getByText("a record of another type (Account): Contoso")).toBeTruthy();
    expect(problems.textContent).not.toMatch(/other_type|other type \(account\)/);
    expect(calls[0]).toMatchObject({ account: "acct-1", text: SCREENPOP, id: null });

    // Verify and Export are in the page's command bar; the export confirms in a toast.
    const bar = screen.getByRole("toolbar", { name: "Screen pop actions" });
    expect(within(bar).getByTestId("verify-list")).toBeTruthy();
    fireEvent.click(within(bar).getByText("Export report…"));
    expect((await screen.findByTestId("verify-exported")).textContent).toBe("The verification report to /reports/verification.csv.");
    expect(document.querySelector(".fui-MessageBar")).toBeNull();
  });

  it("checks the rendered row's record alone and names it", async () => {
    const calls: unknown[] = [];
    mockVerify(report([FOUND]), calls);
    renderPanel(null, FOUND.id);
    expect(screen.queryByTestId("verify-list")).toBeNull();
    fireEvent.click(await screen.findByTestId("verify-one"));
    expect((await screen.findByTestId("verify-counts")).textContent).toBe("Ana Silva: found.");
    expect(calls[0]).toMatchObject({ id: FOUND.id });
  });

  it("shows a wait while Dataverse throttles, and what was left unchecked", async () => {
    const stopped = {
      ...report([FOUND, { row: 3, id: "11111111-1111-4111-8111-111111111111", status: "unchecked", name: null, other_type: null }]),
      findings: [
        {
          field: "Verify",
          severity: "warning",
          code: "verify.cancelled",
          message: "Cancelled after checking 1 of 2 IDs; the rest are not checked",
          fix: null,
          guide_step: null,
          span: null,
        },
      ],
    } satisfies VerifyReport;
    mockIPC((cmd, args) => {
      if (cmd === "accounts_list") return [ACCOUNT];
      if (cmd === "verify_ids") {
        const channel = (args as { progress: { onmessage: (p: unknown) => void } }).progress;
        channel.onmessage({ checked: 1, waiting: "Dataverse asked Dynbridge to slow down; trying again in 15 s" });
        return new Promise((resolve) => setTimeout(() => resolve(stopped), 50));
      }
      return null;
    });
    renderPanel(2, null);
    fireEvent.click(await screen.findByTestId("verify-list"));
    expect((await screen.findByTestId("verify-waiting")).textContent).toContain("trying again in 15 s");
    expect((await screen.findByTestId("verify-counts")).textContent).toBe(
      "2 IDs: 1 found, 0 not found in Dynamics, 0 of another type, 0 inactive, 0 marked \u201cDo not allow Phone Calls\u201d, 1 not checked.",
    );
    expect(screen.getByText("Cancelled after checking 1 of 2 IDs; the rest are not checked.")).toBeTruthy();
    expect(screen.queryByTestId("verify-waiting")).toBeNull();
  });

  it("shows the first 200 problems and says where the rest are", async () => {
    const missing = Array.from({ length: 250 }, (_, i) => ({
      row: i + 2,
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      status: "missing" as const,
      name: null,
      other_type: null,
    }));
    mockVerify(report(missing));
    renderPanel(250, null);
    fireEvent.click(await screen.findByTestId("verify-list"));
    expect(await screen.findByText("The first 200 of 250 IDs to look at; the exported report lists every row.")).toBeTruthy();
    expect(within(screen.getByTestId("verify-problems")).getAllByText("not found in Dynamics")).toHaveLength(200);
  });

  it("marks a report made for another Screenpop URL or list stale, and exports it only once current again", async () => {
    const calls: unknown[] = [];
    mockVerify(report([FOUND]), calls);
    const list = listOf(3);
    const { rerender } = renderInFluent(panel(3, null, SCREENPOP, list));
    fireEvent.click(await screen.findByTestId("verify-list"));
    await screen.findByTestId("verify-counts");
    expect(screen.queryByTestId("verify-stale")).toBeNull();
    expect(screen.getByTestId("verify-export").hasAttribute("disabled")).toBe(false);

    // Another Screenpop URL: the report is for the old one.
    rerender(panel(3, null, "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):account", list));
    expect(screen.getByTestId("verify-stale").textContent).toContain("Verify again");
    expect(screen.getByTestId("verify-export").hasAttribute("disabled")).toBe(true);
    // Back to the URL it was made for: current again.
    rerender(panel(3, null, SCREENPOP, list));
    expect(screen.queryByTestId("verify-stale")).toBeNull();
    expect(screen.getByTestId("verify-export").hasAttribute("disabled")).toBe(false);

    // Another list, even the same file loaded again: stale until verified again.
    rerender(panel(3, null, SCREENPOP, listOf(3)));
    expect(screen.getByTestId("verify-stale")).toBeTruthy();
    rerender(panel(5, null, SCREENPOP, listOf(5, "/lists/leads.csv")));
    expect(screen.getByTestId("verify-stale")).toBeTruthy();
    expect(screen.getByTestId("verify-export").hasAttribute("disabled")).toBe(true);
    fireEvent.click(screen.getByTestId("verify-list"));
    await waitFor(() => expect(screen.queryByTestId("verify-stale")).toBeNull());
    expect(screen.getByTestId("verify-export").hasAttribute("disabled")).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it("says to add an integration account on the Accounts page first while there is none", async () => {
    mockIPC((cmd) => (cmd === "accounts_list" ? [] : null));
    renderPanel(3, FOUND.id);
    expect((await screen.findByTestId("add-account-first")).textContent).toBe(
      "Add an integration account on the Accounts page first: Dynbridge looks the IDs up in Dynamics with its token.",
    );
    expect(screen.getByRole("heading", { name: "Verify in Dynamics" })).toBeTruthy();
    expect(screen.queryByTestId("verify-list")).toBeNull();
    expect(screen.queryByTestId("verify-one")).toBeNull();
  });

  it("marks one record's check stale once another row's record is shown", async () => {
    mockVerify(report([FOUND]));
    const { rerender } = renderPanel(null, FOUND.id);
    fireEvent.click(await screen.findByTestId("verify-one"));
    expect((await screen.findByTestId("verify-counts")).textContent).toBe("Ana Silva: found.");
    expect(screen.queryByTestId("verify-stale")).toBeNull();
    rerender(panel(null, "11111111-1111-4111-8111-111111111111"));
    expect(screen.getByTestId("verify-stale")).toBeTruthy();
    expect(screen.getByTestId("verify-export").hasAttribute("disabled")).toBe(true);
  });
});
