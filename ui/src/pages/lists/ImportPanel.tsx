// What was detected, and the choices before importing: sheet and header row, ID column
// and its name, phone rules, consent (and, when its values are unclear, which mean "do
// not call") and duplicates, and the output columns (include, rename, order). Import,
// its progress and Cancel are in the page's command bar.
import { useEffect, useState } from "react";
import {
  Button,
  Caption1,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  ProgressBar,
  Subtitle2,
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
import { ArrowDownRegular, ArrowImportRegular, ArrowUpRegular } from "@fluentui/react-icons";
import { errorMessage, lists, type ImportOptions, type ImportSummary, type Inspection } from "../../api";
import { Commands } from "../../components/CommandBar";
import { Notice } from "../../components/Notice";
import { ConsentQuestion, unclearConsent, type ConsentAnswer } from "./ConsentQuestion";
import { DEFAULT_OPTIONS } from "./ListsPage";
import { ROLES } from "./listWords";
import { SourcePickers } from "./SourcePickers";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalL, alignItems: "end", flexWrap: "wrap" },
  checks: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalL },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  progress: { width: "240px" },
  fill: { width: "100%", minWidth: 0 },
});

interface Mapping {
  source: string;
  name: string;
  include: boolean;
}

function initialMapping(inspection: Inspection): Mapping[] {
  const included = inspection.default_columns.slice(1).map((c) => ({ source: c.source, name: c.name, include: true }));
  const rest = inspection.columns
    .filter((c) => !included.some((m) => m.source === c.header))
    .map((c) => ({ source: c.header, name: c.header.trim(), include: false }));
  return [...included, ...rest];
}

