// The Accounts page: a command bar (Add account, Import…, Try the demo tenant), the
// integration accounts, and the selected one's form, Request token and Test connection
// (unsaved edits ask before another account replaces them, whether chosen in the table,
// imported or the demo tenant's; an import replacing the very account edited asks before
// it runs); below, the Bright Pattern connections.
import { useCallback, useEffect, useRef, useState } from "react";
import {
  Button,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  ToolbarButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular, ArrowImportRegular, BeakerRegular } from "@fluentui/react-icons";
import { accounts, pickFile, type Account, type AccountView, type NameClash } from "../../api";
import { reloadAccounts } from "../../components/AccountPicker";
import { reloadBpConnections } from "../../components/bpConnections";
import { CommandBar } from "../../components/CommandBar";
import { FitTable, OneLineCell, TextCell } from "../../components/DataTable";
import { Notice, failure, type NoticeText } from "../../components/Notice";
import { AccountForm } from "./AccountForm";
import { BpConnections } from "./BpConnections";
import { DiscardDialog } from "./DiscardDialog";
import { ImportConfirm } from "./ImportConfirm";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXL },
  name: { width: "34%" },
  status: { width: "240px" },
  nameButton: { minWidth: 0, maxWidth: "100%", justifyContent: "start", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", display: "block" },
});

export const NEW_ACCOUNT: Account = {
  id: "",
  name: "",
  default: false,
  tenant: "",
  authorization_url: "",
  token_url: "",
  api_url: "",
  client_id: "",
  secret_expires: null,
  refresh_token_used: null,
  simulator: false,
};

/** The account of `id` among `views`, or null. */
const find = (views: AccountView[], id: string) => views.find((v) => v.account.id === id) ?? null;

/** Whether an imported account's name is a stored account's, as the import matches names. */
const sameName = (stored: string, imported: string) => stored.toLowerCase() === imported.trim().toLowerCase();

