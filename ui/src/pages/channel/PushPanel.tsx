// Pushing the channel provider to Dynamics: choose the org's apps and roles, then
// create or update the record (matched by name) and see what changed.
import { useState } from "react";
import { Button, Checkbox, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { CloudArrowUpRegular, ListRegular } from "@fluentui/react-icons";
import { errorMessage, online, type ChannelInputs, type OrgChoices, type PushResult } from "../../api";
import { AccountPicker, useAccounts } from "../../components/AccountPicker";
import { share } from "../../shell/shared";
import { changeText } from "./pushWords";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
  columns: { display: "grid", gridTemplateColumns: "1fr 1fr", gap: tokens.spacingHorizontalL },
  changes: { margin: 0, overflowWrap: "anywhere" },
});

export function PushPanel({
  inputs,
  onChange,
  ready,
  onPush,
}: {
  inputs: ChannelInputs;
  onChange: (inputs: ChannelInputs) => void;
  ready: boolean;
  /** Heard when Create or update is pressed (the form then shows every field's problem). */
  onPush?: () => void;
}) {
  const styles = useStyles();
  const { list, id, setId } = useAccounts();
  const [choices, setChoices] = useState<OrgChoices | null>(null);
  const [result, setResult] = useState<PushResult | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const run = <T,>(action: Promise<T>, done: (value: T) => void) => {
    setMessage(null);
    action.then(done, (e: unknown) => setMessage(errorMessage(e)));
  };
  const toggle = (key: "apps" | "roles", value: string, on: boolean) =>
    onChange({ ...inputs, [key]: on ? [...inputs[key], value] : inputs[key].filter((v) => v !== value) });

  if (list.length === 0) return null;
  return (
    <section className={styles.section} aria-labelledby="push-title">
      <Subtitle2 as="h3" id="push-title">
        Push to Dynamics
      </Subtitle2>
      <div className={styles.row}>
        <AccountPicker list={list} id={id} onChange={setId} />
        <Button icon={<ListRegular />} disabled={!id} onClick={() => id && run(online.choices(id), setChoices)} data-testid="channel-choices">
          Choose apps and roles
        </Button>
        <Button appearance="primary" icon={<CloudArrowUpRegular />} disabled={!id || !ready} onClick={() => {
            onPush?.();
            if (id)
              run(online.push(id, inputs), (pushed) => {
                setResult(pushed);
                share({ providerPushedAt: Date.now() });
              });
          }} data-testid="channel-push">
          Create or update the channel provider
        </Button>
      </div>
      {choices && (
        <div className={styles.columns}>
          <div>
            <Text weight="semibold">Unified Interface apps</Text>
            {choices.apps.map((app) => (
              <Checkbox key={app.id} label={app.name} checked={inputs.apps.includes(app.id)} onChange={(_, d) => toggle("apps", app.id, d.checked === true)} />
            ))}
          </div>
          <div>
            <Text weight="semibold">Roles</Text>
            {choices.roles.map((role) => (
              <Checkbox key={role.id} label={role.name} checked={inputs.roles.includes(role.id)} onChange={(_, d) => toggle("roles", role.id, d.checked === true)} />
            ))}
          </div>
        </div>
      )}
      {message && <Text role="alert">{message}</Text>}
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
