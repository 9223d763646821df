// Bright Pattern connections, beside the Dynamics accounts: the list (each with Test and
// Remove), and a form to add one. The API secret goes once to Rust, into the keychain;
// the page only learns whether one is stored.
import { useState } from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  Subtitle2,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular, DeleteRegular, PlugConnectedRegular, SaveRegular } from "@fluentui/react-icons";
import { brightPattern, errorMessage, type Connection, type ConnectionView } from "../../api";
import { ConfirmButton } from "../../components/ConfirmButton";
import { FitTable, TextCell } from "../../components/DataTable";
import { FindingsList, fieldValidation, notBeside } from "../../components/FindingsList";
import { Notice, failure, type NoticeText } from "../../components/Notice";
import { reloadBpConnections, useBpConnections } from "../../components/bpConnections";
import { useLatest } from "../../shell/useLatest";
import { useTouched } from "../../shell/useTouched";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  grid: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(300px, 1fr))", gap: tokens.spacingHorizontalL, alignItems: "start" },
  row: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap", alignItems: "center" },
  actions: { width: "200px" },
});

const NEW_CONNECTION: Connection = { id: "", name: "", url: "", login: "", simulator: false };

const FIELDS: { key: "name" | "url" | "login"; label: string; hint: string }[] = [
  { key: "name", label: "Name", hint: "Unique among your Bright Pattern connections" },
  { key: "url", label: "API URL", hint: "The address you sign in to, e.g. https://example.brightpattern.com" },
  { key: "login", label: "Login ID", hint: "The API user's Login ID (Users page)" },
];
const SECRET = "API secret";

export function BpConnections() {
  const styles = useStyles();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const say = (text: string) => setNotice({ intent: "success", text });
  const fail = (e: unknown) => setNotice(failure(e));
  const list = useBpConnections(fail);
  const [testing, setTesting] = useState<string | null>(null);
  const test = (view: ConnectionView) => {
    setTesting(view.connection.id);
    setNotice(null);
    brightPattern
      .test(view.connection.id)
      .then((result) => say(`${view.connection.name}: ${result.message}`), fail)
      .finally(() => setTesting(null));
  };
  const remove = (view: ConnectionView) =>
    brightPattern.remove(view.connection.id).then(
      () => reloadBpConnections().then(() => say(`Removed ${view.connection.name}; its API secret is deleted from the keychain.`)),
      fail,
    );

  return (
    <section className={styles.section} aria-labelledby="bp-connections">
      <Subtitle2 as="h3" id="bp-connections">
        Bright Pattern connections
      </Subtitle2>
      {list.length > 0 && (
        <FitTable label="Bright Pattern connections" testId="bp-connections">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>API URL</TableHeaderCell>
              <TableHeaderCell>Login ID</TableHeaderCell>
              <TableHeaderCell className={styles.actions}>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.map((view) => (
              <TableRow key={view.connection.id} data-testid="bp-connection">
                <TextCell text={[view.connection.name, view.connection.simulator && "(simulator)"].filter(Boolean).join(" ")} />
                <TextCell text={view.connection.url} />
                <TextCell text={view.connection.login} />
                <TableCell>
                  <Button size="small" icon={<PlugConnectedRegular />} disabled={testing !== null} onClick={() => test(view)} data-testid="bp-test">
                    Test
                  </Button>{" "}
                  <ConfirmButton
                    label="Remove"
                    icon={<DeleteRegular />}
                    size="small"
                    title={`Remove ${view.connection.name}?`}
                    consequence="The connection leaves Dynbridge and its API secret is deleted from the keychain. Nothing changes in Bright Pattern."
                    onConfirm={() => void remove(view)}
                    testId="bp-remove"
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </FitTable>
      )}
      <Notice notice={notice} onDismiss={() => setNotice(null)} testId="bp-status" />
      {adding ? (
        <AddConnection
          onAdded={(view) => {
            setAdding(false);
            void reloadBpConnections().then(() => say(`Added ${view.connection.name}; its API secret is in the keychain. Try Test.`));
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <div>
          <Button icon={<AddRegular />} onClick={() => setAdding(true)} data-testid="bp-add">
            Add Bright Pattern connection
          </Button>
        </div>
      )}
    </section>
  );
}

function AddConnection({ onAdded, onCancel }: { onAdded: (view: ConnectionView) => void; onCancel: () => void }) {
  const styles = useStyles();
  const [connection, setConnection] = useState<Connection>(NEW_CONNECTION);
  const [secret, setSecret] = useState("");
  const [error, setError] = useState<string | null>(null);
  const touched = useTouched();
  const validated = useLatest(() => brightPattern.validate(connection), JSON.stringify(connection)) ?? [];
  const findings = [
    ...validated,
    ...(secret.trim() === ""
      ? [{ field: SECRET, severity: "error" as const, code: "bp.secret_missing", message: "enter the API user's API secret", fix: null, guide_step: null, span: null }]
      : []),
  ];
  const add = () => {
    touched.touchAll();
    if (findings.some((f) => f.severity === "error")) return;
    setError(null);
    brightPattern.add(connection, secret).then(onAdded, (e: unknown) => setError(errorMessage(e)));
  };
  return (
    <div className={styles.section}>
      <div className={styles.grid}>
        {FIELDS.map(({ key, label, hint }) => (
          <Field key={key} label={label} hint={hint} {...fieldValidation(findings, label, touched.shows(label))}>
            <Input
              value={connection[key]}
              onChange={(_, d) => setConnection({ ...connection, [key]: d.value })}
              onBlur={() => touched.touch(label)}
              data-testid={`bp-${key}`}
            />
          </Field>
        ))}
        <Field label={SECRET} hint="Generated on the API user's Users page; kept in the keychain" {...fieldValidation(findings, SECRET, touched.shows(SECRET))}>
          <Input type="password" value={secret} onChange={(_, d) => setSecret(d.value)} onBlur={() => touched.touch(SECRET)} data-testid="bp-secret" />
        </Field>
        <Field label="Simulator connection" hint="Only for Dynbridge's own simulator: lets the address be on this computer">
          <Checkbox
            checked={connection.simulator}
            onChange={(_, d) => setConnection({ ...connection, simulator: d.checked === true })}
            label="Address on this computer"
            data-testid="bp-simulator"
          />
        </Field>
      </div>
      {touched.any && <FindingsList findings={notBeside(findings, [...FIELDS.map((f) => f.label), SECRET]).filter((f) => f.severity !== "info")} label="Connection findings" />}
      <div className={styles.row}>
        <Button appearance="primary" icon={<SaveRegular />} onClick={add} data-testid="bp-save">
          Add connection
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
      <Notice notice={error ? { intent: "error", text: error } : null} onDismiss={() => setError(null)} testId="bp-error" />
    </div>
  );
}
