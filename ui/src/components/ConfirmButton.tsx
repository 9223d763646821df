// A button for an action that cannot be undone: it asks first, in a modal dialog that
// says what will be lost, and acts only on the dialog's own confirm button.
import { useState, type ReactElement } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
} from "@fluentui/react-components";

export function ConfirmButton({
  label,
  icon,
  title,
  consequence,
  onConfirm,
  testId,
  disabled,
  appearance,
  size,
}: {
  /** The button's text, also the dialog's confirm button. */
  label: string;
  icon?: ReactElement;
  title: string;
  /** What confirming does, in one or two sentences. */
  consequence: string;
  onConfirm: () => void;
  testId?: string;
  disabled?: boolean;
  /** "subtle" in a command bar, as its other buttons. */
  appearance?: "primary" | "secondary" | "subtle";
  /** "small" in a table row, as the row's other buttons. */
  size?: "small" | "medium";
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog modalType="alert" open={open} onOpenChange={(_, data) => setOpen(data.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button icon={icon} data-testid={testId} disabled={disabled} appearance={appearance} size={size}>
          {label}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>{consequence}</DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="secondary">Cancel</Button>
            </DialogTrigger>
            <Button
              appearance="primary"
              data-testid={testId && `${testId}-confirm`}
              onClick={() => {
                setOpen(false);
                onConfirm();
              }}
            >
              {label}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
