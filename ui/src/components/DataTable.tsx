// Tables that fit the window: fixed column widths shared out over the page's width
// (wider tables scroll sideways, never squeeze), each cell on one line, cut with an
// ellipsis, its full value shown on hover. Nothing overlaps, whatever the values.
import type { ReactNode } from "react";
import { Table, TableCell, makeStyles, mergeClasses } from "@fluentui/react-components";

const useStyles = makeStyles({
  frame: { overflowX: "auto", maxWidth: "100%" },
  table: { tableLayout: "fixed", width: "100%" },
  cell: { overflow: "hidden" },
  text: { display: "block", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
});

/** A Fluent table of fixed layout, at least `minWidth` px wide (else scrolling sideways). */
export function FitTable({
  label,
  minWidth,
  children,
  testId,
}: {
  label: string;
  minWidth?: number;
  children: ReactNode;
  testId?: string;
}) {
  const styles = useStyles();
  return (
    <div className={styles.frame}>
      <Table size="small" aria-label={label} className={styles.table} style={minWidth ? { minWidth } : undefined} data-testid={testId}>
        {children}
      </Table>
    </div>
  );
}

/** A cell holding `text` on one line, cut to its column, the whole text on hover. */
export function TextCell({ text, className }: { text: string; className?: string }) {
  const styles = useStyles();
  return (
    <TableCell className={mergeClasses(styles.cell, className)}>
      <span className={styles.text} title={text}>
        {text}
      </span>
    </TableCell>
  );
}

/** A cell whose content (buttons, badges) stays on one line, cut to its column. */
export function OneLineCell({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return (
    <TableCell className={styles.cell}>
      <span className={styles.text}>{children}</span>
    </TableCell>
  );
}
