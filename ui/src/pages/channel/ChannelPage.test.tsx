import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ChannelBuild, ChannelInputs } from "../../api";
import { renderInFluent } from "../../test-fixtures";
import { ChannelPage, DEFAULTS } from "./ChannelPage";

const SECTION_A = "https://help.brightpattern.com/5.8:Microsoft-dynamics-365-integration-guide/Configuration/EnableScenariosAccessDynamics365";
const url = "https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=contoso.crm.dynamics.com";

function built(inputs: ChannelInputs): ChannelBuild {
  const missing = inputs.tenant === "";
  return {
    channel_url: missing ? null : url,
    trusted_domain: missing ? null : "https://example.brightpattern.com",
    redirect_uri: null,
    form: [{ label: "Channel URL", value: missing ? "" : url }],
    record: null,
    checklist: "",
    findings: missing
      ? [{ field: "Bright Pattern tenant", severity: "error", code: "tenant.missing", message: "the Bright Pattern tenant is missing", fix: null, guide_step: null, span: null }]
      : [],
  };
}

describe("Channel provider page", () => {
  it("shows findings beside their field and the built URL once fixed, ready to copy", async () => {
    const saved: ChannelInputs[] = [];
    mockIPC((cmd, args) => {
      const a = args as { inputs: ChannelInputs };
      switch (cmd) {
        case "channel_load":
          return { tenant: "", org: "https://contoso.crm.dynamics.com", name: "BP", label: "BP", outbound: true, order: 0, api_version: "1.0", apps: [], roles: [] };
        case "channel_build":
          return built(a.inputs);
        case "channel_save":
          saved.push(a.inputs);
          return "/profiles/channel-provider.json";
        default:
          throw new Error(cmd);
      }
    });
    renderInFluent(<ChannelPage />);
    // Nothing is in error before the user touches a field; leaving it shows its problem
    // once, beside it, in words (the code stays out of the text).
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>("channel-org").value).toBe("https://contoso.crm.dynamics.com"));
    expect(screen.queryByText(/tenant is missing/)).toBeNull();
    expect(document.querySelector("[aria-invalid=true]")).toBeNull();
    fireEvent.blur(screen.getByTestId("channel-tenant"));
    expect(await screen.findAllByText(/The Bright Pattern tenant is missing\./)).toHaveLength(1);
    expect(document.body.textContent).not.toContain("tenant.missing");
    fireEvent.change(screen.getByTestId("channel-tenant"), { target: { value: "example" } });
    const value = await screen.findByTestId<HTMLInputElement>("channel-url");
    expect(value.value).toBe(url);
    expect(screen.queryByText(/tenant is missing/)).toBeNull();

    window.__DYNBRIDGE_TEST__ = { copied: [] };
    Object.assign(navigator, { clipboard: { writeText: () => Promise.resolve() } });
    fireEvent.click(screen.getByTestId("channel-url-copy"));
    await waitFor(() => expect(window.__DYNBRIDGE_TEST__?.copied).toEqual([url]));
    delete window.__DYNBRIDGE_TEST__;

    // Save is in the command bar above the form; it confirms in a toast, not a message bar.
    const bar = screen.getByRole("toolbar", { name: "Channel provider actions" });
    expect([...bar.querySelectorAll("button")].map((b) => b.textContent)).toEqual(["Save", "Export record JSON…", "Export checklist…"]);
    expect(bar.compareDocumentPosition(screen.getByTestId("channel-tenant")) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    fireEvent.click(screen.getByTestId("channel-save"));
    expect((await screen.findByTestId("channel-saved")).textContent).toBe("The channel provider's settings to /profiles/channel-provider.json.");
    expect(document.querySelector(".fui-MessageBar")).toBeNull();
    expect(saved[0]?.tenant).toBe("example");
  });

  it("links the guide step of the redirect URI to register, below its plain label", async () => {
    const callback = "https://example.brightpattern.com/admin/msdynamicscallback.html";
    mockIPC((cmd, args) => {
      if (cmd === "channel_load") return { ...DEFAULTS, tenant: "example" };
      if (cmd === "channel_build") return { ...built((args as { inputs: ChannelInputs }).inputs), redirect_uri: callback };
      throw new Error(cmd);
    });
    window.__DYNBRIDGE_TEST__ = { opened: [] };
    renderInFluent(<ChannelPage />);
    expect(await screen.findByRole("button", { name: "Copy Redirect URI" })).toBeTruthy();
    expect(screen.getByDisplayValue(callback)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Section A, step 1.4" }));
    await waitFor(() => expect(window.__DYNBRIDGE_TEST__?.opened).toEqual([`${SECTION_A}#Step_1:_Add_a_new_registered_app`]));
    expect(screen.getByText(/For the Entra ID app registration, platform Web/)).toBeTruthy();
    delete window.__DYNBRIDGE_TEST__;
  });

  it("keeps an error beside the form, dismissable", async () => {
    mockIPC((cmd, args) => {
      if (cmd === "channel_load") return { ...DEFAULTS, tenant: "example" };
      if (cmd === "channel_build") return built((args as { inputs: ChannelInputs }).inputs);
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- Tauri commands reject with a plain string
      if (cmd === "channel_save") throw "the profile directory is read-only";
      throw new Error(cmd);
    });
    renderInFluent(<ChannelPage />);
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>("channel-tenant").value).toBe("example"));
    fireEvent.click(screen.getByTestId("channel-save"));
    expect((await screen.findByTestId("channel-error")).textContent).toBe("the profile directory is read-only");
    fireEvent.click(screen.getByTestId("notice-dismiss"));
    expect(screen.queryByTestId("channel-error")).toBeNull();
  });
});
