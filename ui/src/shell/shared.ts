// What one page learns that the others use, for the app session: the accounts and the
// Bright Pattern connections (the Accounts page changes them; the pickers list them), the Dynamics URL last
// typed (Channel provider, Screen pop), the Channel provider page's form (the Doctor checks
// the org for it) and when the channel provider was last pushed (the Doctor's last run may
// predate it). A tiny store React reads through
// useSyncExternalStore.
import { useSyncExternalStore } from "react";
import type { AccountView, ChannelInputs, ConnectionView } from "../api";

export interface Shared {
  accounts: AccountView[];
  bpConnections: ConnectionView[];
  /** The Dynamics URL the user last typed on any page. */
  org: string;
  /** The Channel provider page's form as it stands; null until that page has loaded it. */
  channel: ChannelInputs | null;
  /** When the channel provider was last created or updated (ms since the epoch). */
  providerPushedAt: number | null;
}

let state: Shared = { accounts: [], bpConnections: [], org: "", channel: null, providerPushedAt: null };
const listeners = new Set<() => void>();

/** Changes what the pages share (given the change, or how to make it from what is shared)
 * and tells every page reading it. */
export function share(change: Partial<Shared> | ((shared: Shared) => Partial<Shared>)): void {
  state = { ...state, ...(typeof change === "function" ? change(state) : change) };
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
