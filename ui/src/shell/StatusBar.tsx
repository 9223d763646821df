// The status bar: version, where profiles are kept and which keychain holds secrets,
// from the `app_info` command.
import { useEffect, useState } from "react";
import { Caption1, makeStyles, tokens } from "@fluentui/react-components";
import { appInfo, errorMessage, type AppInfo } from "../api";

const useStyles = makeStyles({
  bar: {
    display: "flex",
    gap: tokens.spacingHorizontalXL,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    color: tokens.colorNeutralForeground3,
  },
  error: { color: tokens.colorPaletteRedForeground1 },
});

type State = { kind: "loading" } | { kind: "ready"; info: AppInfo } | { kind: "failed"; message: string };

export function StatusBar() {
  const styles = useStyles();
  const [state, setState] = useState<State>({ kind: "loading" });
  useEffect(() => {
    appInfo().then(
      (info) => setState({ kind: "ready", info }),
      (error: unknown) => setState({ kind: "failed", message: errorMessage(error) }),
    );
  }, []);
  return (
    <footer className={styles.bar} role="contentinfo" data-testid="status-bar">
      {state.kind === "loading" && <Caption1>Loading…</Caption1>}
      {state.kind === "failed" && (
        <Caption1 className={styles.error} role="alert">
          {state.message}
        </Caption1>
      )}
      {state.kind === "ready" && (
        <>
          <Caption1>Dynbridge {state.info.version}</Caption1>
          <Caption1>Profiles: {state.info.profile_dir}</Caption1>
          <Caption1>Secrets: {state.info.keychain_backend}</Caption1>
        </>
      )}
    </footer>
  );
}
