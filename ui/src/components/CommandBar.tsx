// A page's command bar, as in the Power Platform admin center: its main actions in one
// Fluent Toolbar at the top of its work area, not at the bottom of a long form. Panels
// further down (the ones holding an action's state, progress and result) put their
// actions in it with <Commands>, a group at a time, in the order their `order` says.
import { createContext, useContext, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { Toolbar, ToolbarGroup, makeStyles, tokens } from "@fluentui/react-components";

const useStyles = makeStyles({
  bar: { flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS, paddingInline: 0 },
  group: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
});

/** The bar's element, once rendered, for the panels below it. */
const Bar = createContext<HTMLElement | null>(null);

export function CommandBar({
  label,
  testId,
  actions,
  children,
}: {
  /** What the actions act on, e.g. "Account actions", for assistive technology. */
  label: string;
  testId?: string;
  /** The bar's own actions, first. */
  actions?: ReactNode;
  /** The work area below the bar, whose panels may add theirs with <Commands>. */
  children?: ReactNode;
}) {
  const styles = useStyles();
  const [bar, setBar] = useState<HTMLDivElement | null>(null);
  return (
    <>
      <Toolbar ref={setBar} aria-label={label} className={styles.bar} data-testid={testId}>
        {actions}
      </Toolbar>
      <Bar.Provider value={bar}>{children}</Bar.Provider>
    </>
  );
}

/** A panel's actions, shown as one group in the command bar above it, after the groups of lower `order`. */
export function Commands({ order, children }: { order: number; children: ReactNode }) {
  const styles = useStyles();
  const bar = useContext(Bar);
  if (!bar) return null;
  return createPortal(
    <ToolbarGroup className={styles.group} style={{ order }}>
      {children}
    </ToolbarGroup>,
    bar,
  );
}
