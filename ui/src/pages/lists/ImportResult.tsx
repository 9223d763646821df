// After an import: the counts, advice, the Screenpop URL and list-wizard field types,
// the list itself (virtualised, paged from Rust), the rejected rows; Save as… and the
// hand-off to the Screen pop page in the page's command bar.
import { useRef, useState } from "react";
import {
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
import { SaveRegular, WindowNewRegular } from "@fluentui/react-icons";
import { errorMessage, lists, pickSavePath, type ImportSummary } from "../../api";
import { Commands } from "../../components/CommandBar";
import { CopyValue } from "../../components/CopyValue";
import { FitTable, TextCell } from "../../components/DataTable";
import { FindingsList } from "../../components/FindingsList";
import { Notice, StaleWarning } from "../../components/Notice";
import { useNavigation } from "../../shell/navigation";
import { useConfirm } from "../../shell/toasts";
import { useLatest } from "../../shell/useLatest";
import { REJECT_REASONS } from "./listWords";
import { RowsPreview } from "./RowsPreview";
import { Busy } from "../../components/Busy";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  rowColumn: { width: "72px" },
  whyColumn: { width: "30%" },
});

const REJECTS_SHOWN = 200;

export function ImportResult({ summary, stale }: { summary: ImportSummary; stale: boolean }) {
  const styles = useStyles();
  const { navigate } = useNavigation();
  const [error, setError] = useState<string | null>(null);
  const confirm = useConfirm();
  const [handingOff, setHandingOff] = useState(false);
  /** Counts hand-offs: one cancelled is not followed to the Screen pop page. */
  const handoffs = useRef(0);
  const header = summary.field_types.map((f) => f.column);
  const rejects = useLatest(() => lists.rejects(1, REJECTS_SHOWN), JSON.stringify(summary));

  const save = async () => {
    try {
      const stem = summary.source.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
      const path = await pickSavePath(`${stem}.brightpattern.csv`, { name: "CSV", extensions: ["csv"] });
      if (!path) return;
      const rejectsPath = await lists.save(path);
      setError(null);
      confirm("Saved", `The list to ${path}${rejectsPath ? `, the rejected rows to ${rejectsPath}` : ""}.`, "lists-saved");
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const testScreenpop = async () => {
    const mine = ++handoffs.current;
    setHandingOff(true);
    try {
      const list = await lists.toScreenpop();
      if (mine === handoffs.current) navigate("screenpop", { list, screenpop: summary.screenpop ?? undefined });
    } catch (e) {
      if (mine === handoffs.current) setError(errorMessage(e));
    } finally {
      if (mine === handoffs.current) setHandingOff(false);
    }
  };
  const cancelHandoff = () => {
    handoffs.current++;
    setHandingOff(false);
    void lists.cancel();
  };

  return (
    <section className={styles.section} aria-labelledby="lists-result">
      <Subtitle2 as="h3" id="lists-result">
        Result
      </Subtitle2>
      <Text data-testid="lists-counts">
        {summary.rows_read.toLocaleString()} rows read: {summary.imported.toLocaleString()} imported, {summary.rejected.toLocaleString()} rejected
        {summary.rejected_by_reason.length > 0 && ` (${summary.rejected_by_reason.map((r) => `${r.count.toLocaleString()} ${REJECT_REASONS[r.reason]}`).join(", ")})`}.
      </Text>
      {stale && (
        <StaleWarning
          testId="lists-stale"
          text="This result, and anything sent from it below, was made with other choices than those above. Import again to get the list for them; until then it cannot be saved, tested or sent."
        />
      )}
      <FindingsList findings={summary.findings} label="Import findings" />
      {summary.screenpop && <CopyValue label="Screenpop URL for the campaign (Outbound > General)" value={summary.screenpop} testId="lists-screenpop" />}
      <Commands order={2}>
        <ToolbarButton icon={<SaveRegular />} disabled={stale || summary.imported === 0} onClick={() => void save()} data-testid="lists-save">
          Save as…
        </ToolbarButton>
        <ToolbarButton
          icon={<WindowNewRegular />}
          disabled={stale || handingOff || summary.imported === 0}
          onClick={() => void testScreenpop()}
          data-testid="lists-test-screenpop"
        >
          Test screen pop
        </ToolbarButton>
        {handingOff && <Busy label="Preparing the list for the Screen pop page…" onCancel={cancelHandoff} cancelTestId="lists-handoff-cancel" />}
      </Commands>
      <Notice notice={error ? { intent: "error", text: error } : null} onDismiss={() => setError(null)} testId="lists-status" />
      <Subtitle2 as="h4">Field types for the list wizard</Subtitle2>
      <Text>{summary.field_types.map((f) => `${f.column}: ${f.field_type}`).join(" \u00b7 ")}</Text>
      <Subtitle2 as="h4">The list</Subtitle2>
      <RowsPreview key={JSON.stringify(summary)} header={header} rows={summary.imported} />
      {rejects && rejects.length > 0 && (
        <>
          <Subtitle2 as="h4">Rejected rows{summary.rejected > REJECTS_SHOWN && ` (first ${REJECTS_SHOWN}; all are in the rejects file)`}</Subtitle2>
          <FitTable label="Rejected rows" testId="lists-rejects">
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.rowColumn}>Row</TableHeaderCell>
                <TableHeaderCell className={styles.whyColumn}>Why</TableHeaderCell>
                <TableHeaderCell>Values</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rejects.map((r) => (
                <TableRow key={r.row}>
                  <TextCell text={String(r.row)} />
                  <TextCell text={REJECT_REASONS[r.reason]} />
                  <TextCell text={r.values.filter(Boolean).join(" | ")} />
                </TableRow>
              ))}
            </TableBody>
          </FitTable>
        </>
      )}
    </section>
  );
}
