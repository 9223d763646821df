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
function Harness({ initial, ready, pushed }: { initial: ChannelInputs; ready: boolean; pushed: ChannelInputs[] }) {
  const [inputs, setInputs] = useState(initial);
  const [choices, setChoices] = useState<OrgChoices | null>(null);
  mockIPC((cmd, args) => {
    switch (cmd) {
      case "accounts_list":
        return [ACCOUNT];
      case "channel_choices":
        return { apps: [{ id: "app-1", name: "Customer Service Hub" }, { id: "app-2", name: "Sales Hub" }], roles: [{ id: "role-1", name: "CSR Agent" }] };
      case "channel_push":
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

  it("finds apps by name and keeps the chosen ones in view", async () => {
    renderInFluent(<Harness initial={{ ...INPUTS, apps: ["app-1"] }} ready pushed={[]} />);
    // Before the org's list is loaded, the IDs are text.
    expect(screen.getAllByRole("textbox")[0]?.textContent).toBe("app-1");
    fireEvent.click(await screen.findByTestId("channel-choices"));
    const search = await screen.findByRole("searchbox", { name: "Search apps" });
    fireEvent.change(search, { target: { value: "sales" } });
    expect(screen.getByRole("checkbox", { name: "Sales Hub" })).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>("checkbox", { name: "Customer Service Hub" }).checked).toBe(true);
    fireEvent.change(search, { target: { value: "marketing" } });
    expect(screen.queryByRole("checkbox", { name: "Sales Hub" })).toBeNull();
  });

  it("cannot push while the form has errors", async () => {
    renderInFluent(<Harness initial={INPUTS} ready={false} pushed={[]} />);
    expect((await screen.findByTestId("channel-push")).hasAttribute("disabled")).toBe(true);
  });
});
