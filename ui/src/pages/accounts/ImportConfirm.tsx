// Before an exported account is added: where its sign-in and Dataverse requests would go,
// for the admin to confirm, since a shared file could point anywhere. When an account
// already has its name, the choice is to replace that one or keep both.
import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { Account, NameClash } from "../../api";

const useStyles = makeStyles({
  list: { display: "grid", gridTemplateColumns: "max-content 1fr", gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`, margin: `${tokens.spacingVerticalM} 0` },
  value: { wordBreak: "break-all", fontFamily: tokens.fontFamilyMonospace },
});

export function ImportConfirm({
  account,
  nameTaken,
  onImport,
  onCancel,
}: {
  account: Account;
  /** Whether an account already has this name (ignoring case). */
  nameTaken: boolean;
  onImport: (clash: NameClash) => void;
  onCancel: () => void;
}) {
  const styles = useStyles();
  const endpoints: [string, string][] = [
    ["Authorization URL", account.authorization_url],
    ["Token URL", account.token_url || "(derived from the Authorization URL)"],
    ["API URL", account.api_url],
    ["Client ID", account.client_id],
  ];
  return (
    <Dialog modalType="alert" open onOpenChange={(_, data) => !data.open && onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Import {account.name}?</DialogTitle>
          <DialogContent>
            <Text>
              Its client secret and refresh token will be sent to these addresses. Import it only if they are your tenant&apos;s Microsoft
              Entra ID and Dynamics 365 addresses.
            </Text>
            {account.simulator && (
              <div>
                <Badge appearance="tint" color="informative">
                  Simulator account: its addresses may be on this computer
                </Badge>
              </div>
            )}
            <dl className={styles.list} data-testid="import-endpoints">
              {endpoints.map(([label, value]) => (
                <div key={label} style={{ display: "contents" }}>
                  <dt>{label}</dt>
                  <dd className={styles.value}>{value}</dd>
                </div>
              ))}
            </dl>
            {nameTaken && (
              <Text as="p" data-testid="import-name-taken">
                An account named {account.name} exists. Replace it (its client secret and refresh token are deleted), or keep both
                and add this one under a new name.
              </Text>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onCancel}>
              Cancel
            </Button>
            {nameTaken ? (
              <>
                <Button onClick={() => onImport("replace")} data-testid="account-import-replace">
                  Replace
                </Button>
                <Button appearance="primary" onClick={() => onImport("keep_both")} data-testid="account-import-keep-both">
                  Keep both
                </Button>
              </>
            ) : (
              <Button appearance="primary" onClick={() => onImport("refuse")} data-testid="account-import-confirm">
                Import
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
