// Findings as a list: severity, message, the fix and the guide step that explains it.
import { Caption1, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ErrorCircleRegular, InfoRegular, WarningRegular } from "@fluentui/react-icons";
import type { Finding } from "../api";

const useStyles = makeStyles({
  list: { listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  item: { display: "grid", gridTemplateColumns: "20px 1fr", columnGap: tokens.spacingHorizontalS },
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
      {findings.map((finding, index) => {
        const Icon = icons[finding.severity];
        return (
          <li key={`${finding.code}-${index}`} className={styles.item} data-code={finding.code}>
            <Icon className={styles[finding.severity]} aria-label={finding.severity} />
            <Text>{finding.message}</Text>
            {finding.fix && <Caption1 className={styles.detail}>Fix: {finding.fix}</Caption1>}
            <Caption1 className={styles.detail}>
              {finding.code}
              {finding.guide_step && ` \u00b7 Guide: ${finding.guide_step}`}
            </Caption1>
          </li>
        );
      })}
    </ul>
  );
}

/** Props for a Fluent Field showing the findings about `field`: state and message. */
export function fieldValidation(findings: readonly Finding[], field: string) {
  const mine = findings.filter((f) => f.field === field);
  const worst = mine.find((f) => f.severity === "error") ?? mine.find((f) => f.severity === "warning") ?? mine[0];
  return {
    validationState: validationState(mine),
    validationMessage: worst && [worst.message, worst.fix].filter(Boolean).join(": "),
    "data-field": field,
  };
}

/** The worst severity among findings, as a Fluent Field validation state. */
export function validationState(findings: readonly Finding[]): "error" | "warning" | "success" | "none" {
  if (findings.some((f) => f.severity === "error")) return "error";
  if (findings.some((f) => f.severity === "warning")) return "warning";
  return "none";
}
