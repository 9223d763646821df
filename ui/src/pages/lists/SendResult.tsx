// What sending to Bright Pattern did: rows added, the rows refused by Bright Pattern's
// reason (with their spreadsheet rows), how far a stopped or cancelled send got, the Do
// Not Call sync, and the rejected rows exported as CSV. A result for other import
// choices cannot be exported (the import's result above says it is stale).
import { useState } from "react";
import {
  Button,
  MessageBar,
  MessageBarBody,
  TableBody,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowExportRegular } from "@fluentui/react-icons";
import { brightPattern, errorMessage, pickSavePath, type SendReport } from "../../api";
import type { RejectGroup } from "../../api/bindings/RejectGroup";
import { FitTable, TextCell } from "../../components/DataTable";
import { Notice } from "../../components/Notice";
import { useConfirm } from "../../shell/toasts";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  reason: { width: "30%" },
  count: { width: "80px" },
});

/** Rows listed per reason; the export has them all. */
const ROWS_SHOWN = 20;

/** A reason's rows as the spreadsheet numbers them, the first few. */
function rowsText(group: RejectGroup): string {
  const numbers = group.rows.slice(0, ROWS_SHOWN).map((r) => (r.row === null ? "a row not matched" : String(r.row)));
  const more = group.rows.length - ROWS_SHOWN;
  return numbers.join(", ") + (more > 0 ? ` and ${more} more` : "");
}

export function SendResult({ report, stale }: { report: SendReport; stale: boolean }) {
  const styles = useStyles();
  const confirm = useConfirm();
  const [error, setError] = useState<string | null>(null);
  const rejected = report.rejected.reduce((n, g) => n + g.rows.length, 0);
  const exportRejects = async () => {
    try {
      const path = await pickSavePath(`${report.list.replace(/\.[^.]*$/, "")}.rejected.csv`, { name: "CSV", extensions: ["csv"] });
      if (!path) return;
      await brightPattern.exportRejects(report, path);
      setError(null);
      confirm("Exported", `The rejected rows to ${path}.`, "bp-send-exported");
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const seconds = (report.elapsed_ms / 1000).toFixed(1);
  return (
    <div className={styles.section} data-testid="bp-send-result">
      <Text data-testid="bp-send-added">
        {`Added ${report.added.toLocaleString()} of ${report.rows.toLocaleString()} rows to \u201c${report.list}\u201d`}
        {rejected > 0 && `; Bright Pattern refused ${rejected.toLocaleString()}`}.
      </Text>
      <Text size={200}>{`${report.batches} batches, ${report.requests} requests, ${seconds} s.`}</Text>
      {report.cancelled && (
        <MessageBar intent="warning">
          <MessageBarBody>{`Cancelled after ${report.rows_sent.toLocaleString()} of ${report.rows.toLocaleString()} rows; the rows sent before stay in the list.`}</MessageBarBody>
        </MessageBar>
      )}
      {report.stopped && (
        <MessageBar intent="error">
          <MessageBarBody>{`Stopped after ${report.rows_sent.toLocaleString()} of ${report.rows.toLocaleString()} rows: ${report.stopped}`}</MessageBarBody>
        </MessageBar>
      )}
      {report.rejected.length > 0 && (
        <>
          <FitTable label="Rows Bright Pattern refused" testId="bp-send-rejects">
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.reason}>Why</TableHeaderCell>
                <TableHeaderCell className={styles.count}>Rows</TableHeaderCell>
                <TableHeaderCell>Spreadsheet rows</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {report.rejected.map((group) => (
                <TableRow key={group.reason} data-code={group.reason}>
                  <TextCell text={group.label} />
                  <TextCell text={String(group.rows.length)} />
                  <TextCell text={rowsText(group)} />
                </TableRow>
              ))}
            </TableBody>
          </FitTable>
          <div>
            <Button icon={<ArrowExportRegular />} disabled={stale} onClick={() => void exportRejects()} data-testid="bp-send-export">
              Export rejected rows…
            </Button>
          </div>
        </>
      )}
      {report.dnc && (
        <Text data-testid="bp-send-dnc-result">
          {report.dnc.error
            ? `The Do Not Call list \u201c${report.dnc.list}\u201d was not updated: ${report.dnc.error}`
            : `Do Not Call list \u201c${report.dnc.list}\u201d: ${report.dnc.sent} numbers sent, ${report.dnc.added} new` +
              (report.dnc.invalid.length > 0
                ? `; not phone numbers Bright Pattern keeps: ${report.dnc.invalid.map((p) => `row ${p.row} (${p.phone})`).join(", ")}`
                : "")}
          .
        </Text>
      )}
      <Notice notice={error ? { intent: "error", text: error } : null} onDismiss={() => setError(null)} testId="bp-send-status" />
    </div>
  );
}
