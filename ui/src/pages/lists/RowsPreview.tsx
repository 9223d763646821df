// The imported list, virtualised: only the rows in view are rendered, and they are
// fetched from Rust a page at a time, so 100,000 rows never cross IPC at once. Each row
// is numbered as the spreadsheet it came from numbers it. The columns share the window's
// width (at least CELL_WIDTH each, else the frame scrolls sideways); a value cut short
// shows whole on hover.
import { useEffect, useRef, useState } from "react";
import { makeStyles, tokens } from "@fluentui/react-components";
import { useVirtualizer } from "@tanstack/react-virtual";
import { lists, type RowsPage } from "../../api";

const PAGE = 200;
const ROW_HEIGHT = 28;
/** The narrowest a column gets, and the row number's column, in px (padding included). */
const CELL_WIDTH = 180;
const NUMBER_WIDTH = 64;

const useStyles = makeStyles({
  frame: {
    height: "320px",
    overflow: "auto",
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    fontSize: tokens.fontSizeBase200,
  },
  header: {
    position: "sticky",
    top: 0,
    zIndex: 1,
    display: "flex",
    backgroundColor: tokens.colorNeutralBackground3,
    fontWeight: tokens.fontWeightSemibold,
  },
  row: { display: "flex", position: "absolute", left: 0, width: "100%", borderBottom: `1px solid ${tokens.colorNeutralStroke3}` },
  cell: {
    flex: `1 0 ${CELL_WIDTH}px`,
    minWidth: 0,
    boxSizing: "border-box",
    padding: `4px ${tokens.spacingHorizontalS}`,
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
  },
  number: { flex: `0 0 ${NUMBER_WIDTH}px`, boxSizing: "border-box", padding: `4px ${tokens.spacingHorizontalS}`, color: tokens.colorNeutralForeground3 },
});

export function RowsPreview({ header, rows }: { header: string[]; rows: number }) {
  const styles = useStyles();
  const frame = useRef<HTMLDivElement>(null);
  const [pages, setPages] = useState<Map<number, RowsPage>>(new Map());
  const requested = useRef(new Set<number>());
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is used as documented
  const virtualizer = useVirtualizer({ count: rows, getScrollElement: () => frame.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  // Header and rows as wide as the frame, or as all columns at their narrowest.
  const minWidth = NUMBER_WIDTH + header.length * CELL_WIDTH;

  useEffect(() => {
    for (let page = Math.floor(first / PAGE); page <= Math.floor(last / PAGE); page++) {
      if (requested.current.has(page) || rows === 0) continue;
      requested.current.add(page);
      lists.rows(page * PAGE + 1, PAGE).then(
        (result) => setPages((old) => new Map(old).set(page, result)),
        () => requested.current.delete(page),
      );
    }
  }, [first, last, rows]);

  return (
    <div ref={frame} className={styles.frame} data-testid="lists-preview" role="table" aria-label="Imported list" aria-rowcount={rows + 1}>
      <div className={styles.header} style={{ minWidth }} role="row">
        <span className={styles.number} role="columnheader">
          Row
        </span>
        {header.map((h) => (
          <span key={h} className={styles.cell} role="columnheader" title={h}>
            {h}
          </span>
        ))}
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: "relative", minWidth }}>
        {items.map((item) => {
          const page = pages.get(Math.floor(item.index / PAGE));
          const cells = page?.rows[item.index % PAGE];
          return (
            <div key={item.key} className={styles.row} style={{ top: item.start, height: item.size }} role="row" aria-rowindex={item.index + 2}>
              <span className={styles.number} role="cell">
                {page?.sheet_rows[item.index % PAGE] ?? "\u2026"}
              </span>
              {header.map((h, c) => (
                <span key={h} className={styles.cell} role="cell" title={cells?.[c]}>
                  {cells ? cells[c] : "\u2026"}
                </span>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
