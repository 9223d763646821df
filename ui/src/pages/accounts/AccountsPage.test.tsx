import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Account, AccountView } from "../../api";
import { AccountsPage } from "./AccountsPage";

describe("Accounts page", () => {
  it("shows findings as the form is typed and saves the secret without getting it back", async () => {
    const saved: { account: Account; secret: string | null }[] = [];
    let stored: AccountView[] = [];
    mockIPC((cmd, args) => {
      const a = args as { account: Account; secret: string | null };
      switch (cmd) {
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
    render(
      <FluentProvider theme={webLightTheme}>
        <AccountsPage />
      </FluentProvider>,
    );
    fireEvent.click(screen.getByTestId("account-add"));
    fireEvent.change(screen.getByTestId("account-name"), { target: { value: "Production" } });
    fireEvent.change(screen.getByTestId("account-secret"), { target: { value: "aaaaaaaa-2222-3333-4444-555555555555" } });
    expect((await screen.findAllByText(/looks like the Secret ID/)).length).toBeGreaterThan(0);
    fireEvent.change(screen.getByTestId("account-secret"), { target: { value: "the~Value" } });
    fireEvent.click(screen.getByTestId("account-save"));
    expect((await screen.findByTestId("account-status")).textContent).toContain("the client secret is in the keychain");
    expect(saved[0]?.secret).toBe("the~Value");
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>("account-secret").value).toBe(""));
    expect(screen.getByText("Stored in the keychain; type to replace it")).toBeTruthy();
  });
});
