//! The Screenpop URL linter, builder, renderer and list check, through the public API.

use std::path::Path;

use dynbridge_core::dynamics_url::OrgUrl;
use dynbridge_core::screenpop::{self, build, check_list, lint, render, IdSource, OBJECT_TYPES};
use dynbridge_core::table::Table;
use dynbridge_core::Severity;
use proptest::prelude::*;

const GUID: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

/// The codes found, with the text each span covers.
fn codes(text: &str) -> Vec<(String, String)> {
    lint(text)
        .findings
        .into_iter()
        .map(|f| {
            let span = f.span.expect("every screenpop finding has a span");
            (f.code, text[span.start..span.end].to_owned())
        })
        .collect()
}

fn code_list(text: &str) -> Vec<String> {
    codes(text).into_iter().map(|(code, _)| code).collect()
}

#[test]
fn the_guides_example_is_clean() {
    let result = lint("SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact");
    assert!(result.findings.is_empty(), "{:?}", result.findings);
    let screenpop = result.screenpop.unwrap();
    assert_eq!(
        screenpop.id,
        IdSource::Column {
            column: "dyn_id".into()
        }
    );
    assert_eq!(screenpop.object_type.unwrap().logical_name, "contact");
}

#[test]
fn every_code_with_its_span() {
    let cases: &[(&str, &str, &str)] = &[
        ("", "screenpop.empty", ""),
        (
            " SHOW_OBJECT:$(workitem.otherInfo.id):lead",
            "screenpop.whitespace",
            " ",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo.id):lead  ",
            "screenpop.whitespace",
            "  ",
        ),
        (
            "$(workitem.otherInfo.id):contact",
            "screenpop.action_missing",
            "",
        ),
        (
            "show_object:$(workitem.otherInfo.id):contact",
            "screenpop.action_case",
            "show_object",
        ),
        (
            "SHOW_OBJCT:$(workitem.otherInfo.id):contact",
            "screenpop.action_misspelt",
            "SHOW_OBJCT",
        ),
        (
            "OPEN:$(workitem.otherInfo.id):contact",
            "screenpop.action_unknown",
            "OPEN",
        ),
        (
            "SHOW_OBJECT;$(workitem.otherInfo.id):contact",
            "screenpop.separator",
            ";",
        ),
        (
            "SHOW_OBJECT::$(workitem.otherInfo.id):contact",
            "screenpop.separator",
            "::",
        ),
        (
            "SHOW_OBJECT$(workitem.otherInfo.id):contact",
            "screenpop.separator_missing",
            "",
        ),
        (
            "SHOW_OBJECT: $(workitem.otherInfo.id):contact",
            "screenpop.space",
            ": ",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo.id:contact",
            "screenpop.unbalanced_parens",
            "$(workitem.otherInfo.id",
        ),
        (
            "SHOW_OBJECT:$workitem.otherInfo.id:contact",
            "screenpop.variable_parens",
            "$workitem.otherInfo.id",
        ),
        (
            "SHOW_OBJECT:(workitem.otherInfo.id):contact",
            "screenpop.variable_dollar",
            "",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherinfo.id):contact",
            "screenpop.variable_case",
            "workitem.otherinfo.",
        ),
        (
            "SHOW_OBJECT:$(item.id):contact",
            "screenpop.variable_root",
            "item.",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo.):contact",
            "screenpop.column_empty",
            "workitem.otherInfo.",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo):contact",
            "screenpop.column_empty",
            "workitem.otherInfo",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo. id):contact",
            "screenpop.space",
            " id",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo.XXX):contact",
            "screenpop.template_column",
            "XXX",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo.dyn-id):contact",
            "screenpop.column_chars",
            "dyn-id",
        ),
        ("SHOW_OBJECT::contact", "screenpop.separator", "::"),
        (
            "SHOW_OBJECT:{3f2504e0-4f89-41d3-9a0c-0305e82c3301}:contact",
            "screenpop.guid_braces",
            "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
        ),
        (
            "SHOW_OBJECT:3f2504e0-4f89-41d3-9a0c-0305e82c330:contact",
            "screenpop.guid_length",
            "3f2504e0-4f89-41d3-9a0c-0305e82c330",
        ),
        (
            "SHOW_OBJECT:3f2504e0-4f89-41d3-9a0c-0305e82c33g1:contact",
            "screenpop.guid_not_hex",
            "g",
        ),
        (
            "SHOW_OBJECT:3f2504e04f89-41d3-9a0c-0305e82c3301-:contact",
            "screenpop.guid_hyphens",
            "3f2504e04f89-41d3-9a0c-0305e82c3301-",
        ),
        (
            "SHOW_OBJECT:00aa0000-a0a0-a000-a00a-000a0a000a00:contact",
            "screenpop.placeholder_guid",
            "00aa0000-a0a0-a000-a00a-000a0a000a00",
        ),
        (
            "SHOW_OBJECT:dyn_id:contact",
            "screenpop.bare_column",
            "dyn_id",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo.id)",
            "screenpop.separator_missing",
            "",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo.id):",
            "screenpop.object_missing",
            "",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo.XXX):object",
            "screenpop.template_object",
            "object",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo.id):contacts",
            "screenpop.object_unknown",
            "contacts",
        ),
        (
            "SHOW_OBJECT:$(workitem.otherInfo.id):contact:extra",
            "screenpop.trailing_text",
            ":extra",
        ),
    ];
    for (text, code, covered) in cases {
        let found = codes(text);
        assert!(
            found.iter().any(|(c, s)| c == code && s == covered),
            "{text:?}: expected {code} over {covered:?}, found {found:?}"
        );
    }
}

