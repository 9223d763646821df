// The UI's only door to the Rust side: typed wrappers over Tauri commands. Types come
// from ./bindings, generated from the Rust types by ts-rs.
import { invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";

export type { AppInfo };

/** Version, profile directory and keychain backend. */
export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>("app_info");
}

/** A command's error as a message to show (commands reject with a plain string). */
export function errorMessage(error: unknown): string {
  if (typeof error === "string") return error;
  if (error instanceof Error) return error.message;
  return JSON.stringify(error);
}
