// The Doctor page: pick an account, run the guide's checklist against the org, read
// each step's status and what to do, export it as Markdown.
import { useState } from "react";
import {
  Badge,
  Button,
  MessageBar,
  MessageBarBody,
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
import { doctor, errorMessage, pickSavePath, type DoctorReport } from "../../api";
import { AccountPicker, useAccounts } from "../../components/AccountPicker";
import { FindingsList } from "../../components/FindingsList";
import { useShared } from "../../shell/shared";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
  step: { width: "56px" },
  status: { width: "96px" },
});

/** Each status's badge, and how the summary counts it. */
const BADGES = {
  pass: { color: "success", label: "Pass", counted: "pass" },
  fail: { color: "danger", label: "Fix", counted: "to fix" },
  warning: { color: "warning", label: "Check", counted: "to check" },
  manual: { color: "informative", label: "Manual", counted: "manual" },
  skipped: { color: "subtle", label: "Skipped", counted: "skipped" },
} as const;

/** "2 pass · 1 to fix · 12 manual": the report at a glance, in the badges' order. */
export function summarise(report: DoctorReport): string {
  return Object.entries(BADGES)
    .map(([status, badge]) => [report.steps.filter((step) => step.status === status).length, badge.counted] as const)
    .filter(([count]) => count > 0)
    .map(([count, counted]) => `${count} ${counted}`)
    .join(" · ");
}

export function DoctorPage() {
  const styles = useStyles();
  const { list, id, setId } = useAccounts();
  const [report, setReport] = useState<DoctorReport | "running" | null>(null);
  const [ranAt, setRanAt] = useState(0);
  const { providerPushedAt } = useShared();
  const outdated = report !== null && report !== "running" && providerPushedAt !== null && providerPushedAt > ranAt;
  const [status, setStatus] = useState<{ intent: "success" | "error"; text: string } | null>(null);

  const run = () => {
    if (!id) return;
    setReport("running");
    setRanAt(Date.now());
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
        <AccountPicker list={list} id={id} onChange={setId} />
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
      {outdated && (
        <MessageBar intent="warning" data-testid="doctor-outdated">
          <MessageBarBody>The channel provider was pushed to Dynamics after these checks ran: run them again to see it.</MessageBarBody>
        </MessageBar>
      )}
      {status && (
        <MessageBar intent={status.intent}>
          <MessageBarBody>{status.text}</MessageBarBody>
        </MessageBar>
      )}
      {report && report !== "running" && (
        <Text weight="semibold" data-testid="doctor-summary">
          {report.account}: {summarise(report)}
        </Text>
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
