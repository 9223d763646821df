// The UI's only door to the Rust side: typed wrappers over Tauri commands and plugins.
// Types come from ./bindings, generated from the Rust types by ts-rs.
import { Channel, invoke } from "@tauri-apps/api/core";
import { openUrl } from "@tauri-apps/plugin-opener";
import type { Account } from "./bindings/Account";
import type { AccountView } from "./bindings/AccountView";
import type { NameClash } from "./bindings/NameClash";
import type { RecentPage } from "./bindings/RecentPage";
import type { AppInfo } from "./bindings/AppInfo";
import type { BpCampaign } from "./bindings/BpCampaign";
import type { BpTestResult } from "./bindings/BpTestResult";
import type { Connection } from "./bindings/Connection";
import type { ConnectionView } from "./bindings/ConnectionView";
import type { DncChoice } from "./bindings/DncChoice";
import type { SendMode } from "./bindings/SendMode";
import type { SendProgress } from "./bindings/SendProgress";
import type { SendReport } from "./bindings/SendReport";
import type { ConnectionReport } from "./bindings/ConnectionReport";
import type { DoctorReport } from "./bindings/DoctorReport";
import type { OrgChoices } from "./bindings/OrgChoices";
import type { PushResult } from "./bindings/PushResult";
import type { VerifyReport } from "./bindings/VerifyReport";
import type { VerifyProgress } from "./bindings/VerifyProgress";
import type { ChannelBuild } from "./bindings/ChannelBuild";
import type { ChannelInputs } from "./bindings/ChannelInputs";
import type { ChannelUrlCheck } from "./bindings/ChannelUrlCheck";
import type { Finding } from "./bindings/Finding";
import type { ImportOptions } from "./bindings/ImportOptions";
import type { ImportSummary } from "./bindings/ImportSummary";
import type { Inspection } from "./bindings/Inspection";
import type { OutputColumn } from "./bindings/OutputColumn";
import type { Reject } from "./bindings/Reject";
import type { IdSource } from "./bindings/IdSource";
import type { Lint } from "./bindings/Lint";
import type { ListCheck } from "./bindings/ListCheck";
import type { ObjectType } from "./bindings/ObjectType";
import type { Rendered } from "./bindings/Rendered";
import type { RowsPage } from "./bindings/RowsPage";
import type { TableSummary } from "./bindings/TableSummary";
import { hookedPath, testHooks } from "./testHooks";

export type {
  Account,
  AccountView,
  NameClash,
  RecentPage,
  AppInfo,
  BpCampaign,
  BpTestResult,
  Connection,
  ConnectionView,
  SendMode,
  SendProgress,
  SendReport,
  ConnectionReport,
  DoctorReport,
  OrgChoices,
  PushResult,
  VerifyReport,
  VerifyProgress,
  ChannelBuild,
  ChannelInputs,
  ChannelUrlCheck,
  Finding,
  IdSource,
  ImportOptions,
  ImportSummary,
  Inspection,
  Lint,
  ListCheck,
  ObjectType,
  OutputColumn,
  Reject,
  Rendered,
  RowsPage,
  TableSummary,
};

/** Version, profile directory and keychain backend. */
export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>("app_info");
}

export const screenpop = {
  lint: (text: string) => invoke<Lint>("screenpop_lint", { text }),
  objectTypes: () => invoke<ObjectType[]>("screenpop_object_types"),
  build: (id: IdSource, object: string) => invoke<string>("screenpop_build", { id, object }),
  /** Loads the list at `path`, as the job `job` (see useJob). */
  loadList: (path: string, job: string) => invoke<TableSummary>("screenpop_load_list", { path, job }),
  rows: (first: number, count: number) => invoke<RowsPage>("screenpop_rows", { first, count }),
  /** The list's data row (1-based) that the spreadsheet numbers `sheetRow`, or null. */
  findRow: (sheetRow: number) => invoke<number | null>("screenpop_find_row", { sheetRow }),
  render: (text: string, row: number, org: string, appId: string) =>
    invoke<Rendered>("screenpop_render", { text, row, org, appId }),
  check: (text: string) => invoke<ListCheck>("screenpop_check", { text }),
};

