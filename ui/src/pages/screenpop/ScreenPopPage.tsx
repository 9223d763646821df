// The Screen pop page: build the Screenpop URL, lint it as it is typed, and test it
// against a list row or a hardcoded ID (the campaign's template kept beside it, to go
// back to). The list's and the verification's actions are in the command bar at the top.
// A finding about the Screenpop URL shows once: its worst beside the field, any other in
// the list below it.
import { useState } from "react";
import { Button, Field, Input, MessageBar, MessageBarActions, MessageBarBody, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowUndoRegular } from "@fluentui/react-icons";
import { screenpop } from "../../api";
import type { Screenpop } from "../../api/bindings/Screenpop";
import { CommandBar } from "../../components/CommandBar";
import { CopyValue } from "../../components/CopyValue";
import { FindingsList, besideField, fieldValidation } from "../../components/FindingsList";
import { GuideReference } from "../../components/GuideReference";
import { HighlightedText } from "../../components/HighlightedText";
import { useNavigation } from "../../shell/navigation";
import { useLatest } from "../../shell/useLatest";
import { Builder } from "./Builder";
import { ListTester } from "./ListTester";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXL },
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  input: { fontFamily: tokens.fontFamilyMonospace },
});

export const GUIDE_EXAMPLE = "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact";
/** The field the lint's findings are about. */
const FIELD = "Screenpop URL";

export function ScreenPopPage() {
  const styles = useStyles();
  const { handoff } = useNavigation();
  const [text, setText] = useState(handoff?.screenpop ?? GUIDE_EXAMPLE);
  // The page stays mounted: a later hand-off from the Lists page brings its Screenpop URL.
  const [seen, setSeen] = useState(handoff);
  if (handoff !== seen) {
    setSeen(handoff);
    if (handoff?.screenpop) setText(handoff.screenpop);
  }
  // The campaign's Screenpop URL while a row's hardcoded ID is tried in its place.
  const [template, setTemplate] = useState<string | null>(null);
  const hardcode = (hardcoded: string) => {
    setTemplate((kept) => kept ?? text);
    setText(hardcoded);
  };
  const restore = () => {
    if (template !== null) setText(template);
    setTemplate(null);
  };
  const lint = useLatest(() => screenpop.lint(text), text);
  // While a new text is linted, the test below keeps the last parse: it stays mounted,
  // with its results (marked stale) and any verification running, at each keystroke.
  const [lastParsed, setLastParsed] = useState<Screenpop | null>(null);
  if (lint && lint.screenpop !== lastParsed) setLastParsed(lint.screenpop);
  const parsed = lint ? lint.screenpop : lastParsed;
  const findings = lint?.findings ?? [];
  const beside = besideField(findings, FIELD);
  return (
    <CommandBar label="Screen pop actions" testId="screenpop-commands">
      <div className={styles.page}>
        <section className={styles.section} aria-labelledby="builder-title">
          <Subtitle2 as="h3" id="builder-title">
            Build
          </Subtitle2>
          <Builder onBuilt={setText} />
        </section>
        <section className={styles.section} aria-labelledby="screenpop-title">
          <Subtitle2 as="h3" id="screenpop-title">
            Screenpop URL (Outbound &gt; General)
          </Subtitle2>
          {template !== null && (
            <MessageBar intent="info" data-testid="screenpop-template">
              <MessageBarBody>
                <CopyValue label="Trying a hardcoded ID; your campaign's Screenpop URL stays" value={template} />
              </MessageBarBody>
              <MessageBarActions>
                <Button icon={<ArrowUndoRegular />} onClick={restore} data-testid="screenpop-restore">
                  Back to the template
                </Button>
              </MessageBarActions>
            </MessageBar>
          )}
          <Field
            label={FIELD}
            hint={
              <>
                Paste the value from your campaign, or build one above. Checked as you type against the guide (
                <GuideReference reference="Configuring Screen Pop for Preview Campaigns, step 2a" />
                ).
              </>
            }
            {...fieldValidation(findings, FIELD, true, setText)}
          >
            <Input
              className={styles.input}
              value={text}
              onChange={(_, data) => setText(data.value)}
              data-testid="screenpop-input"
              spellCheck={false}
            />
          </Field>
          {findings.length > 0 && <HighlightedText text={text} findings={findings} />}
          <FindingsList findings={findings.filter((f) => f !== beside)} label="Screenpop URL findings" onApply={setText} />
          {lint && findings.length === 0 && <span data-testid="screenpop-ok">No problems found.</span>}
        </section>
        <ListTester text={text} parsed={parsed} onTroubleshoot={hardcode} initialList={handoff?.list ?? null} />
      </div>
    </CommandBar>
  );
}
