// The push result in the form's words: each msdyn_ciprovider column by the label the
// "New Channel Provider" form gives it, and its value as the form shows it.
import type { Change } from "../../api/bindings/Change";

/** Column, the form's label, and how a value of it reads. */
const COLUMNS: Record<string, { label: string; value?: (raw: string) => string }> = {
  msdyn_name: { label: "Name" },
  msdyn_label: { label: "Label" },
  msdyn_landingurl: { label: "Channel URL" },
  msdyn_clicktoact: { label: "Enable Outbound Communication", value: yesNo },
  msdyn_sortorder: { label: "Channel Order" },
  // CIF's option set: 0 is "1.0", 1 is "2.0" (as core::channel::ApiVersion).
  msdyn_ciproviderapiversion: { label: "API Version", value: (raw) => ({ "0": "1.0", "1": "2.0" })[raw] ?? raw },
  msdyn_trusteddomain: { label: "Trusted Domain" },
  msdyn_appselector: { label: "Unified Interface apps", value: count("app") },
  msdyn_roleselector: { label: "Roles", value: count("role") },
  msdyn_enableanalytics: { label: "Enable Analytics", value: yesNo },
};

function yesNo(raw: string): string {
  return raw === "true" ? "Yes" : raw === "false" ? "No" : raw;
}

/** "2 apps" for a selector holding two IDs. */
function count(noun: string) {
  return (raw: string) => {
    const n = raw.split(/[;,]/).filter((id) => id.trim() !== "").length;
    return n === 0 ? "none" : `${n} ${noun}${n === 1 ? "" : "s"}`;
  };
}

/** A change as "Label: before → after" (or "Label: value" for a new record). */
export function changeText(change: Change, created: boolean): string {
  const column = COLUMNS[change.column];
  const show = (raw: string) => (raw === "" || raw === "null" ? "empty" : (column?.value?.(raw) ?? raw));
  const label = column?.label ?? change.column;
  return created || change.before === null ? `${label}: ${show(change.after)}` : `${label}: ${show(change.before)} \u2192 ${show(change.after)}`;
}
