import { afterEach, describe, expect, it, vi } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";
import { pickFile, pickSavePath } from ".";

const CSV = { name: "CSV", extensions: ["csv"] };

function recordCalls() {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    return cmd.endsWith("_dialog") ? "/chosen/list.csv" : null;
  });
  return calls;
}

describe("file dialogs", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("are shown by Rust, which returns the chosen path", async () => {
    const calls = recordCalls();
    expect(await pickFile(CSV)).toBe("/chosen/list.csv");
    expect(await pickSavePath("list.csv", CSV)).toBe("/chosen/list.csv");
    expect(calls).toEqual([
      { cmd: "file_open_dialog", args: { filter: CSV } },
      { cmd: "file_save_dialog", args: { fileName: "list.csv", filter: CSV } },
    ]);
  });

  it("answer from the test hooks, recorded as chosen in the e2e bundle", async () => {
    const calls = recordCalls();
    window.__DYNBRIDGE_TEST__ = { pickFile: "/e2e/in.csv", saveFile: "/e2e/out.csv" };
    expect(await pickFile(CSV)).toBe("/e2e/in.csv");
    expect(calls).toEqual([]);
    vi.stubEnv("MODE", "e2e");
    expect(await pickFile(CSV)).toBe("/e2e/in.csv");
    expect(await pickSavePath("list.csv", CSV)).toBe("/e2e/out.csv");
    expect(calls).toEqual([
      { cmd: "e2e_choose_file", args: { path: "/e2e/in.csv", write: false } },
      { cmd: "e2e_choose_file", args: { path: "/e2e/out.csv", write: true } },
    ]);
  });
});
