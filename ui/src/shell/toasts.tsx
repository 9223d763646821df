// Quick confirmations ("Saved", "Exported") as toasts in the app shell's one Toaster, which
// leave by themselves instead of piling up as message bars; errors stay beside their work.
import { useCallback } from "react";
import { Toast, ToastBody, ToastTitle, Toaster, useToastController } from "@fluentui/react-components";

const TOASTER_ID = "dynbridge-toaster";

/** How long a confirmation stays, in milliseconds: long enough to read a path. */
const SHOWN_MS = 6000;

/** The one Toaster; the app shell (and Vitest's render) holds it. */
export function AppToaster() {
  // Bottom right, above the status bar: away from the page header and the forms' fields.
  return <Toaster toasterId={TOASTER_ID} position="bottom-end" offset={{ vertical: 40 }} />;
}

/** What a confirmation says: "Saved" or "Exported", then what and where. */
export type Confirmation = "Saved" | "Exported";

/**
 * Shows a confirmation toast; `testId` names its body for tests, e.g. "account-saved".
 * The returned function is stable across renders.
 */
export function useConfirm(): (title: Confirmation, detail: string, testId: string) => void {
  const { dispatchToast } = useToastController(TOASTER_ID);
  return useCallback(
    (title, detail, testId) =>
      dispatchToast(
        <Toast>
          <ToastTitle>{title}</ToastTitle>
          <ToastBody data-testid={testId}>{detail}</ToastBody>
        </Toast>,
        { intent: "success", timeout: SHOWN_MS },
      ),
    [dispatchToast],
  );
}