#[test]
fn a_pasted_record_url_offers_its_screenpop_url() {
    let url = "https://contoso.crm.dynamics.com/main.aspx?appid=11111111-2222-3333-4444-555555555555&pagetype=entityrecord&etn=contact&id=%7B3F2504E0-4F89-41D3-9A0C-0305E82C3301%7D";
    let result = lint(url);
    assert!(result.screenpop.is_none());
    let [finding] = &result.findings[..] else {
        panic!("one finding expected: {:?}", result.findings)
    };
    assert_eq!(finding.code, "screenpop.record_url");
    let fixed = "SHOW_OBJECT:3f2504e0-4f89-41d3-9a0c-0305e82c3301:contact";
    assert_eq!(finding.replacement.as_deref(), Some(fixed));
    assert!(lint(fixed).findings.is_empty());
}

#[test]
fn unknown_objects_are_warnings_with_suggestions() {
    let result = lint("SHOW_OBJECT:$(workitem.otherInfo.id):incident");
    let finding = &result.findings[0];
    assert_eq!(
        (finding.severity, finding.code.as_str()),
        (Severity::Warning, "screenpop.object_unknown")
    );
    assert!(finding.message.contains("\"case\""), "{}", finding.message);
    assert!(result.screenpop.is_some(), "a warning still parses");
    assert!(
        lint("SHOW_OBJECT:$(workitem.otherInfo.id):contacts").findings[0]
            .message
            .contains("\"contact\"")
    );
}

#[test]
fn a_placeholder_guid_parses_with_a_warning_and_errors_do_not() {
    let placeholder = lint("SHOW_OBJECT:00aa0000-a0a0-a000-a00a-000a0a000a00:contact");
    assert!(placeholder.screenpop.is_some());
    assert!(lint("SHOW_OBJECT:$(item.id):contact").screenpop.is_none());
    assert_eq!(
        code_list("SHOW_OBJECT;$(item.id)::contacts x"),
        vec![
            "screenpop.separator",
            "screenpop.variable_root",
            "screenpop.separator",
            "screenpop.object_unknown",
            "screenpop.trailing_text"
        ]
    );
}

fn table(rows: &[&[&str]]) -> Table {
    Table::new(
        Path::new("list.csv"),
        rows[0].iter().map(|s| s.to_string()).collect(),
        rows[1..]
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect(),
    )
    .unwrap()
}

#[test]
fn render_substitutes_a_row_and_builds_the_record_url() {
    let list = table(&[&["name", "dyn_id"], &["Ann", GUID], &["Bob", ""]]);
    let screenpop = lint("SHOW_OBJECT:$(workitem.otherInfo.dyn_id):case")
        .screenpop
        .unwrap();
    let org = OrgUrl::parse("https://contoso.crm.dynamics.com", "Org")
        .0
        .unwrap();
    let rendered = render(&screenpop, Some((&list, 1)), Some(&org), None);
    assert!(rendered.findings.is_empty(), "{:?}", rendered.findings);
    assert_eq!(rendered.show_object, format!("SHOW_OBJECT:{GUID}:case"));
    assert_eq!(
        rendered.hardcoded.as_deref(),
        Some(rendered.show_object.as_str())
    );
    assert_eq!(
        rendered.record_url.unwrap(),
        format!("https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=incident&id={GUID}")
    );
    let empty = render(&screenpop, Some((&list, 2)), Some(&org), None);
    assert_eq!(empty.findings[0].code, "render.value_empty");
    assert!(
        empty.findings[0].message.contains("row 3"),
        "{}",
        empty.findings[0].message
    );
    assert_eq!(
        render(&screenpop, Some((&list, 9)), None, None).findings[0].code,
        "render.no_such_row"
    );
}

