// The Lists page: open a Dynamics export (or any spreadsheet/CSV) by dropping it or
// choosing it, see what was detected, map the columns, import with progress and
// cancel, review the result and the rejected rows, save, test its screen pop, and send
// it to a Bright Pattern calling list. Open, Import, Save and Send are in the command
// bar at the top; each panel below adds its own there.
import { useRef, useState } from "react";
import { Text, ToolbarButton, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { DocumentArrowUpRegular } from "@fluentui/react-icons";
import { errorMessage, lists, pickFile, type ImportOptions, type ImportSummary, type Inspection } from "../../api";
import { CommandBar } from "../../components/CommandBar";
import { FindingsList } from "../../components/FindingsList";
import { Notice } from "../../components/Notice";
import { RecentFiles } from "../../components/RecentFiles";
import { useFileDrop } from "../../shell/useFileDrop";
import { ImportPanel } from "./ImportPanel";
import { ImportResult } from "./ImportResult";
import { SendPanel } from "./SendPanel";
import { UNCLEAR_CONSENT } from "./ConsentQuestion";
import { Busy } from "../../components/Busy";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXL },
  drop: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalL,
    padding: tokens.spacingVerticalL,
    border: `2px dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
  },
  dropping: { border: `2px dashed ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
});

const SPREADSHEETS = { name: "Dynamics exports and lists", extensions: ["xlsx", "xls", "ods", "csv", "txt"] };

export const DEFAULT_OPTIONS: ImportOptions = {
  sheet: null,
  id_source: null,
  id_name: "dyn_id",
  country: "US",
  keep_invalid_ids: false,
  dedupe: false,
  excel_safe: true,
  include_do_not_call: false,
  columns: null,
};

/** `opened` with the header-row labels `before` knew (same file and sheet) where it has none. */
function withKnownHeaderCells(opened: Inspection, before: Inspection | null): Inspection {
  if (!before || before.path !== opened.path || before.sheet !== opened.sheet) return opened;
  const cells = opened.header_rows.map((row, i) => {
    const mine = opened.header_row_cells[i] ?? [];
    const known = before.header_row_cells[before.header_rows.indexOf(row)];
    return mine.length === 0 && known ? known : mine;
  });
  return { ...opened, header_row_cells: cells };
}

export function ListsPage() {
  const styles = useStyles();
  const [inspection, setInspection] = useState<Inspection | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState<string | null>(null);
  /** Counts opens: an answer to one cancelled or overtaken is ignored. */
  const opens = useRef(0);

  const open = async (path: string, sheet: string | null = null, headerRow: number | null = null) => {
    const mine = ++opens.current;
    setOpening(path);
    setError(null);
    try {
      const opened = await lists.open(path, sheet, headerRow);
      if (mine !== opens.current) return;
      // Rows above the header read come without their cells: keep those seen before.
      setInspection((before) => withKnownHeaderCells(opened, before));
      setSummary(null);
    } catch (e) {
      if (mine !== opens.current) return;
      // Nothing of the previous file stays below the error (Rust dropped it too).
      setInspection(null);
      setSummary(null);
      setError(errorMessage(e));
    } finally {
      if (mine === opens.current) setOpening(null);
    }
  };
  const cancelOpen = () => {
    opens.current++;
    setOpening(null);
    void lists.cancel();
  };

  const dropping = useFileDrop((path) => void open(path));

  const choose = async () => {
    const path = await pickFile(SPREADSHEETS).catch((e: unknown) => {
      setError(errorMessage(e));
      return null;
    });
    if (path) await open(path);
  };

  return (
    <CommandBar
      label="List actions"
      testId="lists-commands"
      actions={
        <>
          <ToolbarButton icon={<DocumentArrowUpRegular />} appearance={inspection ? "subtle" : "primary"} onClick={() => void choose()} data-testid="choose-file">
            Choose file…
          </ToolbarButton>
          <RecentFiles page="lists" onOpen={(path) => void open(path)} onError={setError} />
        </>
      }
    >
      <div className={styles.page}>
        {(!inspection || dropping) && (
          <div className={mergeClasses(styles.drop, dropping && styles.dropping)} data-testid="drop-zone">
            <Text>Drop a Dynamics export (.xlsx), a spreadsheet (.xls, .ods) or a CSV on the window, or choose one with Choose file above.</Text>
          </div>
        )}
        {opening && (
          <Busy label={`Opening ${opening.replace(/^.*[\\/]/, "")}…`} onCancel={cancelOpen} testId="lists-opening" cancelTestId="lists-open-cancel" />
        )}
        <Notice notice={error ? { intent: "error", text: error } : null} onDismiss={() => setError(null)} testId="lists-error" />
        {inspection && (
          <>
            <FindingsList findings={inspection.findings.filter((f) => f.code !== UNCLEAR_CONSENT)} label="What the file holds" />
            <ImportPanel
              key={`${inspection.path}|${inspection.sheet ?? ""}|${inspection.header_row}`}
              inspection={inspection}
              onReopen={(sheet, headerRow) => void open(inspection.path, sheet, headerRow)}
              onImported={setSummary}
              onStale={setStale}
            />
          </>
        )}
        {summary && <ImportResult summary={summary} stale={stale} />}
        {summary && <SendPanel key={JSON.stringify(summary)} summary={summary} stale={stale} />}
      </div>
    </CommandBar>
  );
}
