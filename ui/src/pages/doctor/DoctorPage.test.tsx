import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { accountView, renderInFluent } from "../../test-fixtures";
import type { DoctorReport } from "../../api";
import { NavigationContext } from "../../shell/navigation";
import { share } from "../../shell/shared";
import { DEFAULTS } from "../channel/ChannelPage";
import { DoctorPage } from "./DoctorPage";

const ACCOUNT = accountView();

const REPORT: DoctorReport = {
  account: "Production",
  steps: [
    { id: "A8", title: "Request token", status: "pass", detail: "A token was issued.", findings: [] },
    { id: "B1", title: "Install Channel Integration Framework", status: "fail", detail: "ChannelAPIIntegrationFramework is not installed.", findings: [] },
    { id: "B2", title: "Install the Bright Pattern solution", status: "manual", detail: "Import it from AppSource.", findings: [] },
    { id: "B3", title: "Channel provider", status: "manual", detail: "Create it on the Channel provider page.", findings: [] },
  ],
};

function renderPage() {
  renderInFluent(<DoctorPage />);
}

describe("Doctor page", () => {
  it("runs with the default account, shows each step and a summary, and exports Markdown", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "accounts_list") return [ACCOUNT];
      if (cmd === "doctor_run") return REPORT;
      if (cmd === "doctor_ticks_load") return [];
      return null;
    });
    window.__DYNBRIDGE_TEST__ = { saveFile: "/reports/doctor.md" };
    renderPage();
    fireEvent.click(await screen.findByTestId("doctor-run"));
    expect((await screen.findByTestId("doctor-summary")).textContent).toBe("Production: 1 pass · 1 to fix · 2 manual");
    const b1 = within(screen.getByTestId("doctor-steps")).getByText("B1").closest("tr");
    expect(b1?.textContent).toContain("Fix");
    expect(b1?.textContent).toContain("ChannelAPIIntegrationFramework is not installed.");
    // The Channel provider page was not opened: Rust reads its saved settings.
    expect(calls.find((c) => c.cmd === "doctor_run")?.args).toEqual({ id: "acct-1", provider: null, job: expect.any(String) as unknown });

    // Run and Export are in the command bar; the export confirms in a toast.
    const bar = screen.getByRole("toolbar", { name: "Doctor actions" });
    expect([...bar.querySelectorAll("button")].map((b) => b.textContent)).toEqual(["Run checks", "Export Markdown…"]);
    fireEvent.click(screen.getByText("Export Markdown…"));
    expect((await screen.findByTestId("doctor-exported")).textContent).toBe("The checklist to /reports/doctor.md.");
    expect(document.querySelector(".fui-MessageBar")).toBeNull();
    expect(calls.find((c) => c.cmd === "doctor_export")?.args).toEqual({ report: REPORT, path: "/reports/doctor.md" });
  });

  it("links each step to that step of Bright Pattern's guide", async () => {
    mockIPC((cmd) => {
      if (cmd === "accounts_list") return [ACCOUNT];
      if (cmd === "doctor_run") return REPORT;
      if (cmd === "doctor_ticks_load") return [];
      return null;
    });
    window.__DYNBRIDGE_TEST__ = { opened: [] };
    renderPage();
    expect(screen.getByTestId<HTMLButtonElement>("doctor-export").disabled).toBe(true);
    fireEvent.click(await screen.findByTestId("doctor-run"));
    const steps = await screen.findByTestId("doctor-steps");
    fireEvent.click(within(steps).getByRole("button", { name: "B1" }));
    fireEvent.click(within(steps).getByRole("button", { name: "A8" }));
    await waitFor(() =>
      expect(window.__DYNBRIDGE_TEST__?.opened).toEqual([
        "https://help.brightpattern.com/5.8:Microsoft-dynamics-365-integration-guide/Configuration/?action=html-localimages-export#1._Install_Channel_Integration_Framework_app",
        "https://help.brightpattern.com/5.8:Microsoft-dynamics-365-integration-guide/Configuration/EnableScenariosAccessDynamics365#Step_8:_Complete_integration_account_properties_setup",
      ]),
    );
  });

  it("remembers ticked manual steps, links each step to its page, and lets messages be dismissed", async () => {
    const saved: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "accounts_list") return [ACCOUNT];
      if (cmd === "doctor_run") return REPORT;
      if (cmd === "doctor_ticks_load") return ["B2"];
      if (cmd === "doctor_ticks_save") saved.push(args);
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- Tauri commands reject with a plain string
      if (cmd === "doctor_export") throw "the disk is full";
      return null;
    });
    const opened: string[] = [];
    window.__DYNBRIDGE_TEST__ = { saveFile: "/reports/doctor.md" };
    renderInFluent(
      <NavigationContext.Provider value={{ navigate: (page) => opened.push(page), handoff: null }}>
        <DoctorPage />
      </NavigationContext.Provider>,
    );
    fireEvent.click(await screen.findByTestId("doctor-run"));
    const b2 = await screen.findByTestId<HTMLInputElement>("doctor-tick-B2");
    expect(b2.checked).toBe(true);
    expect(b2.closest("tr")?.textContent).toContain("Done");
    fireEvent.click(screen.getByTestId("doctor-tick-B3"));
    expect(saved).toEqual([{ account: "acct-1", steps: ["B2", "B3"] }]);
    expect(screen.queryByTestId("doctor-tick-A8")).toBeNull();

    fireEvent.click(screen.getByTestId("doctor-go-B3"));
    expect(opened).toEqual(["channel"]);

    fireEvent.click(screen.getByText("Export Markdown…"));
    expect(await screen.findByText("the disk is full")).toBeTruthy();
    fireEvent.click(screen.getByTestId("notice-dismiss"));
    expect(screen.queryByText("the disk is full")).toBeNull();
  });

  it("shows why the checks could not run", async () => {
    mockIPC((cmd) => {
      if (cmd === "accounts_list") return [ACCOUNT];
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- Tauri commands reject with a plain string
      if (cmd === "doctor_run") throw "enter and save the Client Secret first";
      return null;
    });
    renderPage();
    fireEvent.click(await screen.findByTestId("doctor-run"));
    expect(await screen.findByText("enter and save the Client Secret first")).toBeTruthy();
    expect(screen.queryByTestId("doctor-steps")).toBeNull();
  });

  it("checks the org for the Channel provider page's form as it stands, pushed or not", async () => {
    const runs: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "accounts_list") return [ACCOUNT];
      if (cmd === "doctor_ticks_load") return [];
      if (cmd === "doctor_run") runs.push(args);
      if (cmd === "doctor_run") return REPORT;
      return null;
    });
    const form = { ...DEFAULTS, tenant: "example", org: "https://contoso.crm.dynamics.com" };
    share({ channel: form });
    renderPage();
    expect((await screen.findByTestId("doctor-empty")).textContent).toContain("Run checks");
    fireEvent.click(await screen.findByTestId("doctor-run"));
    await screen.findByTestId("doctor-steps");
    expect(runs).toEqual([{ id: "acct-1", provider: form, job: expect.any(String) as unknown }]);
    share({ channel: null });
  });

  it("stops a run on Cancel and keeps the last report", async () => {
    const cancelled: unknown[] = [];
    let runs = 0;
    mockIPC((cmd, args) => {
      if (cmd === "accounts_list") return [ACCOUNT];
      if (cmd === "doctor_ticks_load") return [];
      // The first run answers; the second waits for a server that does not answer.
      if (cmd === "doctor_run") return runs++ === 0 ? REPORT : new Promise(() => {});
      if (cmd === "job_cancel") cancelled.push(args);
      return null;
    });
    renderPage();
    fireEvent.click(await screen.findByTestId("doctor-run"));
    await screen.findByTestId("doctor-steps");
    fireEvent.click(screen.getByTestId("doctor-run"));
    expect(screen.queryByTestId("doctor-steps")).toBeNull();
    fireEvent.click(await screen.findByTestId("doctor-cancel"));
    expect(await screen.findByTestId("doctor-steps")).toBeTruthy();
    expect(screen.queryByTestId("doctor-cancel")).toBeNull();
    expect(screen.getByTestId<HTMLButtonElement>("doctor-run").disabled).toBe(false);
    await waitFor(() => expect(cancelled).toEqual([{ job: expect.any(String) as unknown }]));
  });

  it("asks for an account first when there is none", async () => {
    mockIPC((cmd) => (cmd === "accounts_list" ? [] : null));
    renderPage();
    expect(await screen.findByText(/Add an integration account on the Accounts page first/)).toBeTruthy();
  });
});
