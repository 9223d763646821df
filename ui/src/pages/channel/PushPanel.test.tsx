import { describe, expect, it } from "vitest";
import { useState } from "react";
import { fireEvent, screen } from "@testing-library/react";
import { Field } from "@fluentui/react-components";
import { mockIPC } from "@tauri-apps/api/mocks";
import { CommandBar } from "../../components/CommandBar";
import { accountView, renderInFluent } from "../../test-fixtures";
import type { ChannelInputs, OrgChoices } from "../../api";
import { DEFAULTS } from "./ChannelPage";
import { NamePicker } from "./NamePicker";
import { PushPanel } from "./PushPanel";

const ACCOUNT = accountView();

/** The panel with its inputs and the form's pickers, held as the Channel provider page holds them. */
function Harness({
  initial,
  ready,
  pushed,
  calls = [],
  hang = false,
}: {
  initial: ChannelInputs;
  ready: boolean;
  pushed: ChannelInputs[];
  /** Every command called, in order. */
  calls?: string[];
  /** The push waits for a Dynamics that does not answer. */
  hang?: boolean;
}) {
  const [inputs, setInputs] = useState(initial);
  const [choices, setChoices] = useState<OrgChoices | null>(null);
  mockIPC((cmd, args) => {
    calls.push(cmd);
    switch (cmd) {
      case "accounts_list":
        return [ACCOUNT];
      case "channel_choices":
        return { apps: [{ id: "app-1", name: "Customer Service Hub" }, { id: "app-2", name: "Sales Hub" }], roles: [{ id: "role-1", name: "CSR Agent" }] };
      case "channel_push":
        if (hang) return new Promise(() => {});
        pushed.push((args as { inputs: ChannelInputs }).inputs);
        return {
          created: false,
          id: "prov-1",
          changes: [
            { column: "msdyn_label", before: "Old", after: "Bright Pattern" },
            { column: "msdyn_ciproviderapiversion", before: "1", after: "0" },
            { column: "msdyn_appselector", before: "null", after: "app-2" },
          ],
        };
      default:
        return null;
    }
  });
  return (
    <CommandBar label="Channel provider actions">
      <Field label="Unified Interface apps">
        <NamePicker what="apps" choices={choices?.apps ?? null} ids={inputs.apps} onChange={(apps) => setInputs({ ...inputs, apps })} />
      </Field>
      <Field label="Roles">
        <NamePicker what="roles" choices={choices?.roles ?? null} ids={inputs.roles} onChange={(roles) => setInputs({ ...inputs, roles })} />
      </Field>
      <PushPanel inputs={inputs} ready={ready} onChoices={setChoices} />
    </CommandBar>
  );
}

const INPUTS: ChannelInputs = { ...DEFAULTS, tenant: "example", org: "https://contoso.crm.dynamics.com" };

describe("Push panel", () => {
  it("pushes the chosen apps and roles and says what changed", async () => {
    const pushed: ChannelInputs[] = [];
    renderInFluent(<Harness initial={INPUTS} ready pushed={pushed} />);
    fireEvent.click(await screen.findByTestId("channel-choices"));
    // Clicking the names (their labels), as an admin does, inside the form's fields.
    fireEvent.click(await screen.findByText("Sales Hub"));
    fireEvent.click(screen.getByText("CSR Agent"));
    fireEvent.click(screen.getByTestId("channel-push"));
    const result = await screen.findByTestId("channel-push-result");
    // The form's labels and values: no column names, the API version as the form shows it.
    expect([...result.querySelectorAll("li")].map((li) => li.textContent)).toEqual([
      "Label: Old \u2192 Bright Pattern",
      "API Version: 2.0 \u2192 1.0",
      "Unified Interface apps: empty \u2192 1 app",
    ]);
    expect(result.textContent).toContain("Updated the channel provider \u201cBright Pattern\u201d in Dynamics.");
    expect(result.textContent).not.toMatch(/msdyn_|prov-1/);
    expect(pushed[0]).toEqual({ ...INPUTS, apps: ["app-2"], roles: ["role-1"] });
  });

  it("shows apps chosen before by name, reading the org's as soon as an account is chosen", async () => {
    const calls: string[] = [];
    renderInFluent(<Harness initial={{ ...INPUTS, apps: ["app-1"] }} ready pushed={[]} calls={calls} />);
    // No click on Load apps and roles: the saved ID shows as its app's name.
    expect((await screen.findByRole<HTMLInputElement>("checkbox", { name: "Customer Service Hub" })).checked).toBe(true);
    expect(calls.filter((cmd) => cmd === "channel_choices")).toHaveLength(1);
    const search = await screen.findByRole("searchbox", { name: "Search apps" });
    fireEvent.change(search, { target: { value: "sales" } });
    expect(screen.getByRole("checkbox", { name: "Sales Hub" })).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>("checkbox", { name: "Customer Service Hub" }).checked).toBe(true);
    fireEvent.change(search, { target: { value: "marketing" } });
    expect(screen.queryByRole("checkbox", { name: "Sales Hub" })).toBeNull();
  });

  it("shows a push under way, refuses a second one, and says what a cancelled push may have done", async () => {
    const calls: string[] = [];
    renderInFluent(<Harness initial={INPUTS} ready pushed={[]} calls={calls} hang />);
    fireEvent.click(await screen.findByTestId("channel-push"));
    expect(await screen.findByText("Creating or updating the channel provider in Dynamics…")).toBeTruthy();
    expect(screen.getByTestId<HTMLButtonElement>("channel-push").disabled).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>("channel-choices").disabled).toBe(true);
    fireEvent.click(screen.getByTestId("channel-online-cancel"));
    expect((await screen.findByTestId("channel-push-error")).textContent).toMatch(/may have been created or updated: push again/);
    expect(screen.getByTestId<HTMLButtonElement>("channel-push").disabled).toBe(false);
    expect(calls).toContain("job_cancel");
  });

  it("says to add an integration account on the Accounts page first while there is none", async () => {
    mockIPC((cmd) => (cmd === "accounts_list" ? [] : null));
    renderInFluent(
      <CommandBar label="Channel provider actions">
        <PushPanel inputs={INPUTS} ready onChoices={() => {}} />
      </CommandBar>,
    );
    expect((await screen.findByTestId("add-account-first")).textContent).toBe(
      "Add an integration account on the Accounts page first: Dynbridge reads the org's apps and roles and pushes the channel provider with its token.",
    );
    expect(screen.getByRole("heading", { name: "Push to Dynamics" })).toBeTruthy();
    expect(screen.queryByTestId("channel-push")).toBeNull();
  });

  it("cannot push while the form has errors", async () => {
    renderInFluent(<Harness initial={INPUTS} ready={false} pushed={[]} />);
    expect((await screen.findByTestId("channel-push")).hasAttribute("disabled")).toBe(true);
  });
});
