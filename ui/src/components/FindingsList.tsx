// Findings as a list: severity, message, the fix and the guide step that explains it, in
// plain words (a finding's code stays in `data-code`, for tests and logs, never shown).
import { Caption1, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ErrorCircleRegular, InfoRegular, WarningRegular } from "@fluentui/react-icons";
import type { Finding } from "../api";
import { forGui, sentence } from "./guiWords";

const useStyles = makeStyles({
  list: { listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  item: { display: "grid", gridTemplateColumns: "20px 1fr", columnGap: tokens.spacingHorizontalS, overflowWrap: "anywhere" },
  error: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  info: { color: tokens.colorNeutralForeground3 },
  detail: { gridColumn: 2, color: tokens.colorNeutralForeground3 },
});

const icons = { error: ErrorCircleRegular, warning: WarningRegular, info: InfoRegular };

export function FindingsList({ findings, label }: { findings: readonly Finding[]; label: string }) {
  const styles = useStyles();
  if (findings.length === 0) return null;
  return (
    <ul className={styles.list} aria-label={label} data-testid="findings">
      {findings.map(forGui).map((finding, index) => {
        const Icon = icons[finding.severity];
        return (
          <li key={`${finding.code}-${index}`} className={styles.item} data-code={finding.code}>
            <Icon className={styles[finding.severity]} aria-label={finding.severity} />
            <Text>{sentence(finding.message)}</Text>
            {finding.fix && <Caption1 className={styles.detail}>{sentence(finding.fix)}</Caption1>}
            {finding.guide_step && <Caption1 className={styles.detail}>Guide: {finding.guide_step}</Caption1>}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * Props for a Fluent Field showing the findings about `field`, once `shown` (the user
 * has touched the field or pressed Save): its state and its worst finding, once.
 */
export function fieldValidation(findings: readonly Finding[], field: string, shown = true) {
  const mine = shown ? findings.filter((f) => f.field === field).map(forGui) : [];
  const worst = mine.find((f) => f.severity === "error") ?? mine.find((f) => f.severity === "warning") ?? mine[0];
  return {
    validationState: validationState(mine),
    validationMessage: worst && sentence(worst.fix ? `${worst.message.replace(/[.]$/, "")}: ${worst.fix}` : worst.message),
    "data-field": field,
    "data-code": worst?.code,
  };
}

/** The findings not about any of `fields` (those show beside their own field). */
export function notBeside(findings: readonly Finding[], fields: readonly string[]): Finding[] {
  return findings.filter((f) => !fields.includes(f.field));
}

/** The worst severity among findings, as a Fluent Field validation state. */
export function validationState(findings: readonly Finding[]): "error" | "warning" | "success" | "none" {
  if (findings.some((f) => f.severity === "error")) return "error";
  if (findings.some((f) => f.severity === "warning")) return "warning";
  return "none";
}