export const channel = {
  build: (inputs: ChannelInputs) => invoke<ChannelBuild>("channel_build", { inputs }),
  check: (url: string, org: string) => invoke<ChannelUrlCheck>("channel_check", { url, org }),
  load: () => invoke<ChannelInputs>("channel_load"),
  save: (inputs: ChannelInputs) => invoke<string>("channel_save", { inputs }),
  export: (inputs: ChannelInputs, format: "json" | "markdown", path: string) =>
    invoke<null>("channel_export", { inputs, format, path }),
};

export const accounts = {
  list: () => invoke<AccountView[]>("accounts_list"),
  validate: (account: Account, secret: string | null) => invoke<Finding[]>("account_validate", { account, secret }),
  redirectUris: (account: Account) => invoke<string[]>("account_redirect_uris", { account }),
  save: (account: Account, secret: string | null) => invoke<AccountView>("account_save", { account, secret }),
  remove: (id: string) => invoke<null>("account_remove", { id }),
  setDefault: (id: string) => invoke<null>("account_set_default", { id }),
  /** Writes the account without its secrets to `path`. */
  export: (id: string, path: string) => invoke<null>("account_export", { id, path }),
  /** The account exported to `path`, read but not added: its endpoints to confirm. */
  importPreview: (path: string) => invoke<Account>("account_import_preview", { path }),
  /**
   * Adds the account exported to `path`; its client secret must be entered again.
   * `clash` says what happens when an account already has its name.
   */
  import: (path: string, clash: NameClash) => invoke<AccountView>("account_import", { path, clash }),
  /** Request token; `onUrl` hears the sign-in address to open. Resolves to findings (none when signed in). */
  login: (id: string, adminConsent: boolean, onUrl: (url: string) => void) => {
    const open = new Channel<string>();
    open.onmessage = onUrl;
    return invoke<Finding[]>("account_login", { id, adminConsent, open });
  },
  cancelLogin: () => invoke<null>("account_cancel_login"),
  /** Test connection, as the job `job` (see useJob). */
  test: (id: string, job: string) => invoke<ConnectionReport>("account_test", { id, job }),
  /** Starts the demo simulator and signs the "Demo tenant" account in. */
  demo: () => invoke<AccountView>("demo_start"),
  demoRequested: () => invoke<boolean>("demo_requested"),
};

export const online = {
  /** Verifies the loaded list's IDs (or one `id`) as the job `job`; `onProgress` hears IDs checked and any wait. */
  verify: (account: string, text: string, id: string | null, job: string, onProgress: (progress: VerifyProgress) => void) => {
    const progress = new Channel<VerifyProgress>();
    progress.onmessage = onProgress;
    return invoke<VerifyReport>("verify_ids", { account, text, id, job, progress });
  },
  exportReport: (report: VerifyReport, path: string) => invoke<null>("verify_export", { report, path }),
  choices: (account: string, job: string) => invoke<OrgChoices>("channel_choices", { account, job }),
  push: (account: string, inputs: ChannelInputs, job: string) => invoke<PushResult>("channel_push", { account, inputs, job }),
};

/** The error a job answers when it was cancelled in time (Rust's jobs::CANCELLED). */
export const CANCELLED_ERROR = "cancelled";

/** Asks the job `job` (see useJob) to stop. */
export const cancelJob = (job: string) => invoke<null>("job_cancel", { job });

export const doctor = {
  /** Runs the checks against `provider` (the Channel provider page's form; null: the saved settings). */
  run: (id: string, provider: ChannelInputs | null, job: string) => invoke<DoctorReport>("doctor_run", { id, provider, job }),
  export: (report: DoctorReport, path: string) => invoke<null>("doctor_export", { report, path }),
};

export const lists = {
  /** Opens `path` at `sheet` and header row `headerRow` (as Excel numbers it); null: as found. */
  open: (path: string, sheet: string | null, headerRow: number | null = null) =>
    invoke<Inspection>("lists_open", { path, sheet, headerRow }),
  inspect: (options: ImportOptions) => invoke<Inspection>("lists_inspect", { options }),
  /** Imports the open file; `onProgress` hears the rows read so far. */
  import: (options: ImportOptions, onProgress: (rows: number) => void) => {
    const progress = new Channel<number>();
    progress.onmessage = onProgress;
    return invoke<ImportSummary>("lists_import", { options, progress });
  },
  cancel: () => invoke<null>("lists_cancel"),
  rows: (first: number, count: number) => invoke<RowsPage>("lists_rows", { first, count }),
  rejects: (first: number, count: number) => invoke<Reject[]>("lists_rejects", { first, count }),
  save: (path: string) => invoke<string | null>("lists_save", { path }),
  toScreenpop: () => invoke<TableSummary>("lists_to_screenpop"),
};

