// Moving between pages, optionally handing something over (the Lists page hands its
// imported list and Screenpop URL to the Screen pop page).
import { createContext, useContext } from "react";
import type { PageId } from "../pages";
import type { TableSummary } from "../api";

export interface Handoff {
  /** A list already loaded on the Rust side for the Screen pop page. */
  list?: TableSummary;
  screenpop?: string;
}

export interface Navigation {
  navigate: (page: PageId, handoff?: Handoff) => void;
  handoff: Handoff | null;
}

export const NavigationContext = createContext<Navigation>({ navigate: () => {}, handoff: null });

export const useNavigation = () => useContext(NavigationContext);
