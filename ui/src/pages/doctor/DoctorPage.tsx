// The Doctor page: pick an account, run the guide's checklist against the org (Run and
// Export in the command bar), read each step's status and what to do (with links to the
// guide's step and to the page that does it), tick off the manual steps (remembered per
// account), export it as Markdown.
import { useEffect, useState } from "react";
import {
  Badge,
  Checkbox,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  ToolbarButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowDownloadRegular, PlayRegular } from "@fluentui/react-icons";
import { doctor, errorMessage, pickSavePath, type DoctorReport } from "../../api";
import { doctorTicks } from "../../api/doctorTicks";
import { AccountPicker, AddAccountFirst, useAccounts } from "../../components/AccountPicker";
import { CommandBar } from "../../components/CommandBar";
import { FindingsList } from "../../components/FindingsList";
import { GuideReference } from "../../components/GuideReference";
import { doctorStepReference } from "../../components/guide";
import { Notice } from "../../components/Notice";
import { useNavigation } from "../../shell/navigation";
import { useShared } from "../../shell/shared";
import { useConfirm } from "../../shell/toasts";
import { CANCELLED, useJob } from "../../shell/useJob";
import type { PageId } from "..";
import { Busy } from "../../components/Busy";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
  step: { width: "56px" },
  status: { width: "96px" },
  actions: { display: "flex", gap: tokens.spacingHorizontalL, alignItems: "center", flexWrap: "wrap" },
});

/** Each status's badge, and how the summary counts it. */
const BADGES = {
  pass: { color: "success", label: "Pass", counted: "pass" },
  fail: { color: "danger", label: "Fix", counted: "to fix" },
  warning: { color: "warning", label: "Check", counted: "to check" },
  manual: { color: "informative", label: "Manual", counted: "manual" },
  skipped: { color: "subtle", label: "Skipped", counted: "skipped" },
} as const;

