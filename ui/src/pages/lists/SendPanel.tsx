// "Send to Bright Pattern", after an import: the connection, the campaign (its lists
// shown), the calling list and an optional Do Not Call list; Add or Replace (Replace
// asks first); the checks before sending, in plain words; Send with its progress and
// Cancel in the page's command bar; then the result (SendResult).
import { useState } from "react";
import {
  Button,
  Caption1,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  ProgressBar,
  Radio,
  RadioGroup,
  Subtitle2,
  Text,
  ToolbarButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { SendRegular } from "@fluentui/react-icons";
import { brightPattern, errorMessage, type ImportSummary, type SendMode, type SendProgress, type SendReport } from "../../api";
import { Commands } from "../../components/CommandBar";
import { ConfirmButton } from "../../components/ConfirmButton";
import { FindingsList } from "../../components/FindingsList";
import { Notice } from "../../components/Notice";
import { useBpConnections } from "../../components/bpConnections";
import { useLatest } from "../../shell/useLatest";
import { SendResult } from "./SendResult";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalL, alignItems: "end", flexWrap: "wrap" },
  picker: { minWidth: "220px" },
  progress: { width: "240px" },
});

/** Runs a command whose answer may fail, as a value or the error's message. */
const settled = <T,>(run: Promise<T>): Promise<{ ok: T } | { error: string }> =>
  run.then(
    (ok) => ({ ok }),
    (e: unknown) => ({ error: errorMessage(e) }),
  );

