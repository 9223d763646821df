// Before an exported account is added: where its sign-in and Dataverse requests would go,
// for the admin to confirm, since a shared file could point anywhere.
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
import type { Account } from "../../api";

const useStyles = makeStyles({
  list: { display: "grid", gridTemplateColumns: "max-content 1fr", gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`, margin: `${tokens.spacingVerticalM} 0` },
  value: { wordBreak: "break-all", fontFamily: tokens.fontFamilyMonospace },
});

export function ImportConfirm({ account, onImport, onCancel }: { account: Account; onImport: () => void; onCancel: () => void }) {
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
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onCancel}>
              Cancel
            </Button>
            <Button appearance="primary" onClick={onImport} data-testid="account-import-confirm">
              Import
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
