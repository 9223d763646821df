// Findings in the GUI's words: the crates write fixes for the command line too, so a fix
// naming a CLI flag is said here with the label of the control that does the same.
import type { Finding } from "../api";

/** The GUI's fix for each finding whose crate fix names a command-line flag. */
const GUI_FIXES: Record<string, string> = {
  "list.duplicate_ids": "tick \u201cRemove duplicates\u201d and import again to keep only the first",
  "list.duplicate_phones": "tick \u201cRemove duplicates\u201d and import again to keep only the first",
  "list.do_not_call_included":
    "make sure these contacts consented; otherwise untick \u201cInclude rows marked Do not allow Phone Calls\u201d and import again",
  "list.do_not_call_unclear": "tick the values that mean \u201cDo not allow phone calls\u201d above, then import",
};

/** A command-line flag (`--dedupe`) or a command (`dynbridge list import`). */
const CLI_WORDS = /(^|\s)--[a-z]|\bdynbridge [a-z]/;

/** `finding` as the GUI shows it: a fix in the GUI's words, none if only the CLI has one. */
export function forGui(finding: Finding): Finding {
  const fix = GUI_FIXES[finding.code] ?? finding.fix;
  return { ...finding, fix: fix && !CLI_WORDS.test(fix) ? fix : null };
}

/** The text as a sentence: its first letter capitalised and a full stop at the end. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const ended = /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
  return ended.charAt(0).toUpperCase() + ended.slice(1);
}
