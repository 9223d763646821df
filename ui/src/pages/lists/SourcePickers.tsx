// Which sheet and which header row the list is read from: the ones Dynbridge found,
// shown so the user can see them, and the other candidates to choose instead.
import { Dropdown, Field, Option } from "@fluentui/react-components";
import type { Inspection } from "../../api";

/** "Row 3: Full Name, Business Phone, …" (or "Row 3" when its cells are not known). */
export function headerRowLabel(row: number, cells: readonly string[] | undefined): string {
  const shown = (cells ?? []).slice(0, 3);
  if (shown.length === 0) return `Row ${row}`;
  return `Row ${row}: ${shown.join(", ")}${(cells ?? []).length > shown.length ? ", \u2026" : ""}`;
}

export function SourcePickers({
  inspection,
  onReopen,
}: {
  inspection: Inspection;
  /** Reopens the file at `sheet`, with the header on `headerRow` (null: as found). */
  onReopen: (sheet: string | null, headerRow: number | null) => void;
}) {
  const rowLabel = (row: number) => headerRowLabel(row, inspection.header_row_cells[inspection.header_rows.indexOf(row)]);
  return (
    <>
      {inspection.sheets.length > 1 && (
        <Field label="Sheet">
          <Dropdown
            value={inspection.sheet ?? ""}
            selectedOptions={[inspection.sheet ?? ""]}
            onOptionSelect={(_, d) => d.optionValue && d.optionValue !== inspection.sheet && onReopen(d.optionValue, null)}
            data-testid="lists-sheet"
          >
            {inspection.sheets.map((s) => (
              <Option key={s} value={s}>
                {s}
              </Option>
            ))}
          </Dropdown>
        </Field>
      )}
      {inspection.header_rows.length > 1 && (
        <Field label="Header row" hint="The row holding the column names">
          <Dropdown
            value={rowLabel(inspection.header_row)}
            selectedOptions={[String(inspection.header_row)]}
            onOptionSelect={(_, d) => {
              const row = Number(d.optionValue);
              if (d.optionValue && row !== inspection.header_row) onReopen(inspection.sheet, row);
            }}
            data-testid="lists-header-row"
          >
            {inspection.header_rows.map((row) => (
              <Option key={row} value={String(row)}>
                {rowLabel(row)}
              </Option>
            ))}
          </Dropdown>
        </Field>
      )}
    </>
  );
}
