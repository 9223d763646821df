// Shared by the Vitest suites: an integration account as the Rust side lists it, and
// rendering inside the Fluent provider with the app's Toaster, as the app does.
import type { ReactElement, ReactNode } from "react";
import { render } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { AccountView } from "./api";
import { NEW_ACCOUNT } from "./pages/accounts/AccountsPage";
import { AppToaster } from "./shell/toasts";

/** A saved, signed-in account; `overrides` change its fields. */
export function accountView(overrides: Partial<AccountView["account"]> = {}, stored = true): AccountView {
  return {
    account: { ...NEW_ACCOUNT, id: "acct-1", name: "Production", default: true, tenant: "example", ...overrides },
    findings: [],
    has_secret: stored,
    has_refresh_token: stored,
    redirect_uris: [],
  };
}

function InFluent({ children }: { children: ReactNode }) {
  return (
    <FluentProvider theme={webLightTheme}>
      {children}
      <AppToaster />
    </FluentProvider>
  );
}

/** Renders `ui` in the app's provider and Toaster; `rerender` keeps them (and `ui`'s state). */
export function renderInFluent(ui: ReactElement) {
  return render(ui, { wrapper: InFluent });
}
