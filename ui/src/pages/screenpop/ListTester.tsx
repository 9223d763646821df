// Testing the Screenpop URL: load a list (chosen, recent or dropped on the window), pick
// a row, see what Bright Pattern would send and which Dynamics record opens; check every
// row; turn a row into the hardcoded-ID form the guide's troubleshooting uses. Choosing
// a list and checking every row are in the page's command bar, each busy while it runs;
// a check made for another Screenpop URL or list is marked stale.
import { useRef, useState } from "react";
import {
  Button,
  Caption1,
  Field,
  Input,
  SpinButton,
  Spinner,
  Subtitle2,
  TableBody,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  ToolbarButton,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { CheckmarkCircleRegular, FolderOpenRegular, OpenRegular, WrenchRegular } from "@fluentui/react-icons";
import {
  errorMessage,
  openInBrowser,
  pickListFile,
  screenpop,
  CANCELLED_ERROR,
  cancelJob,
  type ListCheck,
  type TableSummary,
} from "../../api";
import type { Screenpop } from "../../api/bindings/Screenpop";
import { Commands } from "../../components/CommandBar";
import { CopyValue } from "../../components/CopyValue";
import { RecentFiles } from "../../components/RecentFiles";
import { Notice, StaleWarning } from "../../components/Notice";
import { share, useShared } from "../../shell/shared";
import { useFileDrop } from "../../shell/useFileDrop";
import { newJobName } from "../../shell/useJob";
import { useLatest } from "../../shell/useLatest";
import { VerifyPanel } from "./VerifyPanel";
import { FindingsList } from "../../components/FindingsList";
import { FitTable, OneLineCell, TextCell } from "../../components/DataTable";
import { Busy } from "../../components/Busy";

const PAGE_SIZE = 8;

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalL, alignItems: "end", flexWrap: "wrap" },
  // The list's line while a file is dragged over the window: dropping it loads it.
  dropping: {
    padding: tokens.spacingVerticalS,
    border: `2px dashed ${tokens.colorBrandStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorBrandBackground2,
  },
  grow: { flexGrow: 1, minWidth: "280px" },
  rowColumn: { width: "96px" },
  selected: { backgroundColor: tokens.colorBrandBackground2 },
});

export function ListTester({
  text,
  parsed,
  onTroubleshoot,
  initialList,
}: {
  text: string;
  parsed: Screenpop | null;
  onTroubleshoot: (text: string) => void;
  /** A list handed over by the Lists page, already loaded on the Rust side. */
  initialList: TableSummary | null;
}) {
  const styles = useStyles();
  const [list, setList] = useState<TableSummary | null>(initialList);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [row, setRow] = useState(1);
  /** The last check of every row, with the Screenpop URL and list it was made for. */
  const [check, setCheck] = useState<{ result: ListCheck; text: string; list: TableSummary | null } | null>(null);
  const [checking, setChecking] = useState(false);
  /** The file being loaded, while its load runs, and whether Cancel was pressed. */
  const [loading, setLoading] = useState<{ path: string; stopping: boolean } | null>(null);
  /** The load under way's job name: Cancel or a newer choice stops it. */
  const loadingJob = useRef<string | null>(null);
  // A list handed over later (the page stays mounted) replaces the one shown.
  const [handed, setHanded] = useState(initialList);
  if (initialList !== handed) {
    setHanded(initialList);
    setList(initialList);
    setRow(1);
    setCheck(null);
  }
  // The Dynamics URL typed here, or else the one last typed on another page.
  const [typedOrg, setOrg] = useState<string | null>(null);
  const shared = useShared();
  const org = typedOrg ?? shared.org;
  const [appId, setAppId] = useState("");
  const [openError, setOpenError] = useState<string | null>(null);

  const choose = async () => {
    try {
      const path = await pickListFile();
      if (path) await load(path);
    } catch (e) {
      setLoadError(errorMessage(e));
    }
  };
  // Rust drops a list whose load was cancelled in time and answers "cancelled"; a list
  // it answers with is the one it holds (even when Cancel came too late), so it shows.
  const load = async (path: string) => {
    if (loadingJob.current) void cancelJob(loadingJob.current);
    const job = newJobName();
    loadingJob.current = job;
    setLoading({ path, stopping: false });
    try {
      const summary = await screenpop.loadList(path, job);
      setList(summary);
      setLoadError(null);
      setRow(1);
      setCheck(null);
    } catch (e) {
      const message = errorMessage(e);
      if (message !== CANCELLED_ERROR) setLoadError(message);
    } finally {
      if (loadingJob.current === job) {
        loadingJob.current = null;
        setLoading(null);
      }
    }
  };
  const stopLoading = () => {
    if (!loadingJob.current) return;
    void cancelJob(loadingJob.current);
    setLoading((shown) => shown && { ...shown, stopping: true });
  };
  const dropping = useFileDrop((path) => void load(path));

  // The chosen row's number in the spreadsheet, which the page shows throughout.
  const shownRow = useLatest(list ? () => screenpop.rows(row, 1) : null, JSON.stringify([row, list]));
  const sheetRow = shownRow?.sheet_rows[0];

  const needsList = parsed?.id.kind === "column";
  const canRender = parsed !== null && (!needsList || list !== null);
  const rendered = useLatest(
    canRender ? () => screenpop.render(text, row, org, appId) : null,
    JSON.stringify([text, row, org, appId, list]),
  );

  const runCheck = () => {
    const made = { text, list };
    setChecking(true);
    screenpop
      .check(text)
      .then(
        (result) => setCheck({ result, ...made }),
        (e: unknown) => setLoadError(errorMessage(e)),
      )
      .finally(() => setChecking(false));
  };

  const open = (url: string) => {
    openInBrowser(url).then(
      () => setOpenError(null),
      (e: unknown) => setOpenError(errorMessage(e)),
    );
  };

  return (
    <section className={styles.section} aria-labelledby="test-title">
      <Subtitle2 as="h3" id="test-title">
        Test
      </Subtitle2>
      <Commands order={1}>
        <ToolbarButton icon={<FolderOpenRegular />} onClick={() => void choose()} data-testid="choose-list">
          Choose list…
        </ToolbarButton>
        <RecentFiles page="screenpop" onOpen={(path) => void load(path)} onError={setLoadError} />
        {list && needsList && (
          <>
            <ToolbarButton icon={<CheckmarkCircleRegular />} disabled={checking} onClick={runCheck} data-testid="check-list">
              Check every row
            </ToolbarButton>
            {checking && <Spinner size="tiny" label="Checking every row…" data-testid="check-running" />}
          </>
        )}
      </Commands>
      <div className={mergeClasses(styles.row, dropping && styles.dropping)} data-testid="screenpop-drop-zone">
        {list ? (
          <Text data-testid="list-summary">
            {list.path}: {list.rows.toLocaleString()} rows, columns {list.headers.join(", ")}
          </Text>
        ) : (
          <Caption1>
            A Bright Pattern calling list (CSV), e.g. one made on the Lists page: choose it at the top of the page, or drop it on the window.
          </Caption1>
        )}
        {loading && (
          <Busy
            label={loading.stopping ? "Stopping…" : `Opening ${loading.path.replace(/^.*[\\/]/, "")}…`}
            onCancel={stopLoading}
            testId="list-loading"
            cancelTestId="list-loading-cancel"
          />
        )}
      </div>
      <Notice notice={loadError ? { intent: "error", text: loadError } : null} onDismiss={() => setLoadError(null)} />
      <div className={styles.row}>
        <Field label="Dynamics URL" hint="Where agents open Dynamics, e.g. https://contoso.crm.dynamics.com" className={styles.grow}>
          <Input
            value={org}
            onChange={(_, d) => {
              setOrg(d.value);
              share({ org: d.value });
            }}
            data-testid="org-url"
          />
        </Field>
        <Field label="App ID (optional)" hint="The appid= of your model-driven app">
          <Input value={appId} onChange={(_, d) => setAppId(d.value)} />
        </Field>
        {list && (
          <Field label="Row" hint="As the spreadsheet numbers it">
            <SpinButton
              min={1}
              max={Math.max(1, list.rows)}
              value={row}
              displayValue={String(sheetRow ?? "")}
              onChange={(_, data) => {
                // The arrows step through the list; a typed number is a spreadsheet row.
                if (data.value !== undefined && data.value !== null) setRow(Math.min(Math.max(1, data.value), Math.max(1, list.rows)));
                else if (/^\d+$/.test(data.displayValue?.trim() ?? ""))
                  screenpop.findRow(Number(data.displayValue)).then((found) => found && setRow(found), (e: unknown) => setLoadError(errorMessage(e)));
              }}
              data-testid="row-number"
            />
          </Field>
        )}
      </div>
      {list && <RowPicker list={list} row={row} onPick={setRow} />}
      {rendered && (
        <>
          <FindingsList findings={rendered.findings} label="Rendering findings" />
          {rendered.show_object && <CopyValue label="What Bright Pattern sends" value={rendered.show_object} testId="rendered-show-object" />}
          {rendered.record_url && <CopyValue label="Record URL" value={rendered.record_url} testId="rendered-record-url" />}
          <div className={styles.row}>
            <Button
              icon={<OpenRegular />}
              disabled={!rendered.record_url}
              onClick={() => rendered.record_url && open(rendered.record_url)}
              data-testid="open-record"
            >
              Open in Dynamics
            </Button>
            <Button
              icon={<WrenchRegular />}
              disabled={!rendered.hardcoded || !needsList}
              onClick={() => rendered.hardcoded && onTroubleshoot(rendered.hardcoded)}
              data-testid="troubleshoot"
            >
              Hardcode this row&apos;s ID
            </Button>
          </div>
          {openError && <span role="alert">{openError}</span>}
        </>
      )}
      {check && list && needsList && <CheckResult check={check.result} stale={check.text !== text || check.list !== list} />}
      <VerifyPanel text={text} target={parsed && { list: list && needsList ? list : null, rowId: rendered?.id ?? null }} />
    </section>
  );
}

function RowPicker({ list, row, onPick }: { list: TableSummary; row: number; onPick: (row: number) => void }) {
  const styles = useStyles();
  const first = Math.floor((row - 1) / PAGE_SIZE) * PAGE_SIZE + 1;
  const page = useLatest(() => screenpop.rows(first, PAGE_SIZE), JSON.stringify([first, list]));
  if (!page) return null;
  return (
    <FitTable label="List rows" minWidth={96 + list.headers.length * 120} testId="list-rows">
      <TableHeader>
        <TableRow>
          <TableHeaderCell className={styles.rowColumn}>Row</TableHeaderCell>
          {list.headers.map((h) => (
            <TableHeaderCell key={h} title={h}>
              {h}
            </TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {page.rows.map((cells, i) => {
          const number = page.first + i;
          return (
            <TableRow key={number} className={number === row ? styles.selected : undefined} aria-selected={number === row}>
              <OneLineCell>
                <Button appearance="subtle" size="small" onClick={() => onPick(number)}>
                  {page.sheet_rows[i] ?? number}
                </Button>
              </OneLineCell>
              {list.headers.map((h, c) => (
                <TextCell key={h} text={cells[c] ?? ""} />
              ))}
            </TableRow>
          );
        })}
      </TableBody>
    </FitTable>
  );
}

function CheckResult({ check, stale }: { check: ListCheck; stale: boolean }) {
  return (
    <div data-testid="check-result">
      {stale && (
        <StaleWarning
          testId="check-stale"
          text="This check was made for another Screenpop URL or list than the ones shown now. Check every row again to get the result for them."
        />
      )}
      <Text>
        {check.rows.toLocaleString()} rows: {check.valid.toLocaleString()} valid, {check.empty.count} empty,{" "}
        {check.malformed.count} malformed, {check.duplicates.count} duplicates.
      </Text>
      <FindingsList findings={check.findings} label="List check findings" />
    </div>
  );
}
