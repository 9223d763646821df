import { describe, expect, it } from "vitest";
import { act, render, screen } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { PageActiveContext } from "./pageActive";
import { useFileDrop } from "./useFileDrop";

/** A page that lists the files dropped on it and says when one is dragged over it. */
function Page({ name, dropped }: { name: string; dropped: string[] }) {
  const dragging = useFileDrop((path) => dropped.push(path));
  return <p data-testid={name}>{dragging ? "dragging" : "idle"}</p>;
}

describe("files dropped on the window", () => {
  it("reach the page shown, not the pages kept hidden", async () => {
    mockWindows("main");
    mockIPC(() => null, { shouldMockEvents: true });
    const shown: string[] = [];
    const hidden: string[] = [];
    render(
      <>
        <PageActiveContext.Provider value={false}>
          <Page name="lists" dropped={hidden} />
        </PageActiveContext.Provider>
        <PageActiveContext.Provider value>
          <Page name="screenpop" dropped={shown} />
        </PageActiveContext.Provider>
      </>,
    );
    // The pages listen once their effects ran (mocked IPC answers in microtasks).
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    await act(() => emit("tauri://drag-enter", { paths: ["/lists/a.csv"], position: { x: 1, y: 1 } }));
    expect(screen.getByTestId("screenpop").textContent).toBe("dragging");
    expect(screen.getByTestId("lists").textContent).toBe("idle");
    await act(() => emit("tauri://drag-drop", { paths: ["/lists/a.csv", "/lists/b.csv"], position: { x: 1, y: 1 } }));
    expect(shown).toEqual(["/lists/a.csv"]);
    expect(hidden).toEqual([]);
    expect(screen.getByTestId("screenpop").textContent).toBe("idle");
  });
});
