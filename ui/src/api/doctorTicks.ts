// The Doctor's manual steps ticked off per account, remembered by the Rust side
// (dynbridge-store's doctor-ticks.json).
import { invoke } from "@tauri-apps/api/core";

export const doctorTicks = {
  load: (account: string) => invoke<string[]>("doctor_ticks_load", { account }),
  save: (account: string, steps: readonly string[]) => invoke<null>("doctor_ticks_save", { account, steps }),
};
