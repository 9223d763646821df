// Record IDs typed one per line (or separated by commas): the text stays as typed, with
// its spaces, while the IDs in it are handed on; it follows `ids` when they change
// elsewhere (the org's app and role pickers).
import { useState } from "react";
import { Textarea } from "@fluentui/react-components";

const idsIn = (text: string) => text.split(/[\n,;]/).map((l) => l.trim()).filter(Boolean);

export function IdLines({ ids, onChange }: { ids: readonly string[]; onChange: (ids: string[]) => void }) {
  const [text, setText] = useState(ids.join("\n"));
  // Adjusting state while rendering (React's documented pattern) when the IDs change elsewhere.
  if (idsIn(text).join("\n") !== ids.join("\n")) setText(ids.join("\n"));
  return (
    <Textarea
      value={text}
      resize="vertical"
      onChange={(_, d) => {
        setText(d.value);
        onChange(idsIn(d.value));
      }}
    />
  );
}
