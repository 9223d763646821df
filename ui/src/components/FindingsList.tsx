// Findings as a list: severity, message, the fix and the guide step that explains it (a
// link to that step of Bright Pattern's guide), in plain words (a finding's code stays in
// `data-code`, for tests and logs, never shown).
// Where Dynbridge knows the corrected value, an "Apply" button beside it sets the field.
import type { ReactNode } from "react";
import { Button, Caption1, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ErrorCircleRegular, InfoRegular, WarningRegular } from "@fluentui/react-icons";
import type { Finding } from "../api";
import { GuideReference } from "./GuideReference";
import { forGui, sentence } from "./guiWords";

const useStyles = makeStyles({
  list: { listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  item: { display: "grid", gridTemplateColumns: "20px 1fr", columnGap: tokens.spacingHorizontalS, overflowWrap: "anywhere" },
  error: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  info: { color: tokens.colorNeutralForeground3 },
  detail: { gridColumn: 2, color: tokens.colorNeutralForeground3 },
  apply: { gridColumn: 2, justifySelf: "start" },
  inline: { display: "inline-flex", alignItems: "baseline", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

/** Sets a field to a finding's corrected value. */
export type Apply = (value: string) => void;

/** The "Apply" button for a finding's corrected value, when it has one and the field can be set. */
function ApplyButton({ finding, onApply, className }: { finding: Finding; onApply?: Apply; className?: string }) {
  if (!onApply || !finding.replacement) return null;
  const value = finding.replacement;
  return (
    <Button size="small" appearance="secondary" className={className} title={value} onClick={() => onApply(value)} data-testid="finding-apply">
      Apply
    </Button>
  );
}

const icons = { error: ErrorCircleRegular, warning: WarningRegular, info: InfoRegular };

export function FindingsList({ findings, label, onApply }: { findings: readonly Finding[]; label: string; onApply?: Apply }) {
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
            {finding.guide_step && (
              <Caption1 className={styles.detail}>
                Guide: <GuideReference reference={finding.guide_step} />
              </Caption1>
            )}
            <ApplyButton finding={finding} onApply={onApply} className={styles.apply} />
          </li>
        );
      })}
    </ul>
  );
}

/** A finding beside its field: the message with its fix, and "Apply" when it has a corrected value. */
function FieldMessage({ finding, onApply }: { finding: Finding; onApply?: Apply }) {
  const styles = useStyles();
  const text = sentence(finding.fix ? `${finding.message.replace(/[.]$/, "")}: ${finding.fix}` : finding.message);
  if (!onApply || !finding.replacement) return text;
  return (
    <span className={styles.inline}>
      {text}
      <ApplyButton finding={finding} onApply={onApply} />
    </span>
  );
}

/**
 * Props for a Fluent Field showing the findings about `field`, once `shown` (the user
 * has touched the field or pressed Save): its state and its worst finding, once, with
 * an "Apply" button when `onApply` can set the field to the finding's corrected value.
 */
export function fieldValidation(findings: readonly Finding[], field: string, shown = true, onApply?: Apply) {
  const beside = shown ? besideField(findings, field) : undefined;
  const worst = beside && forGui(beside);
  const message: ReactNode = worst && <FieldMessage finding={worst} onApply={onApply} />;
  return {
    validationState: validationState(worst ? [worst] : []),
    validationMessage: message,
    "data-field": field,
    "data-code": worst?.code,
  };
}

/** The finding fieldValidation shows beside `field`: its worst (the others may go in a list). */
export function besideField(findings: readonly Finding[], field: string): Finding | undefined {
  const mine = findings.filter((f) => f.field === field);
  return mine.find((f) => f.severity === "error") ?? mine.find((f) => f.severity === "warning") ?? mine[0];
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