/** The page of Dynbridge that does (or checks) each guide step, where there is one. */
const ACCOUNTS = { page: "accounts", label: "Open Accounts" } as const;
const FIXED_ON: Record<string, { page: PageId; label: string }> = {
  A1: ACCOUNTS,
  A3: ACCOUNTS,
  A4: ACCOUNTS,
  A5: ACCOUNTS,
  A6: ACCOUNTS,
  A7: ACCOUNTS,
  A8: ACCOUNTS,
  B3: { page: "channel", label: "Open Channel provider" },
  SP: { page: "screenpop", label: "Open Screen pop" },
};

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
  const { providerPushedAt, channel: provider } = useShared();
  const job = useJob();
  const done = report !== null && report !== "running" ? report : null;
  const outdated = done !== null && providerPushedAt !== null && providerPushedAt > ranAt;
  const [error, setError] = useState<string | null>(null);
  const confirm = useConfirm();
  const [outdatedSeen, setOutdatedSeen] = useState(false);
  const { navigate } = useNavigation();
  // The manual steps ticked off for the chosen account, as saved.
  const [ticked, setTicked] = useState<readonly string[]>([]);
  useEffect(() => {
    if (!id) return;
    let live = true;
    doctorTicks.load(id).then(
      (steps) => live && setTicked(steps),
      (e: unknown) => setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [id]);
  const tick = (step: string, checked: boolean) => {
    if (!id) return;
    const next = checked ? [...ticked, step] : ticked.filter((s) => s !== step);
    setTicked(next);
    doctorTicks.save(id, next).catch((e: unknown) => setError(errorMessage(e)));
  };

  const run = () => {
    if (!id) return;
    const previous = report === "running" ? null : report;
    const started = Date.now();
    setReport("running");
    setError(null);
    job.run((name) => doctor.run(id, provider, name)).then(
      (ran) => {
        if (ran === CANCELLED) return setReport(previous);
        setReport(ran);
        setRanAt(started);
        setOutdatedSeen(false);
      },
      (e: unknown) => {
        setReport(null);
        setError(errorMessage(e));
      },
    );
  };
  const exportMarkdown = async (ran: DoctorReport) => {
    try {
      const path = await pickSavePath("dynbridge-doctor.md", { name: "Markdown", extensions: ["md"] });
      if (!path) return;
      await doctor.export(ran, path);
      setError(null);
      confirm("Exported", `The checklist to ${path}.`, "doctor-exported");
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (list.length === 0) return <AddAccountFirst why="the checks run with its token." />;
  return (
    <CommandBar
      label="Doctor actions"
      testId="doctor-commands"
      actions={
        <>
          <ToolbarButton appearance="primary" icon={<PlayRegular />} disabled={!id || report === "running"} onClick={run} data-testid="doctor-run">
            Run checks
          </ToolbarButton>
          <ToolbarButton icon={<ArrowDownloadRegular />} disabled={!done} onClick={() => done && void exportMarkdown(done)} data-testid="doctor-export">
            Export Markdown…
          </ToolbarButton>
        </>
      }
    >
      <div className={styles.page}>
        <div className={styles.row}>
          <AccountPicker list={list} id={id} onChange={setId} />
        </div>
        {report === "running" && <Busy label="Checking each step against your organization…" onCancel={job.cancel} cancelTestId="doctor-cancel" />}
        {report === null && !error && (
          <Text data-testid="doctor-empty">
            Choose the account whose organization to check, then Run checks: each step of the guide is checked where Dynamics can tell, and the
            manual ones are listed to tick off.
          </Text>
        )}
        <Notice
          notice={outdated && !outdatedSeen ? { intent: "warning", text: "The channel provider was pushed to Dynamics after these checks ran: run them again to see it." } : null}
          onDismiss={() => setOutdatedSeen(true)}
          testId="doctor-outdated"
        />
        <Notice notice={error ? { intent: "error", text: error } : null} onDismiss={() => setError(null)} />
        {done && (
          <Text weight="semibold" data-testid="doctor-summary">
            {done.account}: {summarise(done)}
          </Text>
        )}
        {done && (
          <Table size="small" aria-label="Checklist" data-testid="doctor-steps">
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.step}>Step</TableHeaderCell>
                <TableHeaderCell className={styles.status}>Status</TableHeaderCell>
                <TableHeaderCell>What</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {done.steps.map((step) => (
                <TableRow key={step.id} data-step={step.id}>
                  <TableCell>
                    <GuideReference reference={doctorStepReference(step.id)}>{step.id}</GuideReference>
                  </TableCell>
                  <TableCell>
                    {step.status === "manual" && ticked.includes(step.id) ? (
                      <Badge appearance="filled" color="success">
                        Done
                      </Badge>
                    ) : (
                      <Badge appearance="filled" color={BADGES[step.status].color}>
                        {BADGES[step.status].label}
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    <Text weight="semibold">{step.title}</Text>
                    <br />
                    <Text>{step.detail}</Text>
                    <FindingsList findings={step.findings} label={`${step.id} findings`} />
                    <div className={styles.actions}>
                      {step.status === "manual" && (
                        <Checkbox
                          label="I have done this"
                          checked={ticked.includes(step.id)}
                          onChange={(_, d) => tick(step.id, d.checked === true)}
                          data-testid={`doctor-tick-${step.id}`}
                        />
                      )}
                      {step.status !== "pass" && <FixLink step={step.id} onOpen={navigate} />}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
    </CommandBar>
  );
}

/** The link to the page that does a step, if Dynbridge has one (shown while the step is not passed). */
function FixLink({ step, onOpen }: { step: string; onOpen: (page: PageId) => void }) {
  const fix = FIXED_ON[step];
  if (!fix) return null;
  return (
    <Link as="button" onClick={() => onOpen(fix.page)} data-testid={`doctor-go-${step}`}>
      {fix.label}
    </Link>
  );
}
