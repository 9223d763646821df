//! The Dynbridge domain, free of network, async, keychains and Tauri.
//!
//! Every rule the app and the CLI apply (validation, URL building, phone rules,
//! screen pop grammar) lives once, here. Validators report [`Finding`]s rather than
//! strings, so each face can show them its own way while tests assert on stable codes.

pub mod account;
pub mod app_info;
pub mod brightpattern;
pub mod channel;
pub mod dynamics_url;
pub mod excel_cells;
pub mod findings;
pub mod fs;
pub mod guid;
pub mod lists;
pub mod screenpop;
pub mod table;

pub use app_info::AppInfo;
pub use findings::{Finding, Severity, Span};
