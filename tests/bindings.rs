//! The TypeScript bindings in `ui/src/api/bindings/` must match the Rust types that
//! cross the IPC boundary, from every crate. Run with `DYNBRIDGE_BLESS=1` (or `cargo xtask bindings`) to
//! rewrite them after changing a type.

use std::path::{Path, PathBuf};

use dynbridge_app::bp_ipc::{
    BpCampaign, BpTestResult, DncChoice, DncPhone, DncResult, RejectGroup, RejectedRow, SendMode,
    SendProgress, SendReport,
};
use dynbridge_core::account::entra::OAuthVersion;
use dynbridge_core::account::Account;
use dynbridge_core::brightpattern::Connection;
use dynbridge_core::channel::channel_url::ChannelUrlCheck;
use dynbridge_core::channel::{ApiVersion, ChannelBuild, ChannelInputs, FormValue};
use dynbridge_core::lists::detect::{Role, SourceColumn};
use dynbridge_core::lists::import::{FieldType, ReasonCount};
use dynbridge_core::lists::{
    Format, ImportOptions, ImportSummary, Inspection, OutputColumn, Reject, RejectReason,
};
use dynbridge_core::screenpop::{IdSource, Lint, ListCheck, ObjectType, Rendered, Screenpop};
use dynbridge_core::table::{RowProblem, RowsPage, TableSummary};
use dynbridge_core::{AppInfo, Finding, Severity, Span};
use dynbridge_dataverse::channel::{Change, Choice, OrgChoices, PushResult};
use dynbridge_dataverse::doctor::{DoctorReport, Status, Step};
use dynbridge_dataverse::verify::{RowStatus, RowVerdict, VerifyProgress, VerifyReport};
use dynbridge_dataverse::ConnectionReport;
use dynbridge_store::accounts::{AccountView, NameClash};
use dynbridge_store::brightpattern::ConnectionView;
use dynbridge_store::recent::RecentPage;
use ts_rs::{Config, TS};

fn bindings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/api/bindings")
}

/// Each exported type with its rendered TypeScript module.
fn rendered() -> Vec<(String, String)> {
    let cfg = Config::new();
    fn one<T: TS + 'static>(cfg: &Config) -> (String, String) {
        let source = T::export_to_string(cfg).expect("ts-rs renders the type");
        (format!("{}.ts", T::name(cfg)), source)
    }
    vec![
        one::<Account>(&cfg),
        one::<AccountView>(&cfg),
        one::<NameClash>(&cfg),
        one::<RecentPage>(&cfg),
        one::<ConnectionReport>(&cfg),
        one::<DoctorReport>(&cfg),
        one::<Change>(&cfg),
        one::<Choice>(&cfg),
        one::<OrgChoices>(&cfg),
        one::<PushResult>(&cfg),
        one::<RowStatus>(&cfg),
        one::<RowVerdict>(&cfg),
        one::<VerifyReport>(&cfg),
        one::<VerifyProgress>(&cfg),
        one::<Status>(&cfg),
        one::<Step>(&cfg),
        one::<AppInfo>(&cfg),
        one::<OAuthVersion>(&cfg),
        one::<Finding>(&cfg),
        one::<Severity>(&cfg),
        one::<Span>(&cfg),
        one::<IdSource>(&cfg),
        one::<Lint>(&cfg),
        one::<ListCheck>(&cfg),
        one::<ObjectType>(&cfg),
        one::<Rendered>(&cfg),
        one::<RowProblem>(&cfg),
        one::<Screenpop>(&cfg),
        one::<RowsPage>(&cfg),
        one::<TableSummary>(&cfg),
        one::<ApiVersion>(&cfg),
        one::<ChannelBuild>(&cfg),
        one::<ChannelInputs>(&cfg),
        one::<ChannelUrlCheck>(&cfg),
        one::<FormValue>(&cfg),
        one::<FieldType>(&cfg),
        one::<Format>(&cfg),
        one::<ImportOptions>(&cfg),
        one::<ImportSummary>(&cfg),
        one::<Inspection>(&cfg),
        one::<OutputColumn>(&cfg),
        one::<ReasonCount>(&cfg),
        one::<Reject>(&cfg),
        one::<RejectReason>(&cfg),
        one::<Role>(&cfg),
        one::<SourceColumn>(&cfg),
        one::<Connection>(&cfg),
        one::<ConnectionView>(&cfg),
        one::<BpCampaign>(&cfg),
        one::<BpTestResult>(&cfg),
        one::<DncChoice>(&cfg),
        one::<DncPhone>(&cfg),
        one::<DncResult>(&cfg),
        one::<RejectGroup>(&cfg),
        one::<RejectedRow>(&cfg),
        one::<SendMode>(&cfg),
        one::<SendProgress>(&cfg),
        one::<SendReport>(&cfg),
    ]
}

#[test]
fn typescript_bindings_are_fresh() {
    let dir = bindings_dir();
    let bless = std::env::var_os("DYNBRIDGE_BLESS").is_some();
    let mut stale = Vec::new();
    for (file, source) in rendered() {
        let path = dir.join(&file);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &source).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(source.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale TypeScript bindings in {}: {stale:?}; run `cargo xtask bindings`",
        dir.display()
    );
}