export function ImportPanel({
  inspection,
  onReopen,
  onImported,
  onStale,
}: {
  inspection: Inspection;
  /** Reopens the file at `sheet`, with the header on `headerRow` (null: as found). */
  onReopen: (sheet: string | null, headerRow: number | null) => void;
  /** Hears the new result, or null when an import starts (the old one is dropped). */
  onImported: (summary: ImportSummary | null) => void;
  /** Hears whether the choices differ from those the last import was made with. */
  onStale: (stale: boolean) => void;
}) {
  const styles = useStyles();
  const detectedId = inspection.id_column === null ? null : (inspection.columns[inspection.id_column]?.header ?? null);
  const [options, setOptions] = useState<ImportOptions>({ ...DEFAULT_OPTIONS, sheet: inspection.sheet });
  const [idSource, setIdSource] = useState<string | null>(detectedId);
  const [mapping, setMapping] = useState<Mapping[]>(() => initialMapping(inspection));
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const unclear = unclearConsent(inspection);
  const [consent, setConsent] = useState<ConsentAnswer>({ values: inspection.consent_do_not_call, confirmed: false });
  const waitingForConsent = unclear !== undefined && !consent.confirmed;
  const set = <K extends keyof ImportOptions>(key: K, value: ImportOptions[K]) => setOptions({ ...options, [key]: value });
  const roleOf = (header: string) => inspection.columns.find((c) => c.header === header)?.role ?? "custom";

  const move = (index: number, by: -1 | 1) => {
    const next = [...mapping];
    const target = index + by;
    if (target < 0 || target >= next.length) return;
    [next[index], next[target]] = [next[target]!, next[index]!];
    setMapping(next);
  };
  const update = (index: number, change: Partial<Mapping>) => setMapping(mapping.map((m, i) => (i === index ? { ...m, ...change } : m)));

  // Everything the import is made with: a result made with other choices is stale.
  const stated = unclear
    ? { do_not_call_values: consent.values, ...(inspection.consent_column ? { do_not_call_column: inspection.consent_column } : {}) }
    : {};
  const request: ImportOptions | null = idSource
    ? {
        ...options,
        ...stated,
        id_source: idSource,
        columns: [
          { source: idSource, name: options.id_name },
          ...mapping.filter((m) => m.include && m.source !== idSource).map((m) => ({ source: m.source, name: m.name })),
        ],
      }
    : null;
  const requestKey = JSON.stringify(request);
  const [importedKey, setImportedKey] = useState<string | null>(null);
  const stale = importedKey !== null && importedKey !== requestKey;
  useEffect(() => onStale(stale), [stale, onStale]);

  const run = async () => {
    if (!request || waitingForConsent) return;
    setError(null);
    setProgress(0);
    setImportedKey(null);
    onImported(null);
    try {
      const summary = await lists.import(request, setProgress);
      setImportedKey(requestKey);
      onImported(summary);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setProgress(null);
    }
  };

  const total = inspection.rows;
  return (
    <section className={styles.section} aria-labelledby="lists-structure">
      <Subtitle2 as="h3" id="lists-structure">
        {inspection.dynamics_export ? "Dynamics export" : "Table"}: {inspection.path}
      </Subtitle2>
      <Text data-testid="lists-detected">
        {total !== null ? `${total.toLocaleString()} rows` : "Rows counted while importing"}
        {inspection.object_type && ` \u00b7 ${inspection.object_type.display_name} records`}
        {detectedId && ` \u00b7 record IDs in \u201c${detectedId}\u201d`}
      </Text>
      <Notice notice={error ? { intent: "error", text: error } : null} onDismiss={() => setError(null)} testId="lists-import-error" />
      <div className={styles.row}>
        <SourcePickers inspection={inspection} onReopen={onReopen} />
        <Field label="Column with the record IDs" validationState={idSource ? "none" : "error"} validationMessage={idSource ? undefined : "Choose the column holding Dynamics IDs"}>
          <Dropdown value={idSource ?? ""} selectedOptions={idSource ? [idSource] : []} onOptionSelect={(_, d) => d.optionValue && setIdSource(d.optionValue)}>
            {inspection.columns.map((c) => (
              <Option key={c.header} value={c.header}>
                {c.header}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="ID column name in the list" hint="Used by the Screenpop URL">
          <Input value={options.id_name} onChange={(_, d) => set("id_name", d.value)} data-testid="id-name" />
        </Field>
        <Field label="Phone rules" hint="US/CA: Bright Pattern's rules; else a country code">
          <Input value={options.country} onChange={(_, d) => set("country", d.value)} />
        </Field>
      </div>
      <div className={styles.checks}>
        <Checkbox label="Remove duplicates (ID or phone)" checked={options.dedupe} onChange={(_, d) => set("dedupe", d.checked === true)} />
        <Checkbox label="Keep rows with invalid IDs" checked={options.keep_invalid_ids} onChange={(_, d) => set("keep_invalid_ids", d.checked === true)} />
        <Checkbox label="Excel-safe cells (cells that would run as formulas open as text)" checked={options.excel_safe} onChange={(_, d) => set("excel_safe", d.checked === true)} />
        <Checkbox
          label="Include rows marked “Do not allow Phone Calls”"
          checked={options.include_do_not_call}
          onChange={(_, d) => set("include_do_not_call", d.checked === true)}
        />
      </div>
      {unclear && <ConsentQuestion inspection={inspection} finding={unclear} answer={consent} onAnswer={setConsent} />}
      {options.include_do_not_call && (
        <Caption1 className={styles.warning}>These contacts asked not to be called: keep them only if they consented since.</Caption1>
      )}
      <Table size="small" aria-label="Output columns">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>In the list</TableHeaderCell>
            <TableHeaderCell>Source column</TableHeaderCell>
            <TableHeaderCell>Detected as</TableHeaderCell>
            <TableHeaderCell>Name in the list</TableHeaderCell>
            <TableHeaderCell>Order</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {mapping.map((m, i) =>
            m.source === idSource ? null : (
              <TableRow key={m.source}>
                <TableCell>
                  <Checkbox checked={m.include} onChange={(_, d) => update(i, { include: d.checked === true })} aria-label={`Include ${m.source}`} />
                </TableCell>
                <TableCell>{m.source}</TableCell>
                <TableCell>{ROLES[roleOf(m.source)]}</TableCell>
                <TableCell>
                  <Input size="small" className={styles.fill} value={m.name} onChange={(_, d) => update(i, { name: d.value })} aria-label={`Name for ${m.source}`} />
                </TableCell>
                <TableCell>
                  <Button size="small" appearance="subtle" icon={<ArrowUpRegular />} onClick={() => move(i, -1)} aria-label={`Move ${m.source} up`} />
                  <Button size="small" appearance="subtle" icon={<ArrowDownRegular />} onClick={() => move(i, 1)} aria-label={`Move ${m.source} down`} />
                </TableCell>
              </TableRow>
            ),
          )}
        </TableBody>
      </Table>
      <Commands order={1}>
        <ToolbarButton
          appearance="primary"
          icon={<ArrowImportRegular />}
          disabled={!idSource || waitingForConsent || progress !== null}
          onClick={() => void run()}
          data-testid="import"
        >
          Import
        </ToolbarButton>
        {progress !== null && (
          <>
            <ProgressBar
              value={total ? Math.min(1, progress / total) : undefined}
              aria-label="Import progress"
              className={styles.progress}
            />
            <Text>{progress.toLocaleString()} rows</Text>
            <Button onClick={() => void lists.cancel()}>Cancel</Button>
          </>
        )}
      </Commands>
    </section>
  );
}
