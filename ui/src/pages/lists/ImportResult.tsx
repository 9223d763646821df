// After an import: the counts, advice, the Screenpop URL and list-wizard field types,
// the list itself (virtualised, paged from Rust), the rejected rows, Save as… and the
// hand-off to the Screen pop page.
import { useState } from "react";
import {
  Button,
  MessageBar,
  MessageBarBody,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { SaveRegular, WindowNewRegular } from "@fluentui/react-icons";
import { errorMessage, lists, pickSavePath, type ImportSummary } from "../../api";
import { CopyValue } from "../../components/CopyValue";
import { FindingsList } from "../../components/FindingsList";
import { useNavigation } from "../../shell/navigation";
import { useLatest } from "../../shell/useLatest";
import { RowsPreview } from "./RowsPreview";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
});

const REJECTS_SHOWN = 200;

export function ImportResult({ summary }: { summary: ImportSummary }) {
  const styles = useStyles();
  const { navigate } = useNavigation();
  const [status, setStatus] = useState<{ intent: "success" | "error"; text: string } | null>(null);
  const header = summary.field_types.map((f) => f.column);
  const rejects = useLatest(() => lists.rejects(1, REJECTS_SHOWN), JSON.stringify(summary));

  const save = async () => {
    try {
      const stem = summary.source.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
      const path = await pickSavePath(`${stem}.brightpattern.csv`, { name: "CSV", extensions: ["csv"] });
      if (!path) return;
      const rejectsPath = await lists.save(path);
      setStatus({ intent: "success", text: `Saved the list to ${path}${rejectsPath ? `, the rejected rows to ${rejectsPath}` : ""}` });
    } catch (e) {
      setStatus({ intent: "error", text: errorMessage(e) });
    }
  };
  const testScreenpop = async () => {
    try {
      const list = await lists.toScreenpop();
      navigate("screenpop", { list, screenpop: summary.screenpop ?? undefined });
    } catch (e) {
      setStatus({ intent: "error", text: errorMessage(e) });
    }
  };

  return (
    <section className={styles.section} aria-labelledby="lists-result">
      <Subtitle2 as="h3" id="lists-result">
        Result
      </Subtitle2>
      <Text data-testid="lists-counts">
        {summary.rows_read.toLocaleString()} rows read: {summary.imported.toLocaleString()} imported, {summary.rejected.toLocaleString()} rejected
        {summary.rejected_by_reason.length > 0 && ` (${summary.rejected_by_reason.map((r) => `${r.count} ${r.reason.replaceAll("_", " ")}`).join(", ")})`}.
      </Text>
      <FindingsList findings={summary.findings} label="Import findings" />
      {summary.screenpop && <CopyValue label="Screenpop URL for the campaign (Outbound > General)" value={summary.screenpop} testId="lists-screenpop" />}
      <div className={styles.row}>
        <Button appearance="primary" icon={<SaveRegular />} disabled={summary.imported === 0} onClick={() => void save()} data-testid="lists-save">
          Save as…
        </Button>
        <Button icon={<WindowNewRegular />} disabled={summary.imported === 0} onClick={() => void testScreenpop()} data-testid="lists-test-screenpop">
          Test screen pop with this list
        </Button>
      </div>
      {status && (
        <MessageBar intent={status.intent}>
          <MessageBarBody data-testid="lists-status">{status.text}</MessageBarBody>
        </MessageBar>
      )}
      <Subtitle2 as="h4">Field types for the list wizard</Subtitle2>
      <Text>{summary.field_types.map((f) => `${f.column}: ${f.field_type}`).join(" \u00b7 ")}</Text>
      <Subtitle2 as="h4">The list</Subtitle2>
      <RowsPreview key={JSON.stringify(summary)} header={header} rows={summary.imported} />
      {rejects && rejects.length > 0 && (
        <>
          <Subtitle2 as="h4">Rejected rows{summary.rejected > REJECTS_SHOWN && ` (first ${REJECTS_SHOWN}; all are in the rejects file)`}</Subtitle2>
          <Table size="small" aria-label="Rejected rows" data-testid="lists-rejects">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Row</TableHeaderCell>
                <TableHeaderCell>Why</TableHeaderCell>
                <TableHeaderCell>Values</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rejects.map((r) => (
                <TableRow key={r.row}>
                  <TableCell>{r.row}</TableCell>
                  <TableCell>{r.reason.replaceAll("_", " ")}</TableCell>
                  <TableCell>{r.values.filter(Boolean).join(" | ")}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </section>
  );
}
