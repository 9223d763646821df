// A message bar the user can dismiss (its close button); it returns when a new message
// replaces it.
import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";

export interface NoticeText {
  intent: "success" | "error" | "warning" | "info";
  text: string;
}

export function Notice({ notice, onDismiss, testId }: { notice: NoticeText | null; onDismiss: () => void; testId?: string }) {
  if (!notice) return null;
  return (
    <MessageBar intent={notice.intent}>
      <MessageBarBody data-testid={testId}>{notice.text}</MessageBarBody>
      <MessageBarActions
        containerAction={<Button appearance="transparent" aria-label="Dismiss" icon={<DismissRegular />} onClick={onDismiss} data-testid="notice-dismiss" />}
      />
    </MessageBar>
  );
}
