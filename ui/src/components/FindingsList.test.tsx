import { describe, expect, it } from "vitest";
import { useState } from "react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Field, FluentProvider, Input, webLightTheme } from "@fluentui/react-components";
import type { Finding } from "../api";
import { FindingsList, fieldValidation } from "./FindingsList";

const finding: Finding = {
  field: "API URL",
  severity: "error",
  code: "api_url.path",
  message: "this is your organization's address; the API URL adds /api/data/v9.0 to it",
  fix: "use https://contoso.crm.dynamics.com/api/data/v9.0",
  guide_step: null,
  span: null,
  replacement: "https://contoso.crm.dynamics.com/api/data/v9.0",
};

function Form() {
  const [value, setValue] = useState("https://contoso.crm.dynamics.com");
  const findings = value === finding.replacement ? [] : [finding];
  return (
    <>
      <Field label="API URL" {...fieldValidation(findings, "API URL", true, setValue)}>
        <Input value={value} onChange={(_, d) => setValue(d.value)} data-testid="api-url" />
      </Field>
      <FindingsList findings={findings} label="Findings" onApply={setValue} />
    </>
  );
}

describe("a finding with a corrected value", () => {
  it("offers Apply beside the field and in the list, which sets the field", () => {
    render(
      <FluentProvider theme={webLightTheme}>
        <Form />
      </FluentProvider>,
    );
    expect(screen.getAllByTestId("finding-apply")).toHaveLength(2);
    const [apply] = screen.getAllByTestId("finding-apply");
    if (apply) fireEvent.click(apply);
    expect(screen.getByTestId<HTMLInputElement>("api-url").value).toBe(finding.replacement);
    expect(screen.queryByTestId("finding-apply")).toBeNull();
  });

  it("offers nothing where the field cannot be set", () => {
    render(
      <FluentProvider theme={webLightTheme}>
        <FindingsList findings={[finding]} label="Findings" />
      </FluentProvider>,
    );
    expect(screen.queryByTestId("finding-apply")).toBeNull();
  });
});

describe("a finding's guide step", () => {
  it("is a link that opens that step of Bright Pattern's guide, or text where the guide has none", async () => {
    window.__DYNBRIDGE_TEST__ = { opened: [] };
    render(
      <FluentProvider theme={webLightTheme}>
        <FindingsList
          findings={[
            { ...finding, guide_step: "Section A, step 1.4" },
            { ...finding, code: "sso.off", guide_step: "Enable Single Sign-On" },
          ]}
          label="Findings"
        />
      </FluentProvider>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Section A, step 1.4" }));
    await waitFor(() =>
      expect(window.__DYNBRIDGE_TEST__?.opened).toEqual([
        "https://help.brightpattern.com/5.8:Microsoft-dynamics-365-integration-guide/Configuration/EnableScenariosAccessDynamics365#Step_1:_Add_a_new_registered_app",
      ]),
    );
    expect(screen.getByText("Guide: Enable Single Sign-On")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Enable Single Sign-On" })).toBeNull();
  });
});
