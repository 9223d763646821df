// Checks a Channel URL already in use (copied from Active Channel Providers) against
// the Dynamics URL: the guide's "make sure the URL includes the correct tenant name and
// CRM domain", done for the admin.
import { useState } from "react";
import { Field, Input, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { channel } from "../../api";
import { FindingsList, validationState } from "../../components/FindingsList";
import { useLatest } from "../../shell/useLatest";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  input: { fontFamily: tokens.fontFamilyMonospace },
});

export function ChannelUrlChecker({ org }: { org: string }) {
  const styles = useStyles();
  const [url, setUrl] = useState("");
  const result = useLatest(url.trim() === "" ? null : () => channel.check(url, org), JSON.stringify([url, org]));
  return (
    <section className={styles.section} aria-labelledby="channel-check">
      <Subtitle2 as="h3" id="channel-check">
        Agent Desktop not showing? Check the Channel URL in use
      </Subtitle2>
      <Field
        label="Channel URL from Active Channel Providers"
        hint="Checked against the Dynamics URL above"
        validationState={result ? validationState(result.findings) : "none"}
      >
        <Input className={styles.input} value={url} onChange={(_, d) => setUrl(d.value)} data-testid="channel-check-url" />
      </Field>
      {result && <FindingsList findings={result.findings} label="Channel URL findings" onApply={setUrl} />}
      {result && result.findings.length === 0 && (
        <Text data-testid="channel-check-ok">
          Tenant {result.tenant_host}, CRM domain {result.crm_domain}: no problems found.
        </Text>
      )}
    </section>
  );
}
