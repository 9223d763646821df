// Asked before unsaved account edits are dropped for another account or a new one.
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from "@fluentui/react-components";

export function DiscardDialog({ name, onDiscard, onKeep }: { name: string; onDiscard: () => void; onKeep: () => void }) {
  return (
    <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && onKeep()}>
      <DialogSurface data-testid="account-discard">
        <DialogBody>
          <DialogTitle>Discard your changes to {name}?</DialogTitle>
          <DialogContent>The edits you made are not saved. Keep editing to save them first.</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onKeep} data-testid="account-keep-editing">
              Keep editing
            </Button>
            <Button onClick={onDiscard} data-testid="account-discard-confirm">
              Discard changes
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
