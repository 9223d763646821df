import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { accountView, renderInFluent } from "../../test-fixtures";
import type { ConnectionReport } from "../../api";
import { ConnectionPanel } from "./ConnectionPanel";

const CONNECTED: ConnectionReport = {
  ok: true,
  user_id: "11111111-2222-3333-4444-555555555555",
  user_name: "Dana Admin",
  business_unit_id: null,
  organization_id: null,
  organization_name: "Contoso",
  latency_ms: BigInt(84),
  findings: [],
};

describe("Connection panel", () => {
  it("shows Test connection under way with Cancel, which stops only that test and keeps the last result", async () => {
    const cancelled: unknown[] = [];
    let tests = 0;
    mockIPC((cmd, args) => {
      // The first test answers; the second waits for a Dynamics that does not answer.
      if (cmd === "account_test") return tests++ === 0 ? CONNECTED : new Promise(() => {});
      if (cmd === "job_cancel") cancelled.push(args);
      return null;
    });
    renderInFluent(<ConnectionPanel view={accountView()} onChanged={() => {}} />);
    fireEvent.click(screen.getByTestId("test-connection"));
    expect((await screen.findByTestId("connection-ok")).textContent).toBe("Connected as Dana Admin to Contoso; Dynamics answered in 84 ms.");
    fireEvent.click(screen.getByTestId("test-connection"));
    expect(screen.getByTestId<HTMLButtonElement>("test-connection").disabled).toBe(true);
    fireEvent.click(await screen.findByTestId("test-connection-cancel"));
    expect((await screen.findByTestId("connection-ok")).textContent).toContain("Contoso");
    expect(screen.getByTestId<HTMLButtonElement>("test-connection").disabled).toBe(false);
    await waitFor(() => expect(cancelled).toEqual([{ job: expect.stringMatching(/^job-/) as unknown }]));
  });

  it("stops a test still running when the panel goes (another account chosen), and reports nothing from it", async () => {
    const cancelled: unknown[] = [];
    let changed = 0;
    mockIPC((cmd, args) => {
      if (cmd === "account_test") return new Promise(() => {});
      if (cmd === "job_cancel") cancelled.push(args);
      return null;
    });
    const { unmount } = renderInFluent(<ConnectionPanel view={accountView()} onChanged={() => changed++} />);
    fireEvent.click(screen.getByTestId("test-connection"));
    await screen.findByTestId("test-connection-cancel");
    unmount();
    await waitFor(() => expect(cancelled).toEqual([{ job: expect.stringMatching(/^job-/) as unknown }]));
    expect(changed).toBe(0);
  });

  it("stops a sign-in still waiting when the panel goes, and its end changes nothing shown", async () => {
    const calls: string[] = [];
    let changed = 0;
    let signedIn: (findings: unknown[]) => void = () => {};
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "account_login") return new Promise((settle) => (signedIn = settle));
      return null;
    });
    const { unmount } = renderInFluent(<ConnectionPanel view={accountView()} onChanged={() => changed++} />);
    fireEvent.click(screen.getByTestId("request-token"));
    await waitFor(() => expect(calls).toContain("account_login"));
    unmount();
    expect(calls).toContain("account_cancel_login");
    signedIn([]);
    await new Promise((settle) => setTimeout(settle, 20));
    expect(changed).toBe(0);
  });
});
