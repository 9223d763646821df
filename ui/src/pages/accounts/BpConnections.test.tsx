import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Connection, ConnectionView } from "../../api";
import { renderInFluent } from "../../test-fixtures";
import { BpConnections } from "./BpConnections";

describe("Bright Pattern connections", () => {
  it("adds a connection with its secret once, tests it in plain words and removes it after asking", async () => {
    let stored: ConnectionView[] = [];
    const added: { connection: Connection; secret: string }[] = [];
    const removed: string[] = [];
    mockIPC((cmd, args) => {
      const a = args as Record<string, unknown>;
      switch (cmd) {
        case "bp_connections_list":
          return stored;
        case "bp_connection_validate": {
          const c = a.connection as Connection;
          return c.name ? [] : [{ field: "Name", severity: "error", code: "bp.name_missing", message: "enter a name", fix: null, guide_step: null, span: null }];
        }
        case "bp_connection_add": {
          added.push(a as { connection: Connection; secret: string });
          const view = { connection: { ...(a.connection as Connection), id: "bp-1" }, findings: [], has_secret: true };
          stored = [view];
          return view;
        }
        case "bp_connection_test":
          return { message: "Connected: the login ID and API secret work." };
        case "bp_connection_remove":
          removed.push(a.id as string);
          stored = [];
          return null;
        default:
          return null;
      }
    });
    renderInFluent(<BpConnections />);
    fireEvent.click(await screen.findByTestId("bp-add"));
    fireEvent.click(screen.getByTestId("bp-save"));
    await screen.findByText("Enter a name.");
    expect(added).toEqual([]);
    fireEvent.change(screen.getByTestId("bp-name"), { target: { value: "Production" } });
    fireEvent.change(screen.getByTestId("bp-url"), { target: { value: "https://example.brightpattern.com" } });
    fireEvent.change(screen.getByTestId("bp-login"), { target: { value: "api.user" } });
    fireEvent.change(screen.getByTestId("bp-secret"), { target: { value: "s3cret" } });
    await waitFor(() => expect(screen.queryByText("Enter a name.")).toBeNull());
    fireEvent.click(screen.getByTestId("bp-save"));
    await screen.findByTestId("bp-connection");
    expect(added[0]).toEqual({
      connection: { id: "", name: "Production", url: "https://example.brightpattern.com", login: "api.user", simulator: false },
      secret: "s3cret",
    });
    expect(document.body.textContent).not.toContain("s3cret");
    // A row's buttons are of one size (their classes differ by size only).
    expect(screen.getByTestId("bp-remove").className).toBe(screen.getByTestId("bp-test").className);
    fireEvent.click(screen.getByTestId("bp-test"));
    await waitFor(() => expect(screen.getByTestId("bp-status").textContent).toBe("Production: Connected: the login ID and API secret work."));
    fireEvent.click(screen.getByTestId("bp-remove"));
    expect(removed).toEqual([]);
    fireEvent.click(await screen.findByTestId("bp-remove-confirm"));
    await waitFor(() => expect(screen.queryByTestId("bp-connection")).toBeNull());
    expect(removed).toEqual(["bp-1"]);
  });

  it("shows each error in a bar that can be dismissed, and a later success in its place", async () => {
    const view: ConnectionView = {
      connection: { id: "bp-1", name: "Production", url: "https://example.brightpattern.com", login: "api.user", simulator: false },
      findings: [],
      has_secret: true,
    };
    let tests = 0;
    mockIPC((cmd) => {
      switch (cmd) {
        case "bp_connections_list":
          return [view];
        case "bp_connection_validate":
          return [];
        case "bp_connection_add":
          throw new Error("a connection named Production exists");
        case "bp_connection_test":
          tests += 1;
          if (tests === 1) throw new Error("Bright Pattern refused the login ID or API secret");
          return { message: "Connected: the login ID and API secret work." };
        default:
          return null;
      }
    });
    renderInFluent(<BpConnections />);
    fireEvent.click(await screen.findByTestId("bp-test"));
    expect((await screen.findByTestId("bp-status")).textContent).toBe("Bright Pattern refused the login ID or API secret");
    await waitFor(() => expect(screen.getByTestId("bp-test").hasAttribute("disabled")).toBe(false));
    fireEvent.click(screen.getByTestId("bp-test"));
    await waitFor(() => expect(screen.getByTestId("bp-status").textContent).toBe("Production: Connected: the login ID and API secret work."));
    expect(document.querySelectorAll(".fui-MessageBar")).toHaveLength(1);
    fireEvent.click(screen.getByTestId("notice-dismiss"));
    expect(screen.queryByTestId("bp-status")).toBeNull();

    fireEvent.click(screen.getByTestId("bp-add"));
    fireEvent.change(screen.getByTestId("bp-name"), { target: { value: "Production" } });
    fireEvent.change(screen.getByTestId("bp-secret"), { target: { value: "s3cret" } });
    fireEvent.click(screen.getByTestId("bp-save"));
    expect((await screen.findByTestId("bp-error")).textContent).toBe("a connection named Production exists");
    fireEvent.click(screen.getByTestId("notice-dismiss"));
    expect(screen.queryByTestId("bp-error")).toBeNull();
  });
});
