// A message bar the user can dismiss (its close button); it returns when a new message
// replaces it. And the warning that a result shown was made for other inputs.
import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";
import { errorMessage } from "../api";

export interface NoticeText {
  intent: "success" | "error" | "warning" | "info";
  text: string;
}

/** A command's error as a notice. */
export function failure(error: unknown): NoticeText {
  return { intent: "error", text: errorMessage(error) };
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

/**
 * Says that the result below was made for other inputs than those shown, and what to do
 * to get one for them. Not dismissable: it goes once the result matches them again.
 */
export function StaleWarning({ text, testId }: { text: string; testId: string }) {
  return (
    <MessageBar intent="warning" data-testid={testId}>
      <MessageBarBody>{text}</MessageBarBody>
    </MessageBar>
  );
}