export function AccountsPage() {
  const styles = useStyles();
  const [list, setList] = useState<AccountView[] | null>(null);
  const [selected, setSelectedNow] = useState<AccountView | "new" | null>(null);
  /** Whether the form holds unsaved edits (it says so itself, also when it opens). */
  const dirty = useRef(false);
  const onDirty = useCallback((edited: boolean) => {
    dirty.current = edited;
  }, []);
  /** Each form opened anew (its edits dropped), even for the account shown: its key. */
  const [opened, setOpened] = useState(0);
  /** Shows `next` in a new form, dropping any unsaved edits. */
  const setSelected = useCallback((next: AccountView | "new" | null) => {
    dirty.current = false;
    setOpened((n) => n + 1);
    setSelectedNow(next);
  }, []);
  /** What waits for the discard question while the form holds unsaved edits, and what to say if they are kept. */
  const [pending, setPending] = useState<{ then: () => void; kept?: NoticeText } | null>(null);
  /** Shows `next` in the form, asking first if that drops unsaved edits. */
  const select = useCallback(
    (next: AccountView | "new" | null) => (dirty.current ? setPending({ then: () => setSelected(next) }) : setSelected(next)),
    [setSelected],
  );
  /** The last outcome to tell: an error, or what an action did (each replaces the one before). */
  const [notice, setNotice] = useState<NoticeText | null>(null);
  /** Reads the accounts again; the list, or null when that failed (and says why). */
  const reload = useCallback(
    () =>
      reloadAccounts().then(
        (views) => {
          setList(views);
          return views;
        },
        (e: unknown) => {
          setNotice(failure(e));
          return null;
        },
      ),
    [],
  );
  /** After the form's account changed (saved, made default, signed in): the form shows it as stored, keeping any
   * edits, if it still shows that account or the new one just saved as it (a sign-in may end after another was chosen). */
  const refresh = (id: string) =>
    reload().then((views) => views && setSelectedNow((shown) => (shown === "new" || shown?.account.id === id ? find(views, id) : shown)));
  /** Another account to show (imported, the demo's): the form changes to it once any unsaved edits may go. */
  const show = useCallback((id: string) => reload().then((views) => views && select(find(views, id))), [reload, select]);
  const [demoRunning, setDemoRunning] = useState(false);
  const tryDemo = useCallback(() => {
    setDemoRunning(true);
    accounts.demo().then(
      // The notice appears once the form shows the new account, so what it points at is there.
      (view) =>
        Promise.all([show(view.account.id), reloadBpConnections()]).then(() =>
          setNotice({
            intent: "success",
            text: `${view.account.name} ready: a local simulator with sample data, signed in, and a Bright Pattern connection to its contact center. Try Test connection, the Doctor, and Send to Bright Pattern on the Lists page.`,
          }),
        ),
      (e: unknown) => setNotice(failure(e)),
    ).finally(() => setDemoRunning(false));
  }, [show]);
  const [importing, setImporting] = useState<{ path: string; account: Account } | null>(null);
  const chooseImport = useCallback(async () => {
    const path = await pickFile({ name: "Dynbridge account", extensions: ["json"] });
    if (path === null) return;
    setNotice(null);
    await accounts.importPreview(path).then(
      (account) => setImporting({ path, account }),
      (e: unknown) => setNotice(failure(e)),
    );
  }, []);
  const importAccount = ({ path, account }: { path: string; account: Account }, clash: NameClash) => {
    setImporting(null);
    const run = () =>
      accounts.import(path, clash).then(
        (view) =>
          show(view.account.id).then(() =>
            setNotice({ intent: "success", text: `Imported ${view.account.name}. Enter its Client Secret, Save, then Request token.` }),
          ),
        (e: unknown) => setNotice(failure(e)),
      );
    // Replacing the account whose unsaved edits the form holds: asked before anything is
    // replaced; discarding shows it as stored until the import shows the replacement.
    const edited = selected !== null && selected !== "new" ? selected : null;
    if (clash === "replace" && dirty.current && edited && sameName(edited.account.name, account.name))
      setPending({
        then: () => {
          setSelected(edited);
          void run();
        },
        kept: { intent: "info", text: `Nothing was imported: ${edited.account.name} and your unsaved edits to it are as they were.` },
      });
    else void run();
  };
  useEffect(() => {
    void reload();
    accounts.demoRequested().then(
      (requested) => requested && tryDemo(),
      () => {},
    );
  }, [reload, tryDemo]);

  return (
    <div className={styles.page}>
      <CommandBar
        label="Integration accounts"
        testId="accounts-bar"
        actions={
          <>
            <ToolbarButton icon={<AddRegular />} onClick={() => select("new")} data-testid="account-add">
              Add account
            </ToolbarButton>
            <ToolbarButton icon={<ArrowImportRegular />} onClick={() => void chooseImport()} data-testid="account-import">
              Import…
            </ToolbarButton>
            <ToolbarButton icon={<BeakerRegular />} disabled={demoRunning} onClick={tryDemo} data-testid="account-demo">
              Try the demo tenant
            </ToolbarButton>
          </>
        }
      />
      <Notice notice={notice} onDismiss={() => setNotice(null)} testId="account-status" />
      <FitTable label="Integration accounts" testId="accounts-table">
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.name}>Name</TableHeaderCell>
            <TableHeaderCell>API URL</TableHeaderCell>
            <TableHeaderCell className={styles.status}>Status</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {list?.length === 0 && (
            <TableRow>
              <TableCell colSpan={3} data-testid="accounts-empty">
                No integration accounts yet. Add one with the values of your Entra ID app registration, import one a colleague exported, or try the demo tenant first.
              </TableCell>
            </TableRow>
          )}
          {list?.map((view) => {
            const errors = view.findings.filter((f) => f.severity === "error").length;
            return (
              <TableRow key={view.account.id}>
                <OneLineCell>
                  <Button appearance="subtle" className={styles.nameButton} onClick={() => select(view)} title={view.account.name}>
                    {view.account.name}
                  </Button>
                </OneLineCell>
                <TextCell text={view.account.api_url} />
                <TextCell
                  text={[
                    errors > 0 ? `${errors} to fix` : view.has_refresh_token ? "Token stored" : "No token yet",
                    view.account.default && "Default",
                    view.account.simulator && "Simulator",
                  ]
                    .filter(Boolean)
                    .join(" \u00b7 ")}
                />
              </TableRow>
            );
          })}
        </TableBody>
      </FitTable>
      {pending && (
        <DiscardDialog
          name={selected === "new" ? "the new account" : (selected?.account.name ?? "this account")}
          onDiscard={() => {
            pending.then();
            setPending(null);
          }}
          onKeep={() => {
            if (pending.kept) setNotice(pending.kept);
            setPending(null);
          }}
        />
      )}
      {importing && (
        <ImportConfirm
          account={importing.account}
          nameTaken={(list ?? []).some((v) => sameName(v.account.name, importing.account.name))}
          onImport={(clash) => importAccount(importing, clash)}
          onCancel={() => setImporting(null)}
        />
      )}
      {selected && (
        <AccountForm
          key={`${selected === "new" ? "new" : selected.account.id}-${opened}`}
          view={selected === "new" ? null : selected}
          onSaved={(id) => void refresh(id).then(() => setNotice(null))}
          onDirty={onDirty}
          onRemoved={(name) => {
            setSelected(null);
            void reload().then(() =>
              setNotice({ intent: "success", text: `Removed ${name}; its client secret and refresh token are deleted from the keychain.` }),
            );
          }}
        />
      )}
      <BpConnections />
    </div>
  );
}
