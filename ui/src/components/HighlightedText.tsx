// A text with the spans of its findings marked, so the offending part is visible.
import { Fragment } from "react";
import { makeStyles, tokens } from "@fluentui/react-components";
import type { Finding } from "../api";
import { spanToRange } from "../api/spans";

const useStyles = makeStyles({
  text: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: "pre-wrap",
    wordBreak: "break-all",
    margin: 0,
  },
  error: { backgroundColor: tokens.colorPaletteRedBackground2, borderBottom: `2px solid ${tokens.colorPaletteRedBorder2}` },
  warning: { backgroundColor: tokens.colorPaletteYellowBackground2, borderBottom: `2px solid ${tokens.colorPaletteDarkOrangeBorder2}` },
  insert: { borderLeft: `2px solid ${tokens.colorPaletteRedBorder2}` },
});

export function HighlightedText({ text, findings }: { text: string; findings: readonly Finding[] }) {
  const styles = useStyles();
  const marks = findings
    .filter((f) => f.span && f.severity !== "info")
    .map((f) => ({ range: spanToRange(text, f.span!), severity: f.severity as "error" | "warning", message: f.message }))
    .sort((a, b) => a.range[0] - b.range[0]);
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [i, mark] of marks.entries()) {
    const [start, end] = mark.range;
    if (start < at) continue; // overlapping: the first mark wins
    parts.push(<Fragment key={`t${i}`}>{text.slice(at, start)}</Fragment>);
    const className = start === end ? styles.insert : styles[mark.severity];
    parts.push(
      <mark key={`m${i}`} className={className} title={mark.message} data-severity={mark.severity}>
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  parts.push(<Fragment key="rest">{text.slice(at)}</Fragment>);
  return (
    <pre className={styles.text} data-testid="highlighted">
      {parts}
    </pre>
  );
}