export const brightPattern = {
  connections: () => invoke<ConnectionView[]>("bp_connections_list"),
  validate: (connection: Connection) => invoke<Finding[]>("bp_connection_validate", { connection }),
  /** Adds a connection; its API secret goes into the keychain and never comes back. */
  add: (connection: Connection, secret: string) => invoke<ConnectionView>("bp_connection_add", { connection, secret }),
  remove: (id: string) => invoke<null>("bp_connection_remove", { id }),
  test: (id: string) => invoke<BpTestResult>("bp_connection_test", { id }),
  campaigns: (id: string) => invoke<BpCampaign[]>("bp_campaigns", { id }),
  /** The checks before sending the current import to `list`. */
  preflight: (id: string, list: string, mode: SendMode) => invoke<Finding[]>("bp_preflight", { id, list, mode }),
  /** Sends the current import to `list`, then its do-not-call phones to the DNC list `dnc` (added, or replacing its numbers); `onProgress` hears each batch. */
  send: (id: string, list: string, mode: SendMode, dnc: DncChoice | null, onProgress: (progress: SendProgress) => void) => {
    const progress = new Channel<SendProgress>();
    progress.onmessage = onProgress;
    return invoke<SendReport>("bp_send", { id, list, mode, dnc, progress });
  },
  cancel: () => invoke<null>("bp_cancel"),
  /** Writes the rejected rows of `report` as CSV to `path`. */
  exportRejects: (report: SendReport, path: string) => invoke<null>("bp_rejects_export", { report, path }),
};

/** A file type offered in a dialog, e.g. "CSV" with `["csv"]`. */
export interface FileFilter {
  name: string;
  extensions: string[];
}

/**
 * Asks where to save a file with the native Save dialog, suggesting `fileName`; null
 * when cancelled. Rust shows it and lets commands write only where the user chose.
 */
export async function pickSavePath(fileName: string, filter: FileFilter): Promise<string | null> {
  const hooked = await hookedPath("saveFile");
  if (hooked !== undefined) return hooked;
  return invoke<string | null>("file_save_dialog", { fileName, filter });
}

/** Copies text to the clipboard. */
export async function copyText(text: string): Promise<void> {
  testHooks()?.copied?.push(text);
  await navigator.clipboard.writeText(text);
}

/**
 * Asks for a file with the native Open dialog; null when cancelled. Rust shows it and
 * lets commands read only files the user chose (or dropped on the window).
 */
export async function pickFile(filter: FileFilter): Promise<string | null> {
  const hooked = await hookedPath("pickFile");
  if (hooked !== undefined) return hooked;
  return invoke<string | null>("file_open_dialog", { filter });
}

/** The files last opened on a page; Rust keeps them and admits one again only if listed. */
export const recentFiles = {
  /** The page's recent files, newest first. */
  list: (page: RecentPage) => invoke<string[]>("recent_files", { page }),
  /** Lets the page open `path` again: refused unless it is one of the page's recent files. */
  choose: (page: RecentPage, path: string) => invoke<null>("recent_file_choose", { page, path }),
};

/** Asks for a calling list (CSV). */
export const pickListFile = () => pickFile({ name: "Calling lists", extensions: ["csv", "txt"] });

/** Opens an https URL in the system browser (the opener capability allows https only). */
export async function openInBrowser(url: string): Promise<void> {
  const opened = testHooks()?.opened;
  if (opened) {
    opened.push(url);
    return;
  }
  await openUrl(url);
}

/** A command's error as a message to show (commands reject with a plain string). */
export function errorMessage(error: unknown): string {
  if (typeof error === "string") return error;
  if (error instanceof Error) return error.message;
  return JSON.stringify(error);
}
