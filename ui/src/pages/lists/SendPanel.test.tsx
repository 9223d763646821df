import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ConnectionView, ImportSummary, SendReport } from "../../api";
import { CommandBar } from "../../components/CommandBar";
import { renderInFluent } from "../../test-fixtures";
import { SendPanel } from "./SendPanel";

const CONNECTION: ConnectionView = {
  connection: { id: "bp-1", name: "Demo tenant", url: "http://127.0.0.1:5000", login: "api.demo", simulator: true },
  findings: [],
  has_secret: true,
};

const SUMMARY: ImportSummary = {
  source: "/exports/contacts.xlsx",
  sheet: null,
  rows_read: 10,
  imported: 6,
  rejected: 4,
  rejected_by_reason: [{ reason: "do_not_call", count: 1 }],
  phones_cleared: 0,
  duplicate_ids: { count: 0, first_rows: [] },
  duplicate_phones: { count: 0, first_rows: [] },
  formula_cells: 0,
  object_type: null,
  screenpop: null,
  field_types: [],
  findings: [],
};

const REPORT: SendReport = {
  list: "Dynamics Contacts.csv",
  added: 5,
  rejected: [{ reason: "duplicateKey", label: "Duplicate key", rows: [{ row: 9, key: "3f2504e0-4f89-41d3-9a0c-0305e82c3301" }] }],
  rows: 6,
  rows_sent: 6,
  batches: 1,
  requests: 2,
  elapsed_ms: 40,
  cancelled: false,
  stopped: null,
  dnc: { list: "Dynamics Do Not Call", added: 1, sent: 1, invalid: [], error: null },
};

interface Calls {
  sent: Record<string, unknown>[];
  preflights: Record<string, unknown>[];
  exported: string[];
}

function mock(calls: Calls, exportError?: string) {
  window.__DYNBRIDGE_TEST__ = { saveFile: "/tmp/rejected.csv" };
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    switch (cmd) {
      case "bp_connections_list":
        return [CONNECTION];
      case "bp_campaigns":
        return [{ name: "Dynamics Outbound", running: false, lists: ["Dynamics Contacts.csv"] }];
      case "bp_preflight":
        calls.preflights.push(a);
        return [
          { field: "Calling list", severity: "info", code: "bp.list_found", message: "Bright Pattern's calling list holds 0 records", fix: null, guide_step: null, span: null },
          ...(a.mode === "replace"
            ? [{ field: "Mode", severity: "warning", code: "bp.replace_erases_results", message: "Replace deletes every record first", fix: null, guide_step: null, span: null }]
            : []),
        ];
      case "bp_send": {
        calls.sent.push(a);
        (a.progress as { onmessage: (p: unknown) => void }).onmessage({ rows_sent: 6, rows: 6, added: 5, rejected: 1, do_not_call: false });
        return REPORT;
      }
      case "e2e_choose_file":
        return null;
      case "bp_rejects_export":
        if (exportError) throw new Error(exportError);
        calls.exported.push(a.path as string);
        return null;
      default:
        return null;
    }
  });
}

/** The panel below the Lists page's command bar, where it puts Send. */
function renderPanel(stale: boolean) {
  renderInFluent(
    <CommandBar label="List actions">
      <SendPanel summary={SUMMARY} stale={stale} />
    </CommandBar>,
  );
}

async function chooseCampaign() {
  fireEvent.click(await screen.findByTestId("bp-send-campaign"));
  fireEvent.click(await screen.findByRole("option", { name: /Dynamics Outbound/ }));
  await screen.findByTestId("bp-send-campaign-lists");
}