#[test]
fn render_names_a_missing_column_and_a_close_one() {
    let list = table(&[&["Dyn_ID"], &[GUID]]);
    let screenpop = lint("SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact")
        .screenpop
        .unwrap();
    let rendered = render(&screenpop, Some((&list, 1)), None, None);
    assert_eq!(rendered.findings[0].code, "list.column_missing");
    assert!(rendered.findings[0]
        .fix
        .as_deref()
        .unwrap()
        .contains("Dyn_ID"));
}

#[test]
fn check_list_counts_empty_malformed_and_duplicate_ids() {
    let upper = GUID.to_uppercase();
    let braced = format!("{{{GUID}}}");
    let list = table(&[
        &["dyn_id"],
        &[GUID],
        &[""],
        &["not-a-guid"],
        &[&upper],
        &[&braced],
        &["11111111-2222-3333-4444-555555555555"],
    ]);
    let screenpop = lint("SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact")
        .screenpop
        .unwrap();
    let check = check_list(&screenpop, &list);
    assert_eq!(check.rows, 6);
    assert_eq!(check.valid, 2);
    assert_eq!(
        (check.empty.count, check.empty.first_rows.clone()),
        (1, vec![3])
    );
    assert_eq!(
        (check.malformed.count, check.malformed.first_rows.clone()),
        (2, vec![4, 6])
    );
    assert_eq!(
        (check.duplicates.count, check.duplicates.first_rows.clone()),
        (1, vec![5])
    );
    let codes: Vec<&str> = check.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(
        codes,
        ["list.empty_ids", "list.malformed_ids", "list.duplicate_ids"]
    );
}

#[test]
fn check_list_refuses_a_hardcoded_screenpop() {
    let screenpop = lint(&format!("SHOW_OBJECT:{GUID}:contact"))
        .screenpop
        .unwrap();
    let check = check_list(&screenpop, &table(&[&["dyn_id"], &[GUID]]));
    assert_eq!(check.findings[0].code, "list.hardcoded_id");
}

proptest! {
    #[test]
    fn lint_never_panics_and_spans_are_char_boundaries(text in "\\PC{0,80}") {
        for finding in lint(&text).findings {
            let span = finding.span.unwrap();
            prop_assert!(span.start <= span.end && span.end <= text.len());
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
    }

    #[test]
    fn lint_never_panics_on_near_miss_grammar(text in "(SHOW_OBJECT|show_object|SHOW)?[:;]{0,2}(\\$?\\(?(workitem\\.otherInfo\\.|item\\.)?[a-z_ ]{0,8}\\)?|[0-9a-f{}-]{0,40})[:]{0,2}[a-z]{0,12}") {
        let _ = lint(&text);
    }

    #[test]
    fn build_then_lint_round_trips(column in "[A-Za-z_][A-Za-z0-9_]{0,20}", hardcoded in any::<bool>(), value in any::<u128>(), object in 0..OBJECT_TYPES.len()) {
        let object = &OBJECT_TYPES[object];
        let id = if hardcoded {
            IdSource::Hardcoded { id: format!("{value:032x}").parse::<dynbridge_core::guid::Guid>().unwrap().to_string() }
        } else {
            IdSource::Column { column: column.clone() }
        };
        let text = build(&id, object);
        let result = lint(&text);
        let errors: Vec<_> = result.findings.iter().filter(|f| f.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{} -> {:?}", text, errors);
        let parsed = result.screenpop.unwrap();
        prop_assert_eq!(parsed.id, id);
        prop_assert_eq!(parsed.object_type, Some(*object));
    }
}

#[test]
fn hardcoded_form_keeps_the_object() {
    let screenpop = lint("SHOW_OBJECT:$(workitem.otherInfo.id):lead")
        .screenpop
        .unwrap();
    assert_eq!(
        screenpop::hardcoded(&screenpop, GUID.parse().unwrap()),
        format!("SHOW_OBJECT:{GUID}:lead")
    );
}
