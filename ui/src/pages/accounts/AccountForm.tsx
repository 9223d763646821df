// One integration account with Bright Pattern's field names, each field's problem beside
// it once the field is touched (or Save pressed), the redirect URIs to register, and the
// connection actions; its own actions in a command bar above the fields. Tells its page
// whether it holds unsaved edits. When the page shows the account again as stored (after
// Make default, Save or sign-in), each field not edited shows its stored value and the
// edits stay.
import { useEffect, useState } from "react";
import {
  Checkbox,
  Field,
  Input,
  Subtitle2,
  ToolbarButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowExportRegular, DeleteRegular, SaveRegular, StarRegular } from "@fluentui/react-icons";
import { accounts, errorMessage, pickSavePath, type Account, type AccountView } from "../../api";
import { CommandBar } from "../../components/CommandBar";
import { ConfirmButton } from "../../components/ConfirmButton";
import { CopyValue } from "../../components/CopyValue";
import { FindingsList, fieldValidation, notBeside } from "../../components/FindingsList";
import { GuideText } from "../../components/GuideReference";
import { REGISTER_REDIRECT_URI } from "../../components/guide";
import { Notice } from "../../components/Notice";
import { useConfirm } from "../../shell/toasts";
import { useLatest } from "../../shell/useLatest";
import { useTouched } from "../../shell/useTouched";
import { ConnectionPanel } from "./ConnectionPanel";
import { NEW_ACCOUNT } from "./AccountsPage";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  grid: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(300px, 1fr))",
    gap: tokens.spacingHorizontalL,
    alignItems: "start",
  },
});

type TextKey = "name" | "tenant" | "authorization_url" | "token_url" | "api_url" | "client_id";

const FIELDS: { key: TextKey; label: string; hint: string }[] = [
  { key: "name", label: "Name", hint: "Unique; as in Bright Pattern's Integration Accounts" },
  { key: "tenant", label: "Bright Pattern tenant", hint: "e.g. example, for the redirect URI to register" },
  { key: "authorization_url", label: "Authorization URL", hint: "OAuth 2.0 authorization endpoint (v1), from Endpoints (Section A, step 5)" },
  { key: "token_url", label: "Token URL", hint: "OAuth 2.0 token endpoint (v1)" },
  { key: "api_url", label: "API URL", hint: "https://<org>.crm.dynamics.com/api/data/v9.0" },
  { key: "client_id", label: "Client ID", hint: "Application (client) ID (Section A, step 3)" },
];

/** The date as the Azure portal and ISO write it; the field also accepts nothing. */
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SECRET_EXPIRES = "Secret expires";
const FIELD_LABELS = [...FIELDS.map((f) => f.label), "Client Secret", SECRET_EXPIRES];

/** The form's `edited` account moved from the stored `before` to `after`: each field not edited takes its value in `after`. */
function rebase(edited: Account, before: Account, after: Account): Account {
  const moved = { ...after };
  const keep = <K extends keyof Account>(key: K) => {
    if (edited[key] !== before[key]) moved[key] = edited[key];
  };
  (Object.keys(after) as (keyof Account)[]).forEach(keep);
  return moved;
}

