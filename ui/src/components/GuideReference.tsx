// A guide reference as written ("Section A, step 4"), or a label for one (a Doctor
// step's "A4"): a link that opens that step of Bright Pattern's online guide in the
// system browser (the opener), or plain text where the reference names no part of the
// guide Dynbridge knows.
import { useState, type ReactNode } from "react";
import { Link, makeStyles } from "@fluentui/react-components";
import { errorMessage, openInBrowser } from "../api";
import { guideUrl } from "./guide";

// The text's own size, as an anchor link has (a link rendered as a button has Fluent's body size).
const useStyles = makeStyles({ link: { fontSize: "inherit", lineHeight: "inherit" } });

export function GuideReference({ reference, children }: { reference: string; children?: ReactNode }) {
  const styles = useStyles();
  const [failed, setFailed] = useState<string | null>(null);
  const url = guideUrl(reference);
  const label = children ?? reference;
  if (!url) return label;
  const open = () =>
    openInBrowser(url).then(
      () => setFailed(null),
      (e: unknown) => setFailed(errorMessage(e)),
    );
  return (
    <>
      <Link as="button" inline className={styles.link} title={url} onClick={() => void open()} data-testid="guide-link">
        {label}
      </Link>
      {failed && <span role="alert"> (the browser could not be opened: {failed})</span>}
    </>
  );
}

/** Matches the guide references written inside a sentence, e.g. "Section A, step 1.4". */
const REFERENCE_IN_TEXT = /(Section [AB], steps? \d+(?:\.\d+)?)/;

/** Text with the guide references it mentions ("… (Section A, step 5)") as links. */
export function GuideText({ text }: { text: string }) {
  const parts = text.split(REFERENCE_IN_TEXT);
  return parts.map((part, i) => (i % 2 === 1 ? <GuideReference key={i} reference={part} /> : part));
}
