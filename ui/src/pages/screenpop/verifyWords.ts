// What verifying an ID in Dynamics found (Rust's dataverse::verify::RowStatus), in words.
// Keyed by the generated union, so a status added in Rust fails the type check until it
// has words here.
import type { RowStatus } from "../../api/bindings/RowStatus";

/** A row's outcome, read after a record's name ("Ana Silva: found") and in the Status column. */
export const ROW_STATUS: Record<RowStatus, string> = {
  found: "found",
  missing: "not found in Dynamics",
  other_type: "a record of another type",
  inactive: "inactive",
  do_not_phone: "marked \u201cDo not allow Phone Calls\u201d",
  unchecked: "not checked",
};
