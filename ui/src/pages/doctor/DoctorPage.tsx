// The Doctor page: pick an account, run the guide's checklist against the org, read
// each step's status and what to do, export it as Markdown.
import { useEffect, useState } from "react";
import {
  Badge,
  Button,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
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
import { ArrowDownloadRegular, PlayRegular } from "@fluentui/react-icons";
import { accounts, doctor, errorMessage, pickSavePath, type AccountView, type DoctorReport } from "../../api";
import { FindingsList } from "../../components/FindingsList";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
  step: { width: "56px" },
  status: { width: "96px" },
});

const BADGES = {
  pass: { color: "success", label: "Pass" },
  fail: { color: "danger", label: "Fix" },
  warning: { color: "warning", label: "Check" },
  manual: { color: "informative", label: "Manual" },
  skipped: { color: "subtle", label: "Skipped" },
} as const;

export function DoctorPage() {
  const styles = useStyles();
  const [list, setList] = useState<AccountView[]>([]);
  const [id, setId] = useState<string | null>(null);
  const [report, setReport] = useState<DoctorReport | "running" | null>(null);
  const [status, setStatus] = useState<{ intent: "success" | "error"; text: string } | null>(null);
  useEffect(() => {
    accounts.list().then(
      (views) => {
        setList(views);
        setId((views.find((v) => v.account.default) ?? views[0])?.account.id ?? null);
      },
      (e: unknown) => setStatus({ intent: "error", text: errorMessage(e) }),
    );
  }, []);
  const selected = list.find((v) => v.account.id === id);

  const run = () => {
    if (!id) return;
    setReport("running");
    doctor.run(id).then(setReport, (e: unknown) => {
      setReport(null);
      setStatus({ intent: "error", text: errorMessage(e) });
    });
  };
  const exportMarkdown = async (done: DoctorReport) => {
    try {
      const path = await pickSavePath("dynbridge-doctor.md", { name: "Markdown", extensions: ["md"] });
      if (!path) return;
      await doctor.export(done, path);
      setStatus({ intent: "success", text: `Exported to ${path}` });
    } catch (e) {
      setStatus({ intent: "error", text: errorMessage(e) });
    }
  };

  if (list.length === 0) return <Text>Add an integration account on the Accounts page first: the checks run with its token.</Text>;
  return (
    <div className={styles.page}>
      <div className={styles.row}>
        <Field label="Account">
          <Dropdown value={selected?.account.name ?? ""} selectedOptions={id ? [id] : []} onOptionSelect={(_, d) => d.optionValue && setId(d.optionValue)}>
            {list.map((v) => (
              <Option key={v.account.id} value={v.account.id} text={v.account.name}>
                {v.account.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button appearance="primary" icon={<PlayRegular />} disabled={!id || report === "running"} onClick={run} data-testid="doctor-run">
          Run checks
        </Button>
        {report && report !== "running" && (
          <Button icon={<ArrowDownloadRegular />} onClick={() => void exportMarkdown(report)}>
            Export Markdown…
          </Button>
        )}
      </div>
      {report === "running" && <Spinner size="tiny" label="Checking…" />}
      {status && (
        <MessageBar intent={status.intent}>
          <MessageBarBody>{status.text}</MessageBarBody>
        </MessageBar>
      )}
      {report && report !== "running" && (
        <Table size="small" aria-label="Checklist" data-testid="doctor-steps">
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={styles.step}>Step</TableHeaderCell>
              <TableHeaderCell className={styles.status}>Status</TableHeaderCell>
              <TableHeaderCell>What</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {report.steps.map((step) => (
              <TableRow key={step.id} data-step={step.id}>
                <TableCell>{step.id}</TableCell>
                <TableCell>
                  <Badge appearance="filled" color={BADGES[step.status].color}>
                    {BADGES[step.status].label}
                  </Badge>
                </TableCell>
                <TableCell>
                  <Text weight="semibold">{step.title}</Text>
                  <br />
                  <Text>{step.detail}</Text>
                  <FindingsList findings={step.findings} label={`${step.id} findings`} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
