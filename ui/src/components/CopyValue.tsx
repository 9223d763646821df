// A labelled, read-only value with a Copy button.
import { useState } from "react";
import { Button, Caption1, Field, Input, makeStyles, tokens } from "@fluentui/react-components";
import { CheckmarkRegular, CopyRegular } from "@fluentui/react-icons";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
  input: { flexGrow: 1, fontFamily: tokens.fontFamilyMonospace },
});

export function CopyValue({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const styles = useStyles();
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const copy = () => {
    navigator.clipboard.writeText(value).then(
      () => setCopied("yes"),
      () => setCopied("failed"),
    );
  };
  return (
    <Field label={label}>
      <div className={styles.row}>
        <Input className={styles.input} value={value} readOnly data-testid={testId} />
        <Button icon={copied === "yes" ? <CheckmarkRegular /> : <CopyRegular />} onClick={copy} aria-label={`Copy ${label}`}>
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
      </div>
      {copied === "failed" && <Caption1>Copying failed: select the text and press Ctrl+C.</Caption1>}
    </Field>
  );
}