export function SendPanel({ summary, stale }: { summary: ImportSummary; stale: boolean }) {
  const styles = useStyles();
  const bpConnections = useBpConnections();
  const [chosen, setChosen] = useState<string | null>(null);
  const id = bpConnections.some((v) => v.connection.id === chosen) ? chosen : (bpConnections[0]?.connection.id ?? null);
  const [campaignName, setCampaignName] = useState<string | null>(null);
  const [list, setList] = useState<string | null>(null);
  const [dnc, setDnc] = useState("");
  const [dncReplace, setDncReplace] = useState(false);
  const [mode, setMode] = useState<SendMode>("add");
  const [progress, setProgress] = useState<SendProgress | "starting" | null>(null);
  const [report, setReport] = useState<SendReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const campaigns = useLatest(id ? () => settled(brightPattern.campaigns(id)) : null, id ?? "");
  const campaign = campaigns && "ok" in campaigns ? campaigns.ok.find((c) => c.name === campaignName) : undefined;
  const target = campaign && list && campaign.lists.includes(list) ? list : null;
  const preflight = useLatest(
    id && target ? () => settled(brightPattern.preflight(id, target, mode)) : null,
    JSON.stringify([id, target, mode, summary]),
  );
  const ready = !stale && summary.imported > 0 && preflight !== null && "ok" in preflight && !preflight.ok.some((f) => f.severity === "error");
  const doNotCall = summary.rejected_by_reason.find((r) => r.reason === "do_not_call")?.count ?? 0;
  const replacingDnc = dncReplace && dnc.trim() !== "";
  const consequences = [
    mode === "replace" &&
      "Bright Pattern deletes all records of this calling list first, and also erases the campaign's results for that list.",
    replacingDnc && `The Do Not Call list ${dnc.trim()} will then hold only this import's ${doNotCall} do-not-call rows' numbers; every other number in it is removed.`,
  ].filter(Boolean);

  const send = () => {
    if (!id || !target) return;
    setError(null);
    setReport(null);
    setProgress("starting");
    brightPattern
      .send(id, target, mode, dnc.trim() ? { list: dnc.trim(), replace: dncReplace } : null, setProgress)
      .then(setReport, (e: unknown) => setError(errorMessage(e)))
      .finally(() => setProgress(null));
  };

  if (bpConnections.length === 0) {
    return (
      <section className={styles.section} aria-labelledby="bp-send">
        <Subtitle2 as="h3" id="bp-send">
          Send to Bright Pattern
        </Subtitle2>
        <Text>Add a Bright Pattern connection on the Accounts page to send this list straight into a calling list.</Text>
      </section>
    );
  }
  const selected = bpConnections.find((v) => v.connection.id === id);
  return (
    <section className={styles.section} aria-labelledby="bp-send">
      <Subtitle2 as="h3" id="bp-send">
        Send to Bright Pattern
      </Subtitle2>
      <Text>Choose the campaign and its calling list here, then send with the button at the top of the page.</Text>
      <div className={styles.row}>
        <Field label="Connection">
          <Dropdown
            className={styles.picker}
            value={selected?.connection.name ?? ""}
            selectedOptions={id ? [id] : []}
            onOptionSelect={(_, d) => d.optionValue && setChosen(d.optionValue)}
            data-testid="bp-send-connection"
          >
            {bpConnections.map((v) => (
              <Option key={v.connection.id} value={v.connection.id} text={v.connection.name}>
                {v.connection.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="Campaign">
          <Dropdown
            className={styles.picker}
            value={campaign?.name ?? ""}
            selectedOptions={campaign ? [campaign.name] : []}
            placeholder={campaigns === null ? "Reading the campaigns\u2026" : "Choose a campaign"}
            onOptionSelect={(_, d) => {
              if (!d.optionValue) return;
              setCampaignName(d.optionValue);
              const lists = campaigns && "ok" in campaigns ? campaigns.ok.find((c) => c.name === d.optionValue)?.lists : undefined;
              setList(lists?.length === 1 ? lists[0]! : null);
            }}
            data-testid="bp-send-campaign"
          >
            {campaigns && "ok" in campaigns
              ? campaigns.ok.map((c) => (
                  <Option key={c.name} value={c.name} text={c.name}>
                    {`${c.name}${c.running ? " (running)" : ""} \u2014 ${c.lists.length === 0 ? "no lists" : c.lists.join(", ")}`}
                  </Option>
                ))
              : []}
          </Dropdown>
        </Field>
        <Field label="Calling list">
          <Dropdown
            className={styles.picker}
            value={target ?? ""}
            selectedOptions={target ? [target] : []}
            disabled={!campaign}
            onOptionSelect={(_, d) => d.optionValue && setList(d.optionValue)}
            data-testid="bp-send-list"
          >
            {(campaign?.lists ?? []).map((l) => (
              <Option key={l} value={l}>
                {l}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="Do Not Call list (optional)" hint={`${doNotCall} do-not-call rows in this import; their phones are ${replacingDnc ? "the list's only numbers" : "added"}`}>
          <Input value={dnc} placeholder="None" onChange={(_, d) => setDnc(d.value)} data-testid="bp-send-dnc" />
        </Field>
        <Checkbox
          label="Replace the Do Not Call list's numbers"
          checked={dncReplace}
          disabled={dnc.trim() === ""}
          onChange={(_, d) => setDncReplace(d.checked === true)}
          data-testid="bp-send-dnc-replace"
        />
      </div>
      {campaigns && "error" in campaigns && <Text role="alert">{campaigns.error}</Text>}
      {campaign && <Caption1 data-testid="bp-send-campaign-lists">Lists of {campaign.name}: {campaign.lists.join(", ") || "none"}</Caption1>}
      <RadioGroup layout="horizontal" value={mode} onChange={(_, d) => setMode(d.value as SendMode)} aria-label="How to send">
        <Radio value="add" label="Add to the list's records" />
        <Radio value="replace" label="Replace the list's records" />
      </RadioGroup>
      {preflight && "ok" in preflight && <FindingsList findings={preflight.ok} label="Checks before sending" />}
      {preflight && "error" in preflight && <Text role="alert">{preflight.error}</Text>}
      <Commands order={3}>
        {consequences.length > 0 ? (
          <ConfirmButton
            label="Replace and send"
            icon={<SendRegular />}
            appearance="subtle"
            disabled={!ready || progress !== null}
            title={mode === "replace" ? `Replace every record of ${target ?? "the list"}?` : `Replace the numbers of ${dnc.trim()}?`}
            consequence={`${consequences.join(" ")} This cannot be undone.`}
            onConfirm={send}
            testId="bp-send"
          />
        ) : (
          <ToolbarButton icon={<SendRegular />} disabled={!ready || progress !== null} onClick={send} data-testid="bp-send">
            Send to Bright Pattern
          </ToolbarButton>
        )}
        {progress !== null && (
          <>
            <ProgressBar
              className={styles.progress}
              value={progress !== "starting" && progress.rows > 0 ? progress.rows_sent / progress.rows : undefined}
              aria-label="Send progress"
            />
            <Text data-testid="bp-send-progress">
              {progress === "starting"
                ? "Starting\u2026"
                : progress.do_not_call
                  ? "Sending the Do Not Call phones\u2026"
                  : `${progress.rows_sent.toLocaleString()} of ${progress.rows.toLocaleString()} rows sent`}
            </Text>
            <Button onClick={() => void brightPattern.cancel()} data-testid="bp-send-cancel">
              Cancel
            </Button>
          </>
        )}
      </Commands>
      <Notice notice={error ? { intent: "error", text: error } : null} onDismiss={() => setError(null)} testId="bp-send-error" />
      {report && <SendResult report={report} stale={stale} />}
    </section>
  );
}
