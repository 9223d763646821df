// The import's codes in the words an admin reads: why a row was left out (Rust's
// core::lists::import::RejectReason) and what a column was detected as (Rust's
// core::lists::detect::Role), with Dynamics' and Bright Pattern's labels. Keyed by the
// generated unions, so a value added in Rust fails the type check until it has words.
import type { RejectReason } from "../../api/bindings/RejectReason";
import type { Role } from "../../api/bindings/Role";

/** Why rows were rejected, read after a count ("2 without a record ID") and in the Why column. */
export const REJECT_REASONS: Record<RejectReason, string> = {
  id_missing: "without a record ID",
  id_malformed: "with a record ID that is not a valid GUID",
  do_not_call: "marked \u201cDo not allow Phone Calls\u201d",
  no_valid_phone: "without a phone number Bright Pattern accepts",
  duplicate_id: "repeating an earlier row\u2019s record ID",
  duplicate_phone: "repeating an earlier row\u2019s phone number",
  phone_rounded_by_excel: "with a phone number Excel rounded (like 1.42556E+10)",
};

/** What a source column holds, as Dynamics labels it. */
export const ROLES: Record<Role, string> = {
  id: "Record ID",
  row_checksum: "Row Checksum (the export's bookkeeping)",
  modified_on: "Modified On (the export's bookkeeping)",
  phone: "Phone number",
  first_name: "First Name",
  last_name: "Last Name",
  full_name: "Full Name",
  account: "Account or Company Name",
  email: "Email",
  do_not_phone: "Do not allow Phone Calls",
  custom: "Other",
};
