// Whether the page a component is on is the one shown. Pages stay mounted (hidden) once
// opened, so what reaches the whole window (a file dropped on it) is for the shown one
// only. A page rendered alone, as in tests, is the shown one.
import { createContext } from "react";

export const PageActiveContext = createContext(true);
