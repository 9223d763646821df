// Pushing the channel provider to Dynamics with the account chosen here: load the org's
// apps and roles (chosen by name in the form above), then create or update the record
// (matched by name) and see what changed. Both actions are in the page's command bar.
import { useState } from "react";
import { Subtitle2, Text, ToolbarButton, makeStyles, tokens } from "@fluentui/react-components";
import { CloudArrowUpRegular, ListRegular } from "@fluentui/react-icons";
import { errorMessage, online, type ChannelInputs, type OrgChoices, type PushResult } from "../../api";
import { AccountPicker, useAccounts } from "../../components/AccountPicker";
import { Commands } from "../../components/CommandBar";
import { Notice } from "../../components/Notice";
import { share } from "../../shell/shared";
import { changeText } from "./pushWords";

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
  const [message, setMessage] = useState<string | null>(null);
  const run = <T,>(action: Promise<T>, done: (value: T) => void) => {
    setMessage(null);
    action.then(done, (e: unknown) => setMessage(errorMessage(e)));
  };
  const [loaded, setLoaded] = useState<string | null>(null);

  if (list.length === 0) return null;
  return (
    <section className={styles.section} aria-labelledby="push-title">
      <Subtitle2 as="h3" id="push-title">
        Push to Dynamics
      </Subtitle2>
      <Commands order={1}>
        <ToolbarButton
          icon={<ListRegular />}
          disabled={!id}
          onClick={() =>
            id &&
            run(online.choices(id), (choices) => {
              onChoices(choices);
              setLoaded(`Loaded ${choices.apps.length} apps and ${choices.roles.length} roles: choose them by name in the form above.`);
            })
          }
          data-testid="channel-choices"
        >
          Load apps and roles
        </ToolbarButton>
        <ToolbarButton
          icon={<CloudArrowUpRegular />}
          disabled={!id || !ready}
          onClick={() => {
            onPush?.();
            if (id)
              run(online.push(id, inputs), (pushed) => {
                setResult(pushed);
                share({ providerPushedAt: Date.now() });
              });
          }}
          data-testid="channel-push"
        >
          Create or update in Dynamics
        </ToolbarButton>
      </Commands>
      <div className={styles.row}>
        <AccountPicker list={list} id={id} onChange={setId} />
      </div>
      {loaded && <Text data-testid="channel-choices-loaded">{loaded}</Text>}
      <Notice notice={message ? { intent: "error", text: message } : null} onDismiss={() => setMessage(null)} testId="channel-push-error" />
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
