// What one page learns that the others use, for the app session: the accounts and the
// Bright Pattern connections (the Accounts page changes them; the pickers list them), the Dynamics URL last
// typed (Channel provider, Screen pop) and when the channel provider was last pushed
// (the Doctor's last run may predate it). A tiny store React reads through
// useSyncExternalStore.
import { useSyncExternalStore } from "react";
import type { AccountView, ConnectionView } from "../api";

export interface Shared {
  accounts: AccountView[];
  bpConnections: ConnectionView[];
  /** The Dynamics URL the user last typed on any page. */
  org: string;
  /** When the channel provider was last created or updated (ms since the epoch). */
  providerPushedAt: number | null;
}

let state: Shared = { accounts: [], bpConnections: [], org: "", providerPushedAt: null };
const listeners = new Set<() => void>();

/** Changes what the pages share and tells every page reading it. */
export function share(change: Partial<Shared>): void {
  state = { ...state, ...change };
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** What the pages share, re-read whenever it changes. */
export function useShared(): Shared {
  return useSyncExternalStore(subscribe, () => state);
}
