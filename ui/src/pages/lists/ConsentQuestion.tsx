// The question asked when the consent column ("Do not allow phone calls") holds values
// Dynbridge does not recognise: which of them mean "do not call". Nothing is guessed:
// the import waits until the user has ticked them and said so.
import { Caption1, Checkbox, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { Finding, Inspection } from "../../api";

export const UNCLEAR_CONSENT = "list.do_not_call_unclear";

/** The user's answer: the values meaning "do not call", and whether they confirmed it. */
export interface ConsentAnswer {
  values: string[];
  confirmed: boolean;
}

/** The finding asking the question, if the inspection has it. */
export function unclearConsent(inspection: Inspection): Finding | undefined {
  return inspection.findings.find((f) => f.code === UNCLEAR_CONSENT);
}

const useStyles = makeStyles({
  box: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalM,
    border: `1px solid ${tokens.colorPaletteRedBorder2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  values: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalL },
  note: { color: tokens.colorNeutralForeground3 },
});

export function ConsentQuestion({
  inspection,
  finding,
  answer,
  onAnswer,
}: {
  inspection: Inspection;
  finding: Finding;
  answer: ConsentAnswer;
  onAnswer: (answer: ConsentAnswer) => void;
}) {
  const styles = useStyles();
  const column = inspection.consent_column ?? "the consent column";
  const toggle = (value: string, on: boolean) =>
    onAnswer({ ...answer, values: on ? [...answer.values, value] : answer.values.filter((v) => v !== value) });
  return (
    <div className={styles.box} role="group" aria-labelledby="lists-consent-question" data-testid="lists-consent">
      <Text id="lists-consent-question" weight="semibold">
        Which values in {"\u201c"}
        {column}
        {"\u201d"} mean {"\u201c"}Do not allow phone calls{"\u201d"}?
      </Text>
      <Caption1 className={styles.note}>
        {finding.message.charAt(0).toUpperCase() + finding.message.slice(1)}. Every value you leave unticked will mean the
        contact may be called.
      </Caption1>
      <Text id="lists-consent-values">Values found in the column:</Text>
      <div className={styles.values} role="group" aria-labelledby="lists-consent-values">
          {inspection.consent_values.map((value) => (
            <Checkbox
              key={value}
              label={value}
              checked={answer.values.includes(value)}
              onChange={(_, d) => toggle(value, d.checked === true)}
            />
          ))}
      </div>
      {inspection.consent_values_more && (
        <Caption1 className={styles.note}>
          The column holds more different values than these; any value not listed here will also mean the contact may be
          called.
        </Caption1>
      )}
      <Checkbox
        label="I have ticked every value that means “Do not allow phone calls”"
        checked={answer.confirmed}
        onChange={(_, d) => onAnswer({ ...answer, confirmed: d.checked === true })}
        data-testid="lists-consent-confirm"
      />
    </div>
  );
}