describe("Send to Bright Pattern", () => {
  it("checks, sends and shows the result by reason with its rows, without codes", async () => {
    const calls: Calls = { sent: [], preflights: [], exported: [] };
    mock(calls);
    renderPanel(false);
    await chooseCampaign();
    expect(screen.getByTestId("bp-send-campaign-lists").textContent).toContain("Dynamics Contacts.csv");
    await screen.findByText("Bright Pattern's calling list holds 0 records.");
    fireEvent.change(screen.getByTestId("bp-send-dnc"), { target: { value: "Dynamics Do Not Call" } });
    await waitFor(() => expect(screen.getByTestId("bp-send").hasAttribute("disabled")).toBe(false));
    fireEvent.click(screen.getByTestId("bp-send"));
    const added = await screen.findByTestId("bp-send-added");
    expect(added.textContent).toBe("Added 5 of 6 rows to \u201cDynamics Contacts.csv\u201d; Bright Pattern refused 1.");
    expect(calls.sent[0]).toMatchObject({ id: "bp-1", list: "Dynamics Contacts.csv", mode: "add", dnc: { list: "Dynamics Do Not Call", replace: false } });
    const rejects = screen.getByTestId("bp-send-rejects");
    expect(rejects.textContent).toContain("Duplicate key");
    expect(rejects.textContent).toContain("9");
    expect(screen.getByTestId("bp-send-dnc-result").textContent).toContain("1 numbers sent, 1 new");
    expect(document.body.textContent).not.toMatch(/duplicateKey|bp\.list_found/);
    fireEvent.click(screen.getByTestId("bp-send-export"));
    await waitFor(() => expect(calls.exported).toEqual(["/tmp/rejected.csv"]));
    expect((await screen.findByTestId("bp-send-exported")).textContent).toBe("The rejected rows to /tmp/rejected.csv.");
    expect(screen.getByText("Exported")).toBeTruthy();
  });

  it("asks before Replace and sends only once confirmed", async () => {
    const calls: Calls = { sent: [], preflights: [], exported: [] };
    mock(calls);
    renderPanel(false);
    await chooseCampaign();
    fireEvent.click(screen.getByLabelText("Replace the list's records"));
    await screen.findByText("Replace deletes every record first.");
    await waitFor(() => expect(screen.getByTestId("bp-send").hasAttribute("disabled")).toBe(false));
    fireEvent.click(screen.getByTestId("bp-send"));
    expect((await screen.findByRole("alertdialog")).textContent).toContain("erases the campaign's results");
    expect(calls.sent).toEqual([]);
    fireEvent.click(screen.getByTestId("bp-send-confirm"));
    await screen.findByTestId("bp-send-added");
    expect(calls.sent[0]).toMatchObject({ mode: "replace", dnc: null });
  });

  it("asks before replacing the Do Not Call list's numbers", async () => {
    const calls: Calls = { sent: [], preflights: [], exported: [] };
    mock(calls);
    renderPanel(false);
    await chooseCampaign();
    expect(screen.getByTestId<HTMLInputElement>("bp-send-dnc-replace").disabled).toBe(true);
    fireEvent.change(screen.getByTestId("bp-send-dnc"), { target: { value: "Dynamics Do Not Call" } });
    fireEvent.click(screen.getByLabelText("Replace the Do Not Call list's numbers"));
    await waitFor(() => expect(screen.getByTestId("bp-send").hasAttribute("disabled")).toBe(false));
    fireEvent.click(screen.getByTestId("bp-send"));
    expect((await screen.findByRole("alertdialog")).textContent).toContain("every other number in it is removed");
    expect(calls.sent).toEqual([]);
    fireEvent.click(screen.getByTestId("bp-send-confirm"));
    await screen.findByTestId("bp-send-added");
    expect(calls.sent[0]).toMatchObject({ mode: "add", dnc: { list: "Dynamics Do Not Call", replace: true } });
  });

  it("shows an export's error in a bar that can be dismissed", async () => {
    mock({ sent: [], preflights: [], exported: [] }, "/tmp/rejected.csv: permission denied");
    renderPanel(false);
    await chooseCampaign();
    await waitFor(() => expect(screen.getByTestId("bp-send").hasAttribute("disabled")).toBe(false));
    fireEvent.click(screen.getByTestId("bp-send"));
    fireEvent.click(await screen.findByTestId("bp-send-export"));
    expect((await screen.findByTestId("bp-send-status")).textContent).toBe("/tmp/rejected.csv: permission denied");
    fireEvent.click(screen.getByTestId("notice-dismiss"));
    expect(screen.queryByTestId("bp-send-status")).toBeNull();
  });

  it("cannot send a stale result", async () => {
    const calls: Calls = { sent: [], preflights: [], exported: [] };
    mock(calls);
    renderPanel(true);
    await chooseCampaign();
    await screen.findByText("Bright Pattern's calling list holds 0 records.");
    expect(screen.getByTestId("bp-send").hasAttribute("disabled")).toBe(true);
  });
});
