// A labelled, read-only value with a Copy button, and a hint below it (which may link a
// guide step: the label stays plain text, as the Copy button's name repeats it).
import { useState } from "react";
import { Button, Caption1, Field, Input, makeStyles, tokens, type FieldProps } from "@fluentui/react-components";
import { CheckmarkRegular, CopyRegular } from "@fluentui/react-icons";
import { copyText } from "../api";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
  input: { flexGrow: 1, fontFamily: tokens.fontFamilyMonospace },
});

export function CopyValue({ label, value, testId, hint }: { label: string; value: string; testId?: string; hint?: FieldProps["hint"] }) {
  const styles = useStyles();
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const copy = () => {
    copyText(value).then(
      () => setCopied("yes"),
      () => setCopied("failed"),
    );
  };
  return (
    <Field label={label} hint={hint}>
      <div className={styles.row}>
        <Input className={styles.input} value={value} readOnly data-testid={testId} />
        <Button
          icon={copied === "yes" ? <CheckmarkRegular /> : <CopyRegular />}
          onClick={copy}
          aria-label={`Copy ${label}`}
          data-testid={testId && `${testId}-copy`}
        >
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
      </div>
      {copied === "failed" && <Caption1>Copying failed: select the text and press Ctrl+C.</Caption1>}
    </Field>
  );
}
