import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ChannelBuild, ChannelInputs } from "../../api";
import { ChannelPage } from "./ChannelPage";

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
    render(
      <FluentProvider theme={webLightTheme}>
        <ChannelPage />
      </FluentProvider>,
    );
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

    fireEvent.click(screen.getByTestId("channel-save"));
    expect((await screen.findByTestId("channel-status")).textContent).toContain("/profiles/channel-provider.json");
    expect(saved[0]?.tenant).toBe("example");
  });
});
