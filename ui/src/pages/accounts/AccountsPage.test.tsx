import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { accountView, renderInFluent } from "../../test-fixtures";
import type { Account, AccountView } from "../../api";
import { AccountsPage } from "./AccountsPage";

const PRODUCTION = accountView();

function renderPage() {
  renderInFluent(<AccountsPage />);
}

describe("Accounts page", () => {
  it("says what to do first when there is no account, with the page's actions in its command bar", async () => {
    mockIPC((cmd) => (cmd === "accounts_list" || cmd === "bp_connections_list" ? [] : null));
    renderPage();
    expect((await screen.findByTestId("accounts-empty")).textContent).toMatch(/^No integration accounts yet\./);
    const bar = screen.getByTestId("accounts-bar");
    expect(bar.getAttribute("role")).toBe("toolbar");
    for (const id of ["account-add", "account-import", "account-demo"]) expect(bar.contains(screen.getByTestId(id))).toBe(true);
  });

  it("shows findings as the form is typed and saves the secret without getting it back", async () => {
    const saved: { account: Account; secret: string | null }[] = [];
    let stored: AccountView[] = [];
    mockIPC((cmd, args) => {
      const a = args as { account: Account; secret: string | null };
      switch (cmd) {
        case "bp_connections_list":
          return [];
        case "accounts_list":
          return stored;
        case "account_validate":
          return a.secret?.includes("-2222-")
            ? [{ field: "Client Secret", severity: "warning", code: "secret.looks_like_id", message: "this looks like the Secret ID; paste the secret's Value", fix: null, guide_step: null, span: null }]
            : [];
        case "account_redirect_uris":
          return ["http://localhost/dynbridge/callback"];
        case "account_save": {
          saved.push(a);
          const view: AccountView = { account: { ...a.account, id: "acct-1", default: true }, findings: [], has_secret: true, has_refresh_token: false, redirect_uris: [] };
          stored = [view];
          return view;
        }
        default:
          return null;
      }
    });
    renderPage();
    fireEvent.click(screen.getByTestId("account-add"));
    fireEvent.change(screen.getByTestId("account-name"), { target: { value: "Production" } });
    fireEvent.change(screen.getByTestId("account-secret"), { target: { value: "aaaaaaaa-2222-3333-4444-555555555555" } });
    fireEvent.blur(screen.getByTestId("account-secret"));
    expect(await screen.findAllByText(/looks like the Secret ID/)).toHaveLength(1);
    fireEvent.change(screen.getByTestId("account-secret"), { target: { value: "the~Value" } });
    fireEvent.click(screen.getByTestId("account-save"));
    expect((await screen.findByTestId("account-saved")).textContent).toBe("Production; the client secret is in the keychain.");
    expect(screen.getByText("Saved")).toBeTruthy();
    expect(screen.queryByTestId("account-status")).toBeNull();
    expect(saved[0]?.secret).toBe("the~Value");
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>("account-secret").value).toBe(""));
    expect(screen.getByText("Stored in the keychain; type to replace it")).toBeTruthy();
  });

  it("opens a new account with no field in error, and on Save shows each problem once, beside its field, in words", async () => {
    const missing = (field: string, code: string, message: string) => ({ field, severity: "error", code, message, fix: null, guide_step: "Section A, step 3", span: null });
    mockIPC((cmd) => {
      switch (cmd) {
        case "bp_connections_list":
          return [];
        case "accounts_list":
          return [];
        case "account_validate":
          return [missing("Name", "account.name_missing", "the name is missing"), missing("Client ID", "entra.v2", "the Client ID is missing")];
        case "account_save":
          throw new Error("fix the account's errors first");
        default:
          return null;
      }
    });
    renderPage();
    fireEvent.click(await screen.findByTestId("account-add"));
    await waitFor(() => expect(screen.getByTestId("account-name")).toBeTruthy());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(document.querySelector("[aria-invalid=true]")).toBeNull();
    expect(screen.queryByText(/is missing/)).toBeNull();
    // The expiry field is empty: it shows no date of its own.
    expect(screen.getByTestId<HTMLInputElement>("account-secret-expires").value).toBe("");
    fireEvent.click(screen.getByTestId("account-save"));
    expect(await screen.findAllByText("The name is missing.")).toHaveLength(1);
    expect(screen.getAllByText("The Client ID is missing.")).toHaveLength(1);
    expect(document.body.textContent).not.toMatch(/account\.name_missing|entra\.v2/);
  });

  it("exports to the chosen file, imports one, and removes only once confirmed", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    let stored = [PRODUCTION];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      switch (cmd) {
        case "bp_connections_list":
          return [];
        case "accounts_list":
          return stored;
        case "account_import_preview":
          return { ...accountView({ id: "", name: "Staging", default: false }, false).account, token_url: "https://login.microsoftonline.com/t/oauth2/token" };
        case "account_import": {
          const copy = accountView({ id: "acct-2", name: "Staging", default: false }, false);
          stored = [PRODUCTION, copy];
          return copy;
        }
        case "account_remove":
          stored = stored.filter((v) => v.account.id !== (args as { id: string }).id);
          return null;
        case "account_validate":
        case "account_redirect_uris":
          return [];
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { saveFile: "/exports/production.json", pickFile: "/exports/staging.json" };
    renderPage();
    fireEvent.click(await screen.findByText("Production"));
    fireEvent.click(screen.getByTestId("account-export"));
    expect((await screen.findByTestId("account-exported")).textContent).toContain("Production to /exports/production.json, without its client secret");
    expect(screen.getByText("Exported")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "account_export")?.args).toEqual({ id: "acct-1", path: "/exports/production.json" });

    fireEvent.click(screen.getByTestId("account-import"));
    expect((await screen.findByTestId("import-endpoints")).textContent).toContain("https://login.microsoftonline.com/t/oauth2/token");
    expect(calls.some((c) => c.cmd === "account_import")).toBe(false);
    fireEvent.click(screen.getByTestId("account-import-confirm"));
    expect((await screen.findByTestId("account-status")).textContent).toContain("Imported Staging. Enter its Client Secret");
    expect(calls.find((c) => c.cmd === "account_import")?.args).toEqual({ path: "/exports/staging.json", clash: "refuse" });
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>("account-name").value).toBe("Staging"));

    fireEvent.click(screen.getByTestId("account-remove"));
    expect(await screen.findByText("Remove Staging?")).toBeTruthy();
    fireEvent.click(screen.getByText("Cancel"));
    await waitFor(() => expect(screen.queryByText("Remove Staging?")).toBeNull());
    expect(calls.some((c) => c.cmd === "account_remove")).toBe(false);
    fireEvent.click(screen.getByTestId("account-remove"));
    fireEvent.click(await screen.findByTestId("account-remove-confirm"));
    await waitFor(() => expect(calls.find((c) => c.cmd === "account_remove")?.args).toEqual({ id: "acct-2" }));
    expect((await screen.findByTestId("account-status")).textContent).toContain("Removed Staging; its client secret");
    await waitFor(() => expect(screen.queryByText("Staging")).toBeNull());
  });
  it("sets the API URL to a finding's corrected value with one click on Apply", async () => {
    const fixed = "https://contoso.crm.dynamics.com/api/data/v9.0";
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "bp_connections_list":
        case "accounts_list":
        case "account_redirect_uris":
          return [];
        case "account_validate":
          return (args as { account: Account }).account.api_url === fixed
            ? []
            : [{ field: "API URL", severity: "error", code: "api_url.path", message: "this is your organization's address", fix: `use ${fixed}`, guide_step: null, span: null, replacement: fixed }];
        default:
          return null;
      }
    });
    renderPage();
    fireEvent.click(await screen.findByTestId("account-add"));
    fireEvent.change(screen.getByTestId("account-api_url"), { target: { value: "https://contoso.crm.dynamics.com" } });
    fireEvent.blur(screen.getByTestId("account-api_url"));
    fireEvent.click(await screen.findByTestId("finding-apply"));
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>("account-api_url").value).toBe(fixed));
    await waitFor(() => expect(screen.queryByTestId("finding-apply")).toBeNull());
  });
  it("imports an account whose name exists as a replacement or beside it, as chosen", async () => {
    const clashes: unknown[] = [];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "bp_connections_list":
        case "account_validate":
        case "account_redirect_uris":
          return [];
        case "accounts_list":
          return [PRODUCTION];
        case "account_import_preview":
          return { ...accountView({ id: "", name: "production", default: false }, false).account };
        case "account_import": {
          const { clash } = args as { clash: string };
          clashes.push(clash);
          return accountView({ id: "acct-2", name: clash === "keep_both" ? "production (2)" : "Production", default: false }, false);
        }
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/production.json" };
    renderPage();
    fireEvent.click(await screen.findByTestId("account-import"));
    expect((await screen.findByTestId("import-name-taken")).textContent).toContain("An account named production exists");
    expect(screen.queryByTestId("account-import-confirm")).toBeNull();
    fireEvent.click(screen.getByTestId("account-import-keep-both"));
    expect((await screen.findByTestId("account-status")).textContent).toContain("Imported production (2).");

    fireEvent.click(screen.getByTestId("account-import"));
    fireEvent.click(await screen.findByTestId("account-import-replace"));
    await waitFor(() => expect(clashes).toEqual(["keep_both", "replace"]));
  });
  it("shows one outcome at a time: a later success replaces an error, and either can be dismissed", async () => {
    const demo = accountView({ id: "demo", name: "Demo tenant", simulator: true });
    let stored: AccountView[] = [];
    mockIPC((cmd) => {
      switch (cmd) {
        case "bp_connections_list":
        case "account_validate":
        case "account_redirect_uris":
          return [];
        case "accounts_list":
          return stored;
        case "account_import_preview":
          throw new Error("/exports/notes.json is not an exported Dynbridge account");
        case "demo_start":
          stored = [demo];
          return demo;
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/notes.json" };
    renderPage();
    fireEvent.click(await screen.findByTestId("account-import"));
    expect((await screen.findByTestId("account-status")).textContent).toBe("/exports/notes.json is not an exported Dynbridge account");
    fireEvent.click(screen.getByTestId("account-demo"));
    await waitFor(() => expect(screen.getByTestId("account-status").textContent).toMatch(/^Demo tenant ready/));
    expect(screen.getAllByTestId("account-status")).toHaveLength(1);
    expect(screen.queryByText(/is not an exported Dynbridge account/)).toBeNull();
    fireEvent.click(screen.getByTestId("notice-dismiss"));
    expect(screen.queryByTestId("account-status")).toBeNull();
    delete window.__DYNBRIDGE_TEST__;
  });

  it("clears the form's error once Save succeeds", async () => {
    let saves = 0;
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "bp_connections_list":
        case "account_validate":
        case "account_redirect_uris":
          return [];
        case "accounts_list":
          return [PRODUCTION];
        case "account_save":
          saves += 1;
          if (saves === 1) throw new Error("the keychain is locked");
          return { ...PRODUCTION, account: (args as { account: Account }).account };
        default:
          return null;
      }
    });
    renderPage();
    fireEvent.click(await screen.findByText("Production"));
    fireEvent.click(await screen.findByTestId("account-save"));
    expect((await screen.findByTestId("account-error")).textContent).toBe("the keychain is locked");
    fireEvent.click(screen.getByTestId("account-save"));
    await screen.findByTestId("account-saved");
    expect(screen.queryByTestId("account-error")).toBeNull();
  });

  it("asks before Import or the demo tenant replace unsaved edits, and keeps them through Make default", async () => {
    const staging = accountView({ id: "acct-2", name: "Staging", default: false }, false);
    const demo = accountView({ id: "demo", name: "Demo tenant", default: false, simulator: true });
    let stored = [accountView({ default: false })];
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      switch (cmd) {
        case "bp_connections_list":
        case "account_validate":
        case "account_redirect_uris":
          return [];
        case "accounts_list":
          return stored;
        case "account_set_default":
          return null;
        case "demo_start":
          stored = [...stored.filter((v) => v.account.id !== "demo"), demo];
          return demo;
        case "account_import_preview":
          return staging.account;
        case "account_import":
          stored = [...stored, staging];
          return staging;
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/staging.json" };
    renderPage();
    fireEvent.click(await screen.findByText("Production"));
    const name = () => screen.getByTestId<HTMLInputElement>("account-name");
    await waitFor(() => expect(name().value).toBe("Production"));
    fireEvent.change(name(), { target: { value: "Production (EU)" } });

    // The demo tenant: asked first; keeping the edits keeps the form as it was.
    fireEvent.click(screen.getByTestId("account-demo"));
    expect((await screen.findByTestId("account-discard")).textContent).toContain("Discard your changes to Production?");
    expect(calls).toContain("demo_start");
    fireEvent.click(screen.getByTestId("account-keep-editing"));
    await waitFor(() => expect(screen.queryByTestId("account-discard")).toBeNull());
    expect(name().value).toBe("Production (EU)");

    // Make default refreshes the same account: the edits stay, and still count as unsaved.
    calls.length = 0;
    fireEvent.click(screen.getByText("Make default"));
    await waitFor(() => expect(calls).toContain("accounts_list"));
    expect(name().value).toBe("Production (EU)");

    // An import: asked again; discarding shows the imported account.
    fireEvent.click(screen.getByTestId("account-import"));
    fireEvent.click(await screen.findByTestId("account-import-confirm"));
    fireEvent.click(await screen.findByTestId("account-discard-confirm"));
    await waitFor(() => expect(name().value).toBe("Staging"));
    delete window.__DYNBRIDGE_TEST__;
  });

  it("asks before an import replaces the very account whose unsaved edits the form holds, and replaces nothing if they are kept", async () => {
    const replacement = accountView({ name: "Production", api_url: "https://fabrikam.crm.dynamics.com/api/data/v9.2", client_id: "99999999-8888-4777-8666-555555555555" }, false);
    let stored = [accountView({ api_url: "https://contoso.crm.dynamics.com/api/data/v9.2" })];
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      switch (cmd) {
        case "bp_connections_list":
        case "account_validate":
        case "account_redirect_uris":
          return [];
        case "accounts_list":
          return stored;
        case "account_import_preview":
          return { ...replacement.account, id: "", name: "production" };
        case "account_import":
          // Replaced in place: the same id, the file's fields.
          stored = [replacement];
          return replacement;
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { pickFile: "/exports/production.json" };
    renderPage();
    fireEvent.click(await screen.findByText("Production"));
    const clientId = () => screen.getByTestId<HTMLInputElement>("account-client_id");
    const apiUrl = () => screen.getByTestId<HTMLInputElement>("account-api_url");
    await waitFor(() => expect(apiUrl().value).toBe("https://contoso.crm.dynamics.com/api/data/v9.2"));
    fireEvent.change(clientId(), { target: { value: "11111111-2222-4333-8444-555555555555" } });

    // Replace: asked before anything is replaced; keeping the edits imports nothing.
    fireEvent.click(screen.getByTestId("account-import"));
    fireEvent.click(await screen.findByTestId("account-import-replace"));
    expect((await screen.findByTestId("account-discard")).textContent).toContain("Discard your changes to Production?");
    fireEvent.click(screen.getByTestId("account-keep-editing"));
    await waitFor(() => expect(screen.queryByTestId("account-discard")).toBeNull());
    expect(screen.getByTestId("account-status").textContent).toBe("Nothing was imported: Production and your unsaved edits to it are as they were.");
    expect(calls.some((c) => c.cmd === "account_import")).toBe(false);
    expect(clientId().value).toBe("11111111-2222-4333-8444-555555555555");

    // Asked again and discarded: the form shows the replacing account, none of the edits.
    fireEvent.click(screen.getByTestId("account-import"));
    fireEvent.click(await screen.findByTestId("account-import-replace"));
    fireEvent.click(await screen.findByTestId("account-discard-confirm"));
    await waitFor(() => expect(apiUrl().value).toBe("https://fabrikam.crm.dynamics.com/api/data/v9.2"));
    expect(clientId().value).toBe("99999999-8888-4777-8666-555555555555");
    expect(calls.filter((c) => c.cmd === "account_import").map((c) => c.args)).toEqual([{ path: "/exports/production.json", clash: "replace" }]);
    expect((await screen.findByTestId("account-status")).textContent).toContain("Imported Production.");
    // Nothing unsaved is left: another account opens without the question.
    fireEvent.click(screen.getByTestId("account-add"));
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>("account-name").value).toBe(""));
    expect(screen.queryByTestId("account-discard")).toBeNull();
    delete window.__DYNBRIDGE_TEST__;
  });

  it("drops the edits when Discard is chosen for the account already shown", async () => {
    mockIPC((cmd) => {
      switch (cmd) {
        case "bp_connections_list":
        case "account_validate":
        case "account_redirect_uris":
          return [];
        case "accounts_list":
          return [PRODUCTION];
        default:
          return null;
      }
    });
    renderPage();
    fireEvent.click(await screen.findByText("Production"));
    const name = () => screen.getByTestId<HTMLInputElement>("account-name");
    await waitFor(() => expect(name().value).toBe("Production"));
    fireEvent.change(name(), { target: { value: "Production (EU)" } });
    fireEvent.click(screen.getByRole("button", { name: "Production" }));
    fireEvent.click(await screen.findByTestId("account-discard-confirm"));
    await waitFor(() => expect(name().value).toBe("Production"));
  });

  it("shows the account as Make default stored it, keeping the form's unsaved edits", async () => {
    let stored = [accountView({ default: false }), accountView({ id: "acct-2", name: "Staging", default: true })];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "bp_connections_list":
        case "account_validate":
        case "account_redirect_uris":
          return [];
        case "accounts_list":
          return stored;
        case "account_set_default": {
          const { id } = args as { id: string };
          stored = stored.map((v) => ({ ...v, account: { ...v.account, default: v.account.id === id } }));
          return null;
        }
        default:
          return null;
      }
    });
    renderPage();
    fireEvent.click(await screen.findByText("Production"));
    const name = () => screen.getByTestId<HTMLInputElement>("account-name");
    const byDefault = () => screen.getByLabelText<HTMLInputElement>("Use this account by default");
    await waitFor(() => expect(name().value).toBe("Production"));
    expect(byDefault().checked).toBe(false);
    fireEvent.change(name(), { target: { value: "Production (EU)" } });
    fireEvent.change(screen.getByTestId("account-client_id"), { target: { value: "11111111-2222-3333-4444-555555555555" } });

    fireEvent.click(screen.getByText("Make default"));
    await waitFor(() => expect(byDefault().checked).toBe(true));
    expect(name().value).toBe("Production (EU)");
    expect(screen.getByTestId<HTMLInputElement>("account-client_id").value).toBe("11111111-2222-3333-4444-555555555555");
    expect(screen.getByText("Make default").closest("button")?.disabled).toBe(true);
    // The edits are still unsaved: another account asks first.
    fireEvent.click(screen.getByText("Staging"));
    expect((await screen.findByTestId("account-discard")).textContent).toContain("Discard your changes to Production?");
  });

  it("links the guide step of the redirect URI to register for Bright Pattern, below its plain label", async () => {
    const callback = "https://example.brightpattern.com/admin/msdynamicscallback.html";
    mockIPC((cmd) => {
      switch (cmd) {
        case "accounts_list":
          return [PRODUCTION];
        case "account_redirect_uris":
          return [callback, "http://localhost/dynbridge/callback"];
        case "bp_connections_list":
        case "account_validate":
          return [];
        default:
          return null;
      }
    });
    window.__DYNBRIDGE_TEST__ = { opened: [] };
    renderPage();
    fireEvent.click(await screen.findByText("Production"));
    expect(await screen.findByRole("button", { name: "Copy Redirect URI for Bright Pattern" })).toBeTruthy();
    expect(screen.getByDisplayValue(callback)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Section A, step 1.4" }));
    await waitFor(() =>
      expect(window.__DYNBRIDGE_TEST__?.opened).toEqual([
        "https://help.brightpattern.com/5.8:Microsoft-dynamics-365-integration-guide/Configuration/EnableScenariosAccessDynamics365#Step_1:_Add_a_new_registered_app",
      ]),
    );
    delete window.__DYNBRIDGE_TEST__;
  });

  it("puts the account's actions in a command bar above its fields", async () => {
    mockIPC((cmd) => {
      switch (cmd) {
        case "accounts_list":
          return [PRODUCTION];
        case "bp_connections_list":
        case "account_validate":
        case "account_redirect_uris":
          return [];
        default:
          return null;
      }
    });
    renderPage();
    fireEvent.click(await screen.findByText("Production"));
    const bar = await screen.findByRole("toolbar", { name: "Account actions" });
    expect([...bar.querySelectorAll("button")].map((b) => b.textContent)).toEqual(["Save", "Make default", "Export…", "Remove"]);
    const firstField = screen.getByTestId("account-name");
    expect(bar.compareDocumentPosition(firstField) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
