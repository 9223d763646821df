// Pushing the channel provider to Dynamics with the account chosen here: load the org's
// apps and roles (chosen by name in the form above), then create or update the record
// (matched by name) and see what changed. Both actions are in the page's command bar.
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { Subtitle2, Text, ToolbarButton, makeStyles, tokens } from "@fluentui/react-components";
import { CloudArrowUpRegular, ListRegular } from "@fluentui/react-icons";
import { errorMessage, online, type ChannelInputs, type OrgChoices, type PushResult } from "../../api";
import { AccountPicker, AddAccountFirst, useAccounts } from "../../components/AccountPicker";
import { Commands } from "../../components/CommandBar";
import { Notice, type NoticeText } from "../../components/Notice";
import { share } from "../../shell/shared";
import { CANCELLED, useJob } from "../../shell/useJob";
import { changeText } from "./pushWords";
import { Busy } from "../../components/Busy";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  // The picker as wide as its names, not the section.
  row: { display: "flex" },
  changes: { margin: 0, overflowWrap: "anywhere" },
});

export function PushPanel({
  inputs,
  ready,
  onPush,
  onChoices,
}: {
  inputs: ChannelInputs;
  ready: boolean;
  /** Hands on the org's apps and roles, for the form's pickers. */
  onChoices: (choices: OrgChoices) => void;
  /** Heard when Create or update is pressed (the form then shows every field's problem). */
  onPush?: () => void;
}) {
  const styles = useStyles();
  const { list, id, setId } = useAccounts();
  const [result, setResult] = useState<PushResult | null>(null);
  const [message, setMessage] = useState<NoticeText | null>(null);
  const job = useJob();
  /** What runs, for the busy line. */
  const [doing, setDoing] = useState("");
  const run = <T,>(what: string, call: (job: string) => Promise<T>, done: (value: T) => void, stopped?: string) => {
    setMessage(null);
    setDoing(what);
    job.run(call).then(
      (value) => {
        if (value !== CANCELLED) done(value);
        else if (stopped) setMessage({ intent: "warning", text: stopped });
      },
      (e: unknown) => setMessage({ intent: "error", text: errorMessage(e) }),
    );
  };
  const [loaded, setLoaded] = useState<string | null>(null);
  /** The account whose org's apps and roles were last asked for. */
  const namesFor = useRef<string | null>(null);
  const loadChoices = (account: string) => {
    namesFor.current = account;
    run(
      "Reading the org's apps and roles…",
      (name) => online.choices(account, name),
      (choices) => {
        onChoices(choices);
        setLoaded(`Loaded ${choices.apps.length} apps and ${choices.roles.length} roles: choose them by name in the form above.`);
      },
    );
  };

  // Apps and roles already chosen (saved as IDs) are shown by name once the org's are
  // read: read them as soon as an account is chosen, once per account.
  const chosenIds = inputs.apps.length + inputs.roles.length > 0;
  const readNames = useEffectEvent((account: string) => {
    if (namesFor.current !== account && !job.running) loadChoices(account);
  });
  useEffect(() => {
    if (id && chosenIds && !job.running) readNames(id);
  }, [id, chosenIds, job.running]);

  const title = (
    <Subtitle2 as="h3" id="push-title">
      Push to Dynamics
    </Subtitle2>
  );
  if (list.length === 0)
    return (
      <section className={styles.section} aria-labelledby="push-title">
        {title}
        <AddAccountFirst why="Dynbridge reads the org's apps and roles and pushes the channel provider with its token." />
      </section>
    );
  return (
    <section className={styles.section} aria-labelledby="push-title">
      {title}
      <Commands order={1}>
        <ToolbarButton
          icon={<ListRegular />}
          disabled={!id || job.running}
          onClick={() => id && loadChoices(id)}
          data-testid="channel-choices"
        >
          Load apps and roles
        </ToolbarButton>
        <ToolbarButton
          icon={<CloudArrowUpRegular />}
          disabled={!id || !ready || job.running}
          onClick={() => {
            onPush?.();
            if (id)
              run(
                "Creating or updating the channel provider in Dynamics…",
                (name) => online.push(id, inputs, name),
                (pushed) => {
                  setResult(pushed);
                  share({ providerPushedAt: Date.now() });
                },
                "Stopped waiting for Dynamics. If the request had reached it, the channel provider may have been created or updated: push again (it updates the provider of the same name) or run the Doctor to see.",
              );
          }}
          data-testid="channel-push"
        >
          Create or update in Dynamics
        </ToolbarButton>
      </Commands>
      <div className={styles.row}>
        <AccountPicker list={list} id={id} onChange={setId} />
      </div>
      {job.running && <Busy label={doing} onCancel={job.cancel} cancelTestId="channel-online-cancel" />}
      {loaded && <Text data-testid="channel-choices-loaded">{loaded}</Text>}
      <Notice notice={message} onDismiss={() => setMessage(null)} testId="channel-push-error" />
      {result && (
        <div data-testid="channel-push-result">
          <Text>
            {result.created ? `Created the channel provider \u201c${inputs.name}\u201d in Dynamics.` : `Updated the channel provider \u201c${inputs.name}\u201d in Dynamics.`}
            {!result.created && result.changes.length === 0 && " Nothing needed to change."}
          </Text>
          {result.changes.length > 0 && (
            <ul className={styles.changes} aria-label={result.created ? "Values set" : "Values changed"}>
              {result.changes.map((c) => (
                <li key={c.column}>{changeText(c, result.created)}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