export function AccountForm({
  view,
  onSaved,
  onRemoved,
  onDirty,
}: {
  view: AccountView | null;
  /** After a change (saving and exporting confirm themselves in a toast). */
  onSaved: (id: string) => void;
  /** After the account is removed, with its name. */
  onRemoved: (name: string) => void;
  /** Hears whether the form holds edits not saved yet. */
  onDirty?: (dirty: boolean) => void;
}) {
  const styles = useStyles();
  const stored = view?.account ?? NEW_ACCOUNT;
  const [account, setAccount] = useState<Account>(stored);
  const [secret, setSecret] = useState("");
  const [expires, setExpires] = useState(account.secret_expires ?? "");
  /** The stored account the edits were made on. */
  const [base, setBase] = useState(stored);
  if (stored !== base) {
    setBase(stored);
    setAccount(rebase(account, base, stored));
    if (expires === (base.secret_expires ?? "")) setExpires(stored.secret_expires ?? "");
  }
  const [error, setError] = useState<string | null>(null);
  const touched = useTouched();
  const confirm = useConfirm();
  const findings = useLatest(() => accounts.validate(account, secret || null), JSON.stringify([account, secret])) ?? [];
  const redirectUris = useLatest(() => accounts.redirectUris(account), account.tenant) ?? [];
  const set = (key: keyof Account, value: string | boolean | null) => setAccount({ ...account, [key]: value });
  const dirty = secret !== "" || JSON.stringify(account) !== JSON.stringify(stored);
  useEffect(() => onDirty?.(dirty), [dirty, onDirty]);
  const expiresWrong = expires.trim() !== "" && !DATE.test(expires.trim());
  const typeExpires = (text: string) => {
    setExpires(text);
    const date = text.trim();
    if (date === "" || DATE.test(date)) set("secret_expires", date || null);
  };

  const save = () => {
    touched.touchAll();
    if (expiresWrong) return Promise.resolve();
    return accounts.save(account, secret || null).then(
      (saved) => {
        setSecret("");
        setError(null);
        confirm("Saved", `${saved.account.name}${saved.has_secret ? "; the client secret is in the keychain" : ""}.`, "account-saved");
        onSaved(saved.account.id);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  };
  const act = (action: Promise<unknown>, done: () => void) =>
    action.then(
      () => {
        setError(null);
        done();
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  const exportAccount = async (saved: Account) => {
    const path = await pickSavePath(`${saved.name}.dynbridge-account.json`, { name: "Dynbridge account", extensions: ["json"] });
    if (path === null) return;
    await act(accounts.export(saved.id, path), () =>
      confirm("Exported", `${saved.name} to ${path}, without its client secret and refresh token.`, "account-exported"),
    );
  };

  return (
    <section className={styles.section} aria-labelledby="account-form">
      <Subtitle2 as="h3" id="account-form">
        {view ? view.account.name : "New integration account"} (Type: Microsoft Dynamics 365)
      </Subtitle2>
      <CommandBar
        label="Account actions"
        testId="account-commands"
        actions={
          <>
            <ToolbarButton appearance="primary" icon={<SaveRegular />} onClick={() => void save()} data-testid="account-save">
              Save
            </ToolbarButton>
            {view && (
              <>
                <ToolbarButton icon={<StarRegular />} disabled={view.account.default} onClick={() => void act(accounts.setDefault(view.account.id), () => onSaved(view.account.id))}>
                  Make default
                </ToolbarButton>
                <ToolbarButton icon={<ArrowExportRegular />} onClick={() => void exportAccount(view.account)} data-testid="account-export">
                  Export…
                </ToolbarButton>
                <ConfirmButton
                  label="Remove"
                  icon={<DeleteRegular />}
                  appearance="subtle"
                  title={`Remove ${view.account.name}?`}
                  consequence="The account leaves Dynbridge, and its client secret and refresh token are deleted from the keychain. Bright Pattern and Entra ID are not changed."
                  onConfirm={() => void act(accounts.remove(view.account.id), () => onRemoved(view.account.name))}
                  testId="account-remove"
                />
              </>
            )}
          </>
        }
      />
      <Notice notice={error ? { intent: "error", text: error } : null} onDismiss={() => setError(null)} testId="account-error" />
      <div className={styles.grid}>
        {FIELDS.map(({ key, label, hint }) => (
          <Field
            key={key}
            label={label}
            hint={<GuideText text={hint} />}
            {...fieldValidation(findings, label, touched.shows(label), key === "api_url" ? (value) => set(key, value) : undefined)}
          >
            <Input value={account[key]} onChange={(_, d) => set(key, d.value)} onBlur={() => touched.touch(label)} data-testid={`account-${key}`} />
          </Field>
        ))}
        <Field label="Client Secret" hint={view?.has_secret ? "Stored in the keychain; type to replace it" : <GuideText text="The secret's Value (Section A, step 4)" />} {...fieldValidation(findings, "Client Secret", touched.shows("Client Secret"))}>
          <Input
            type="password"
            value={secret}
            onChange={(_, d) => setSecret(d.value)}
            onBlur={() => touched.touch("Client Secret")}
            data-testid="account-secret"
          />
        </Field>
        <Field
          label={SECRET_EXPIRES}
          hint="As the Azure portal shows it, e.g. 2026-03-31; warned 30 days ahead. Empty: not tracked"
          {...(expiresWrong && touched.shows(SECRET_EXPIRES)
            ? { validationState: "error" as const, validationMessage: "Write the date as year-month-day, e.g. 2026-03-31.", "data-field": SECRET_EXPIRES }
            : fieldValidation(findings, SECRET_EXPIRES, touched.shows(SECRET_EXPIRES)))}
        >
          {/* Text, not a date input: WebKit shows today's date in an empty one. */}
          <Input
            value={expires}
            placeholder="Not tracked"
            onChange={(_, d) => typeExpires(d.value)}
            onBlur={() => touched.touch(SECRET_EXPIRES)}
            data-testid="account-secret-expires"
          />
        </Field>
        <Field label="Default account">
          <Checkbox checked={account.default} onChange={(_, d) => set("default", d.checked === true)} label="Use this account by default" />
        </Field>
        <Field label="Simulator account" hint="Only for Dynbridge's own simulator: lets the endpoints be on this computer">
          <Checkbox
            checked={account.simulator}
            onChange={(_, d) => set("simulator", d.checked === true)}
            label="Endpoints on this computer"
            data-testid="account-simulator"
          />
        </Field>
      </div>
      {(touched.any || view) && (
        <FindingsList findings={notBeside(findings, FIELD_LABELS).filter((f) => f.severity !== "info")} label="Account findings" />
      )}
      {redirectUris.map((uri, i) =>
        i === redirectUris.length - 1 ? (
          <CopyValue key={uri} label="Redirect URI for Dynbridge (register once; any port)" value={uri} />
        ) : (
          <CopyValue
            key={uri}
            label="Redirect URI for Bright Pattern"
            hint={<GuideText text={REGISTER_REDIRECT_URI} />}
            value={uri}
          />
        ),
      )}
      {view && <ConnectionPanel view={view} onChanged={() => onSaved(view.account.id)} />}
    </section>
  );
}
