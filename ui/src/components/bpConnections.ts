// The Bright Pattern connections the whole app shares: the Accounts page changes them,
// the Lists page's Send to Bright Pattern offers them at once.
import { useEffect } from "react";
import { brightPattern, type ConnectionView } from "../api";
import { share, useShared } from "../shell/shared";

/** Reads the connections again (after a change) for every page. */
export function reloadBpConnections(): Promise<ConnectionView[]> {
  return brightPattern.connections().then((views) => {
    share({ bpConnections: views });
    return views;
  });
}

/** The connections, read once when the page mounts and shared after every change. */
export function useBpConnections(onError?: (error: unknown) => void): ConnectionView[] {
  const { bpConnections } = useShared();
  useEffect(() => {
    reloadBpConnections().catch((e: unknown) => onError?.(e));
    // Read once; `onError` is a new closure each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return bpConnections;
}
