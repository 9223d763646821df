// A wait the user sees and can stop: a spinner saying what runs, and Cancel beside it.
import { Button, Spinner, makeStyles, tokens } from "@fluentui/react-components";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
});

/** `testId` names the spinner, `cancelTestId` the button. */
export function Busy({ label, onCancel, testId, cancelTestId }: { label: string; onCancel: () => void; testId?: string; cancelTestId?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.row}>
      <Spinner size="tiny" role="status" label={label} data-testid={testId} />
      <Button onClick={onCancel} data-testid={cancelTestId}>
        Cancel
      </Button>
    </div>
  );
}
