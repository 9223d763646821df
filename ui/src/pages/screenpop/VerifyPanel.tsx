// Verifying in Dynamics: every ID of the loaded list (or the rendered row's ID) looked
// up with an account's token: found, missing, of another type, inactive, do not call.
import { useState } from "react";
import {
  Button,
  ProgressBar,
  Subtitle2,
  TableBody,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowDownloadRegular, CloudCheckmarkRegular } from "@fluentui/react-icons";
import { errorMessage, online, pickSavePath, type VerifyProgress, type VerifyReport } from "../../api";
import { AccountPicker, useAccounts } from "../../components/AccountPicker";
import { FindingsList } from "../../components/FindingsList";
import { FitTable, TextCell } from "../../components/DataTable";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
  progress: { width: "240px" },
});

const SHOWN = 200;

export function VerifyPanel({ text, rows, rowId }: { text: string; rows: number | null; rowId: string | null }) {
  const styles = useStyles();
  const { list, id, setId } = useAccounts();
  const [progress, setProgress] = useState<VerifyProgress | null>(null);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const verify = (one: string | null) => {
    if (!id) return;
    setProgress({ checked: 0, waiting: null });
    setMessage(null);
    online.verify(id, text, one, setProgress).then(
      (result) => {
        setReport(result);
        setProgress(null);
      },
      (e: unknown) => {
        setMessage(errorMessage(e));
        setProgress(null);
      },
    );
  };
  const exportReport = async (done: VerifyReport) => {
    try {
      const path = await pickSavePath("screenpop-verification.csv", { name: "CSV", extensions: ["csv"] });
      if (path) {
        await online.exportReport(done, path);
        setMessage(`Exported to ${path}`);
      }
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };

  if (list.length === 0) return null;
  const problems = report?.rows.filter((r) => r.status !== "found") ?? [];
  return (
    <section className={styles.section} aria-labelledby="verify-title">
      <Subtitle2 as="h3" id="verify-title">
        Verify in Dynamics
      </Subtitle2>
      <div className={styles.row}>
        <AccountPicker list={list} id={id} onChange={setId} />
        {rows !== null && (
          <Button icon={<CloudCheckmarkRegular />} disabled={progress !== null} onClick={() => verify(null)} data-testid="verify-list">
            Verify every ID ({rows.toLocaleString()} rows)
          </Button>
        )}
        {rowId && (
          <Button disabled={progress !== null} onClick={() => verify(rowId)} data-testid="verify-one">
            Check this record
          </Button>
        )}
        {progress !== null && (
          <>
            <ProgressBar className={styles.progress} value={rows ? Math.min(1, progress.checked / rows) : undefined} aria-label="Verification progress" />
            <Button onClick={() => void online.cancelVerify()}>Cancel</Button>
          </>
        )}
      </div>
      {progress?.waiting && (
        <Text role="status" data-testid="verify-waiting">
          {progress.waiting}
        </Text>
      )}
      {message && <Text role="status">{message}</Text>}
      {report && (
        <>
          <Text data-testid="verify-counts">
            {report.rows.length === 1 && report.rows[0]?.name
              ? `${report.rows[0].name}: ${report.rows[0].status.replaceAll("_", " ")}.`
              : `${report.rows.length.toLocaleString()} IDs: ${report.found} found, ${report.missing} missing, ${report.other_type} of another type, ${report.inactive} inactive, ${report.do_not_phone} marked do not call${report.unchecked ? `, ${report.unchecked} not checked` : ""}.`}
          </Text>
          <FindingsList findings={report.findings} label="What kept the check from being complete" />
          {problems.length > 0 && (
            <FitTable label="IDs to look at" testId="verify-problems">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Row</TableHeaderCell>
                  <TableHeaderCell>ID</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {problems.slice(0, SHOWN).map((r) => (
                  <TableRow key={`${r.row}-${r.id}`}>
                    <TextCell text={String(r.row || "-")} />
                    <TextCell text={r.id} />
                    <TextCell text={`${r.status.replaceAll("_", " ")}${r.other_type ? ` (${r.other_type})` : ""}${r.name ? `: ${r.name}` : ""}`} />
                  </TableRow>
                ))}
              </TableBody>
            </FitTable>
          )}
          {problems.length > SHOWN && (
            <Text>
              The first {SHOWN} of {problems.length.toLocaleString()} IDs to look at; the exported report lists every row.
            </Text>
          )}
          <div>
            <Button icon={<ArrowDownloadRegular />} onClick={() => void exportReport(report)}>
              Export report…
            </Button>
          </div>
        </>
      )}
    </section>
  );
}
