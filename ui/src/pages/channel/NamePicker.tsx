// Apps or roles chosen by name: a search box over the org's list, each a checkbox, the
// chosen ones always shown. Until the org's list is loaded (it needs an account), the
// IDs can be pasted one per line instead.
import { useState } from "react";
import { Caption1, Checkbox, FieldContextProvider, SearchBox, makeStyles, tokens } from "@fluentui/react-components";
import type { Choice } from "../../api/bindings/Choice";
import { IdLines } from "./IdLines";

const useStyles = makeStyles({
  picker: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  options: {
    display: "flex",
    flexDirection: "column",
    maxHeight: "180px",
    // Its own height up to the maximum: the Field's layout would squeeze it into a scroll.
    flexShrink: 0,
    overflowY: "auto",
    // Room for the checkboxes' labels, which reach 2 px past their rows (Fluent's negative
    // margins): without it the last one overflows the box, which shows a scroll bar for it.
    paddingBlock: tokens.spacingVerticalXXS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  none: { padding: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground3 },
});

export function NamePicker({
  what,
  choices,
  ids,
  onChange,
}: {
  /** What is chosen, in the plural ("apps", "roles"), for the search box and messages. */
  what: string;
  /** The org's list, once loaded. */
  choices: readonly Choice[] | null;
  ids: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  const styles = useStyles();
  const [query, setQuery] = useState("");
  if (!choices) return <IdLines ids={ids} onChange={onChange} />;
  const known = new Set(choices.map((c) => c.id));
  // IDs chosen before the list was loaded that the org does not have stay visible.
  const all = [...choices, ...ids.filter((id) => !known.has(id)).map((id) => ({ id, name: `Not in this org: ${id}` }))];
  const words = query.trim().toLowerCase();
  const shown = all.filter((c) => ids.includes(c.id) || c.name.toLowerCase().includes(words));
  const toggle = (id: string, on: boolean) => onChange(on ? [...ids, id] : ids.filter((i) => i !== id));
  return (
    <div className={styles.picker}>
      <SearchBox size="small" placeholder={`Search ${what}`} value={query} onChange={(_, d) => setQuery(d.value)} aria-label={`Search ${what}`} />
      {/* Out of the Field's context: it would give every checkbox the field's id and name. */}
      <FieldContextProvider value={undefined}>
        <div className={styles.options} role="group" aria-label={what}>
          {shown.map((c) => (
            <Checkbox key={c.id} label={c.name} title={c.id} checked={ids.includes(c.id)} onChange={(_, d) => toggle(c.id, d.checked === true)} />
          ))}
          {shown.length === 0 && <Caption1 className={styles.none}>No {what} match {`\u201c${query.trim()}\u201d`}.</Caption1>}
        </div>
      </FieldContextProvider>
    </div>
  );
}
