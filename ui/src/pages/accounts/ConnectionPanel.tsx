// Request token (the browser signs in; the app waits, and can cancel) and Test
// connection (token, then WhoAmI), with every failure explained as findings.
import { useEffect, useRef, useState } from "react";
import { Button, Checkbox, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { KeyRegular, PlugConnectedRegular } from "@fluentui/react-icons";
import { accounts, errorMessage, openInBrowser, type AccountView, type ConnectionReport, type Finding } from "../../api";
import { CopyValue } from "../../components/CopyValue";
import { FindingsList } from "../../components/FindingsList";
import { CANCELLED, useJob } from "../../shell/useJob";
import { Busy } from "../../components/Busy";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
});

type Login = { state: "idle" } | { state: "waiting"; url: string | null } | { state: "done"; findings: Finding[] };

export function ConnectionPanel({ view, onChanged }: { view: AccountView; onChanged: () => void }) {
  const styles = useStyles();
  const [adminConsent, setAdminConsent] = useState(false);
  const [login, setLogin] = useState<Login>({ state: "idle" });
  const [report, setReport] = useState<ConnectionReport | "testing" | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** A sign-in under way for this panel; the panel leaving (another account chosen) stops it,
   * and then what it ends with changes nothing shown. */
  const signingIn = useRef(false);
  useEffect(
    () => () => {
      if (!signingIn.current) return;
      signingIn.current = false;
      void accounts.cancelLogin();
    },
    [],
  );

  const requestToken = () => {
    signingIn.current = true;
    setLogin({ state: "waiting", url: null });
    accounts
      .login(view.account.id, adminConsent, (url) => {
        setLogin({ state: "waiting", url });
        openInBrowser(url).catch((e: unknown) => setError(errorMessage(e)));
      })
      .then(
        (findings) => {
          const shown = signingIn.current;
          signingIn.current = false;
          setLogin({ state: "done", findings });
          if (shown) onChanged();
        },
        (e: unknown) => {
          signingIn.current = false;
          setLogin({ state: "idle" });
          setError(errorMessage(e));
        },
      );
  };
  const testing = useJob();
  const test = () => {
    const previous = report === "testing" ? null : report;
    setReport("testing");
    setError(null);
    testing.run((job) => accounts.test(view.account.id, job)).then(
      (result) => {
        if (result === CANCELLED) return setReport(previous);
        setReport(result);
        onChanged();
      },
      (e: unknown) => {
        setReport(null);
        setError(errorMessage(e));
      },
    );
  };

  return (
    <section className={styles.section} aria-labelledby="connection">
      <Subtitle2 as="h3" id="connection">
        Token and connection
      </Subtitle2>
      <div className={styles.row}>
        <Button icon={<KeyRegular />} disabled={login.state === "waiting"} onClick={requestToken} data-testid="request-token">
          Request token
        </Button>
        <Checkbox checked={adminConsent} onChange={(_, d) => setAdminConsent(d.checked === true)} label="Consent on behalf of your organization" />
        <Button icon={<PlugConnectedRegular />} disabled={report === "testing"} onClick={test} data-testid="test-connection">
          Test connection
        </Button>
      </div>
      {login.state === "waiting" && (
        <Busy label="Waiting for you to sign in in the browser (up to 5 minutes)…" onCancel={() => void accounts.cancelLogin()} />
      )}
      {login.state === "waiting" && login.url && <CopyValue label="Sign-in address (if the browser did not open)" value={login.url} />}
      {login.state === "done" &&
        (login.findings.length === 0 ? (
          <Text data-testid="login-result">Signed in: the refresh token is stored in the keychain.</Text>
        ) : (
          <FindingsList findings={login.findings} label="Request token" />
        ))}
      {report === "testing" && (
        <Busy label="Signing in and asking Dynamics who you are…" onCancel={testing.cancel} cancelTestId="test-connection-cancel" />
      )}
      {report && report !== "testing" && <Report report={report} />}
      {error && <Text role="alert">{error}</Text>}
    </section>
  );
}

function Report({ report }: { report: ConnectionReport }) {
  if (!report.ok) return <FindingsList findings={report.findings} label="Test connection" />;
  const ms = Number(report.latency_ms ?? 0);
  return (
    <Text data-testid="connection-ok">
      Connected as {report.user_name ?? "the signed-in user"} to {report.organization_name ?? "the organization"}; Dynamics answered in{" "}
      {ms < 1 ? "under 1 ms" : `${ms.toLocaleString()} ms`}.
    </Text>
  );
}
