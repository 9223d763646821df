// Verifying in Dynamics: every ID of the loaded list (or the rendered row's ID) looked
// up with an account's token: found, missing, of another type, inactive, do not call.
// Verifying the list, its progress and exporting the report are in the page's command bar.
// A report made for another Screenpop URL, list, row or account is marked stale and
// cannot be exported. The panel stays mounted while the Screenpop URL does not parse, so
// a verification running keeps its progress and Cancel, and its report shows, marked stale.
import { useRef, useState } from "react";
import {
  Button,
  ProgressBar,
  Subtitle2,
  TableBody,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  ToolbarButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowDownloadRegular, CloudCheckmarkRegular } from "@fluentui/react-icons";
import { cancelJob, errorMessage, online, pickSavePath, screenpop, type TableSummary, type VerifyProgress, type VerifyReport } from "../../api";
import { AccountPicker, AddAccountFirst, useAccounts } from "../../components/AccountPicker";
import { Commands } from "../../components/CommandBar";
import { FindingsList } from "../../components/FindingsList";
import { FitTable, TextCell } from "../../components/DataTable";
import { Notice, StaleWarning } from "../../components/Notice";
import { useConfirm } from "../../shell/toasts";
import { newJobName } from "../../shell/useJob";
import { useLatest } from "../../shell/useLatest";
import { ROW_STATUS } from "./verifyWords";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
  progress: { width: "240px" },
});

const SHOWN = 200;

/** What can be verified now: the IDs of a list, or one row's. */
export interface Target {
  /** The list whose IDs "Verify every ID" checks (loaded on the Rust side), or null. */
  list: TableSummary | null;
  /** The rendered row's ID, which "Check this record" checks alone. */
  rowId: string | null;
}

/**
 * The panel for `target`, what can be verified now; null while the Screenpop URL does not
 * parse: nothing new can be verified then, but the panel stays mounted, so a verification
 * running keeps its progress and Cancel, and the last report stays, marked stale.
 */
export function VerifyPanel({ text, target }: { text: string; target: Target | null }) {
  const styles = useStyles();
  const loaded = target?.list ?? null;
  const rowId = target?.rowId ?? null;
  const { list, id, setId } = useAccounts();
  const [progress, setProgress] = useState<VerifyProgress | null>(null);
  /** The verification running's job name, for Cancel (which keeps the verdicts gathered). */
  const running = useRef<string | null>(null);
  /** How many IDs the verification running checks, when known (kept while the list shown changes). */
  const [total, setTotal] = useState<number | null>(null);
  /** The last report, with what it was made for: the account, the Screenpop URL, and the list loaded or the one ID. */
  const [done, setDone] = useState<{ report: VerifyReport; account: string; text: string; list: TableSummary | null; one: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const confirm = useConfirm();
  const types = useLatest(() => screenpop.objectTypes(), "object types");
  const rows = loaded?.rows ?? null;

  const report = done?.report ?? null;
  // The list by identity: each load is a new one, even of the same file.
  const stale =
    done !== null && (done.account !== id || done.text !== text || (done.one === null ? done.list !== loaded : done.one !== rowId));
  /** A Bright Pattern object type by the name Dynamics shows, e.g. "Account". */
  const typeName = (name: string) => types?.find((t) => t.bright_pattern === name)?.display_name ?? name;

  const verify = (one: string | null) => {
    if (!id) return;
    const made = { account: id, text, list: loaded, one };
    setProgress({ checked: 0, waiting: null });
    setTotal(one === null ? rows : 1);
    setError(null);
    const job = newJobName();
    running.current = job;
    online.verify(id, text, one, job, setProgress).then(
      (result) => {
        setDone({ report: result, ...made });
        setProgress(null);
      },
      (e: unknown) => {
        setError(errorMessage(e));
        setProgress(null);
      },
    );
  };
  const exportReport = async (done: VerifyReport) => {
    try {
      const path = await pickSavePath("screenpop-verification.csv", { name: "CSV", extensions: ["csv"] });
      if (path) {
        await online.exportReport(done, path);
        setError(null);
        confirm("Exported", `The verification report to ${path}.`, "verify-exported");
      }
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (target === null && progress === null && done === null && error === null) return null;
  const title = (
    <Subtitle2 as="h3" id="verify-title">
      Verify in Dynamics
    </Subtitle2>
  );
  if (list.length === 0)
    return (
      <section className={styles.section} aria-labelledby="verify-title">
        {title}
        <AddAccountFirst why="Dynbridge looks the IDs up in Dynamics with its token." />
      </section>
    );
  const problems = report?.rows.filter((r) => r.status !== "found") ?? [];
  return (
    <section className={styles.section} aria-labelledby="verify-title">
      {title}
      <Commands order={2}>
        {rows !== null && (
          <ToolbarButton icon={<CloudCheckmarkRegular />} disabled={progress !== null} onClick={() => verify(null)} data-testid="verify-list">
            Verify every ID in Dynamics ({rows.toLocaleString()} rows)
          </ToolbarButton>
        )}
        {progress !== null && (
          <>
            <ProgressBar className={styles.progress} value={total ? Math.min(1, progress.checked / total) : undefined} aria-label="Verification progress" />
            <Button onClick={() => running.current && void cancelJob(running.current)}>Cancel</Button>
          </>
        )}
        <ToolbarButton icon={<ArrowDownloadRegular />} disabled={!report || stale} onClick={() => report && void exportReport(report)} data-testid="verify-export">
          Export report…
        </ToolbarButton>
      </Commands>
      <div className={styles.row}>
        <AccountPicker list={list} id={id} onChange={setId} />
        {rowId && (
          <Button disabled={progress !== null} onClick={() => verify(rowId)} data-testid="verify-one">
            Check this record
          </Button>
        )}
      </div>
      {progress?.waiting && (
        <Text role="status" data-testid="verify-waiting">
          {progress.waiting}
        </Text>
      )}
      <Notice notice={error ? { intent: "error", text: error } : null} onDismiss={() => setError(null)} testId="verify-error" />
      {report && (
        <>
          {stale && (
            <StaleWarning
              testId="verify-stale"
              text="This report was made for another Screenpop URL, list, row or account than the ones shown now. Verify again to get a report for them; until then it cannot be exported."
            />
          )}
          <Text data-testid="verify-counts">
            {report.rows.length === 1 && report.rows[0]?.name
              ? `${report.rows[0].name}: ${ROW_STATUS[report.rows[0].status]}.`
              : `${report.rows.length.toLocaleString()} ${report.rows.length === 1 ? "ID" : "IDs"}: ${report.found} ${ROW_STATUS.found}, ${report.missing} ${ROW_STATUS.missing}, ${report.other_type} of another type, ${report.inactive} ${ROW_STATUS.inactive}, ${report.do_not_phone} ${ROW_STATUS.do_not_phone}${report.unchecked ? `, ${report.unchecked} ${ROW_STATUS.unchecked}` : ""}.`}
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
                    <TextCell text={`${ROW_STATUS[r.status]}${r.other_type ? ` (${typeName(r.other_type)})` : ""}${r.name ? `: ${r.name}` : ""}`} />
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
        </>
      )}
    </section>
  );
}
