import { describe, expect, it } from "vitest";
import { screen } from "@testing-library/react";
import { renderInFluent } from "../test-fixtures";
import { GuideText } from "./GuideReference";

describe("GuideText", () => {
  it("links the guide step a hint mentions and keeps the rest as text", () => {
    renderInFluent(<GuideText text="OAuth 2.0 authorization endpoint (v1), from Endpoints (Section A, step 5)" />);
    const link = screen.getByTestId("guide-link");
    expect(link.textContent).toBe("Section A, step 5");
    expect(link.getAttribute("title")).toMatch(/EnableScenariosAccessDynamics365#Step_5:/);
    expect(link.parentElement?.textContent).toBe("OAuth 2.0 authorization endpoint (v1), from Endpoints (Section A, step 5)");
  });

  it("leaves text without a reference as it is", () => {
    renderInFluent(<GuideText text="Unique; as in Bright Pattern's Integration Accounts" />);
    expect(screen.queryByTestId("guide-link")).toBeNull();
    expect(screen.getByText("Unique; as in Bright Pattern's Integration Accounts")).toBeTruthy();
  });
});
