//! Calling lists for Bright Pattern from Dynamics "Export to Excel" files (or any
//! spreadsheet or CSV), offline: open and inspect the file, import it with phones
//! normalised and consent honoured, and write the list, the rejects and a summary.

pub mod detect;
pub mod hidden_sheet;
pub mod import;
pub mod phone;
pub mod saved;
pub mod source;

pub use detect::{Role, SourceColumn};
pub use import::{
    import, inspect, inspect_until, ImportError, ImportOptions, ImportSummary, ImportedList,
    Inspection, OutputColumn, Reject, RejectReason, STOP_CHECK_ROWS,
};
pub use source::{Format, ReadLimits, Source};
