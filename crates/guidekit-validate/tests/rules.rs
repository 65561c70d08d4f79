//! The domain rules, one `check(patch, expected)` helper over the bundled guide: each case is a JSON merge
//! patch (RFC 7386, extended so that an object patches an array by index and `-` appends) applied to
//! `guides/aniracetam.json`, and the diagnostics it adds, compactly (code, severity, line:column, pointer,
//! message, then hints and related places). An empty expectation means the patch breaks no rule.
//!
//! Every rule's own failing example (`Rule::example`, shown in `docs/rules.md`) is checked here too, and
//! `docs/rules.md` itself is checked against the catalog.

use std::fmt::Write as _;

use guidekit_validate::{
    Config, Diagnostic, Level, Report,
    rules::{CATALOG, Stage},
    validate_with,
};
use serde_json::Value;

const GUIDE: &str = include_str!("../../../guides/aniracetam.json");

/// A fixed "today", so that GK171 (future date) can be triggered.
fn config() -> Config {
    let mut config = Config::default();
    config.today = Some((2026, 1, 1));
    config
}

fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(map), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    map.remove(key);
                } else {
                    merge(map.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
        (Value::Array(items), Value::Object(patch)) => {
            for (key, value) in patch {
                if key == "-" {
                    items.push(value.clone());
                } else {
                    let index: usize = key.parse().unwrap_or_else(|_| panic!("`{key}` is not an array index"));
                    merge(&mut items[index], value);
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// The bundled guide with `patch` applied, pretty-printed.
fn patched(patch: &str) -> String {
    let mut guide: Value = serde_json::from_str(GUIDE).expect("the bundled guide is JSON");
    let patch: Value = serde_json::from_str(patch).unwrap_or_else(|e| panic!("the patch is not JSON: {e}\n{patch}"));
    merge(&mut guide, &patch);
    serde_json::to_string_pretty(&guide).expect("serializable")
}

fn show(diagnostic: &Diagnostic) -> String {
    let position = diagnostic.span.map_or_else(|| "-:-".to_owned(), |s| format!("{}:{}", s.line, s.column));
    let pointer = if diagnostic.pointer.is_empty() { "(root)" } else { diagnostic.pointer.as_str() };
    let mut text =
        format!("{} {} {position} {pointer}: {}\n", diagnostic.code, diagnostic.severity.as_str(), diagnostic.message);
    for hint in &diagnostic.hints {
        let _ = writeln!(text, "  hint: {hint}");
    }
    for related in &diagnostic.related {
        let position = related.span.map_or_else(|| "-:-".to_owned(), |s| format!("{}:{}", s.line, s.column));
        let _ = writeln!(text, "  related: {position} {}: {}", related.pointer, related.message);
    }
    text
}

/// The diagnostics of the patched guide that the guide itself does not have (it has a GK103 warning: its
/// source cites one article twice).
fn added(patch: &str, config: &Config) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| (d.code, d.pointer.clone(), d.message.clone());
    let baseline: Vec<_> = validate_with(GUIDE.as_bytes(), "guide.json", config).diagnostics.iter().map(key).collect();
    let report: Report = validate_with(patched(patch).as_bytes(), "guide.json", config);
    report.diagnostics.into_iter().filter(|d| !baseline.contains(&key(d))).collect()
}

#[track_caller]
fn check(patch: &str, expected: &str) {
    let actual: String = added(patch, &config()).iter().map(show).collect();
    assert!(
        actual.trim() == expected.trim(),
        "patch {patch}\n--- expected\n{}\n--- actual\n{}\n---",
        expected.trim(),
        actual.trim()
    );
}

#[test]
fn every_rule_fails_its_own_example() {
    for rule in CATALOG.iter().filter(|r| r.stage == Stage::Domain) {
        let found = added(rule.example, &config());
        assert!(found.iter().any(|d| d.code == rule.code), "{}: its example does not trigger it: {found:?}", rule.code);
        assert!(
            found.iter().all(|d| d.code == rule.code || d.code == "GK102"),
            "{}: its example triggers other rules: {found:?}",
            rule.code
        );
        assert!(found.iter().all(|d| d.span.is_some()), "{}: a finding without a place: {found:?}", rule.code);
    }
    for rule in CATALOG.iter().filter(|r| r.stage != Stage::Domain && !r.example.is_empty()) {
        let report = validate_with(rule.example.as_bytes(), "example.json", &config());
        assert!(report.diagnostics.iter().any(|d| d.code == rule.code), "{}: {:?}", rule.code, report.diagnostics);
    }
}

#[test]
fn the_rules_reference_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == guidekit_validate::rules::reference_markdown(),
        "docs/rules.md is out of date with the rules: run `cargo xtask codegen` and commit the result"
    );
}

#[test]
fn rules_are_configured_by_code_or_by_name() {
    let patch = "{}";
    let base = || config();
    let warned: Vec<&str> =
        validate_with(GUIDE.as_bytes(), "guide.json", &base()).diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(warned, ["GK103"], "the bundled guide's one warning");
    for key in ["duplicate-reference", "GK103", "gk103"] {
        let mut config = Config::from_toml(&format!("[rules]\n{key} = \"allow\"\n")).expect("valid configuration");
        config.today = base().today;
        let report = validate_with(patched(patch).as_bytes(), "guide.json", &config);
        assert!(report.diagnostics.is_empty(), "`{key} = \"allow\"` silences GK103: {:?}", report.diagnostics);
    }
    let config = Config::from_toml("[rules]\nduplicate-reference = \"deny\"\n").expect("valid configuration");
    assert_eq!(config.level("GK103"), Some(Level::Deny));
    let report = validate_with(GUIDE.as_bytes(), "guide.json", &config);
    assert!(report.has_errors());
}

#[test]
fn parse_and_schema_codes_and_unknown_rules_are_refused_with_the_reason() {
    let error = |toml: &str| Config::from_toml(toml).expect_err(toml).to_string();
    assert_eq!(
        error("[rules]\nGK011 = \"allow\"\n"),
        "`GK011` (GK011) cannot be configured: it is a schema check, and a guide that fails it cannot be read; \
         only domain rules (GK100 and up) have levels"
    );
    assert!(error("[rules]\ninvalid-json = \"warn\"\n").contains("it is a parse check"));
    assert!(error("[rules]\nGK999 = \"allow\"\n").contains("unknown rule `GK999`"));
    assert!(error("[rules]\nGK103 = \"allow\"\nduplicate-reference = \"warn\"\n").contains("configured twice"));
    assert!(error("[rules]\nGK103 = \"sometimes\"\n").starts_with("invalid configuration"));
}

// One test per rule: the failing cases, then cases that must stay clean.

#[test]
fn gk101_unknown_citation() {
    check(
        r#"{"hypotheses": {"items": {"1": {"statement": "It raises acetylcholine.[@patsnap-aniracetam-use]"}}}}"#,
        r#"
GK101 error 85:48 /hypotheses/items/1/statement: citation `patsnap-aniracetam-use` names no reference
  hint: did you mean `patsnap-aniracetam-uses`?
GK102 warning 405:5 /references/3: reference `patsnap-aniracetam-uses` is never cited
  hint: cite it with `[@id]` where it supports a claim, or remove it
"#,
    );
    check(
        r#"{"references": {"3": {"id": "renamed"}}}"#,
        r#"
GK101 error 85:115 /hypotheses/items/1/statement: citation `patsnap-aniracetam-uses` names no reference
  hint: did you mean `patsnap-aniracetam-mechanism`?
GK102 warning 405:5 /references/3: reference `renamed` is never cited
  hint: cite it with `[@id]` where it supports a claim, or remove it
"#,
    );
    check(
        r#"{"hypotheses": {"items": {"1": {"statement": "It raises acetylcholine.[@patsnap-aniracetam-uses]"}}}}"#,
        "",
    );
}

#[test]
fn gk102_uncited_reference() {
    check(
        r#"{"references": {"-": {"id": "uncited", "type": "webpage", "title": "A page nobody cites"}}}"#,
        r#"
GK102 warning 446:5 /references/9: reference `uncited` is never cited
  hint: cite it with `[@id]` where it supports a claim, or remove it
"#,
    );
    check(
        r#"{"conclusion": {"text": "See [@uncited]."}, "references": {"-": {"id": "uncited", "type": "webpage", "title": "A page"}}}"#,
        "",
    );
}

#[test]
fn gk103_duplicate_reference() {
    check(
        r#"{"references": {"0": {"DOI": "10.1371/journal.pone.0104443"}, "1": {"DOI": "10.1371/JOURNAL.pone.0104443"}}}"#,
        r#"
GK103 warning 393:5 /references/1: references `cereflexlabs` and `patsnap-aniracetam-mechanism` look like the same work: they have the same DOI
  hint: keep one and cite it everywhere, or allow GK103 if both entries are deliberate
  related: 386:5 /references/0: `cereflexlabs` is here
"#,
    );
    check(
        r#"{"references": {"0": {"PMID": "25101904"}, "1": {"PMID": "25101904"}}}"#,
        r#"
GK103 warning 393:5 /references/1: references `cereflexlabs` and `patsnap-aniracetam-mechanism` look like the same work: they have the same PMID
  hint: keep one and cite it everywhere, or allow GK103 if both entries are deliberate
  related: 386:5 /references/0: `cereflexlabs` is here
"#,
    );
    check(
        r#"{"references": {"0": {"title": "What is the mechanism of Aniracetam"}}}"#,
        r#"
GK103 warning 392:5 /references/1: references `cereflexlabs` and `patsnap-aniracetam-mechanism` look like the same work: they have the same title
  hint: keep one and cite it everywhere, or allow GK103 if both entries are deliberate
  related: 386:5 /references/0: `cereflexlabs` is here
"#,
    );
    check(r#"{"references": {"0": {"PMID": "25101904"}, "1": {"PMID": "25101905"}}}"#, "");
}

#[test]
fn gk104_unsupported_claim() {
    check(
        r#"{"hypotheses": {"items": {"1": {"statement": "It raises acetylcholine."}}}}"#,
        r#"
GK104 warning 85:22 /hypotheses/items/1/statement: hypothesis `cholinergic-modulation` cites no reference
  hint: add `[@key]` to a statement or cell, or list keys in the row's `citations`
GK102 warning 405:5 /references/3: reference `patsnap-aniracetam-uses` is never cited
  hint: cite it with `[@id]` where it supports a claim, or remove it
"#,
    );
    check(
        r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"observation": "No change."}}}}}}}"#,
        r#"
GK104 warning 130:11 /data/tables/0/rows/0: row 1 of table `preclinical-in-vivo` cites no reference
  hint: add `[@key]` to a statement or cell, or list keys in the row's `citations`
"#,
    );
    check(
        r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"observation": "No change."}, "citations": ["cereflexlabs"]}}}}}}"#,
        "",
    );
}

#[test]
fn gk105_malformed_citation() {
    check(
        r#"{"conclusion": {"text": "AMPA receptors [@Smith 2020]."}}"#,
        r#"
GK105 error 383:30 /conclusion/text: `Smith 2020` is not a citation: expected `@` and an id
  hint: write citations as `[@key]` or `[@a; @b]`; escape a literal `[@` as `\[@`
"#,
    );
    check(
        r#"{"conclusion": {"text": "AMPA receptors [@cereflexlabs; pmc-aniracetam-amyloid-model]."}}"#,
        r#"
GK105 error 383:45 /conclusion/text: `pmc-aniracetam-amyloid-model` is not a citation: expected `@` and an id
  hint: write citations as `[@key]` or `[@a; @b]`; escape a literal `[@` as `\[@`
"#,
    );
    check(r#"{"conclusion": {"text": "A literal \\[@ is not a citation [@cereflexlabs]."}}"#, "");
}

#[test]
fn gk110_duplicate_id() {
    check(
        r#"{"protocols": {"items": {"1": {"id": "murine-cognitive-behavioral-assessment"}}}}"#,
        r#"
GK110 error 322:15 /protocols/items/1/id: duplicate protocol id `murine-cognitive-behavioral-assessment`
  hint: ids must be unique among the guide's items of one kind
  related: 287:15 /protocols/items/0/id: first used here
"#,
    );
    // A missing cell is an error: "not specified" must be written, or the reader cannot tell it from a loss.
    check(
        r#"{"data": {"tables": {"1": {"rows": {"2": {"cells": {"duration": null}}}}}}}"#,
        r#"
GK114 error 261:13 /data/tables/1/rows/2/cells: row 3 of table `clinical-studies` has no cell for the column `duration` (Duration)
  hint: write what the study reports, or `"duration": {"kind": "not_specified"}`
"#,
    );
    check(
        r#"{"data": {"tables": {"0": {"columns": {"1": {"key": "species"}}}}}}"#,
        r#"
GK110 error 114:20 /data/tables/0/columns/1/key: duplicate column id `species`
  hint: ids must be unique among the guide's items of one kind
  related: 109:20 /data/tables/0/columns/0/key: first used here
GK112 error 136:15 /data/tables/0/rows/0/cells/dosage: cell `dosage` names no column of table `preclinical-in-vivo`
GK112 error 154:15 /data/tables/0/rows/1/cells/dosage: cell `dosage` names no column of table `preclinical-in-vivo`
GK112 error 174:15 /data/tables/0/rows/2/cells/dosage: cell `dosage` names no column of table `preclinical-in-vivo`
"#,
    );
    check(r#"{"diagrams": {"items": {"1": {"id": "ampa-modulation"}}}}"#, "");
}

#[test]
fn gk111_unknown_cross_reference() {
    check(
        r#"{"conclusion": {"text": "See [@tbl:doses] and [@fig:ampa-receptor-modulatio]."}}"#,
        r#"
GK111 error 383:19 /conclusion/text: cross-reference `doses` names no table
  hint: add a table with id `doses`
GK111 error 383:36 /conclusion/text: cross-reference `ampa-receptor-modulatio` names no figure
  hint: did you mean `ampa-receptor-modulation`?
"#,
    );
    check(r#"{"conclusion": {"text": "See [@tbl:preclinical-in-vivo] and [@fig:ampa-receptor-modulation]."}}"#, "");
}

#[test]
fn gk112_unknown_column() {
    check(
        r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"dosge": "50 mg/kg"}}}}}}}"#,
        r#"
GK112 error 146:24 /data/tables/0/rows/0/cells/dosge: cell `dosge` names no column of table `preclinical-in-vivo`
  hint: did you mean `dosage`?
"#,
    );
}

#[test]
fn gk113_cell_kind_mismatch() {
    check(
        r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"dosage": "fifty"}}}}}}}"#,
        r#"
GK113 error 136:25 /data/tables/0/rows/0/cells/dosage: a text in column `dosage`, which holds doses
  hint: give a `dose` cell, or `{"kind": "not_specified"}`
"#,
    );
    check(
        r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"focus": {"kind": "duration", "value": 2, "unit": "week"}}}}}}}}"#,
        r#"
GK113 error 145:15 /data/tables/0/rows/0/cells/focus: a duration in column `focus`, which holds text
  hint: give a `text` cell, or `{"kind": "not_specified"}`
"#,
    );
    check(r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"focus": {"kind": "not_specified"}}}}}}}}"#, "");
}

#[test]
fn gk120_substitution_without_notice() {
    check(
        r#"{"notices": {"0": {"kind": "general"}}}"#,
        r#"
GK120 error 24:5 /compound/requested: the guide is about `Aniracetam` but `Amooracetal` was requested, and no notice tells the reader
  hint: add a notice of kind `substitution` that explains the substitution
"#,
    );
}

#[test]
fn gk121_substitution_notice_without_request() {
    check(
        r#"{"compound": {"requested": null}}"#,
        r#"
GK121 warning 32:15 /notices/0/kind: a substitution notice, but no requested compound is recorded
  hint: set `compound.requested.name` to the name that was asked for
"#,
    );
}

#[test]
fn gk122_requested_equals_subject() {
    check(
        r#"{"compound": {"requested": {"name": " aniracetam"}}}"#,
        r#"
GK122 warning 25:15 /compound/requested/name: the requested compound ` aniracetam` is the subject itself
  hint: remove `compound.requested`
"#,
    );
}

#[test]
fn gk130_invalid_doi() {
    check(
        r#"{"references": {"2": {"DOI": "https://doi.org/10.1371/journal.pone.0104443"}}}"#,
        r#"
GK130 error 404:14 /references/2/DOI: `https://doi.org/10.1371/journal.pone.0104443` is not a DOI: expected `10.NNNN/suffix` (write the bare DOI, without a URL or `doi:` prefix)
"#,
    );
    check(
        r#"{"references": {"2": {"DOI": "10.12/x"}}}"#,
        r#"
GK130 error 404:14 /references/2/DOI: `10.12/x` is not a DOI: expected `10.NNNN/suffix`
"#,
    );
    check(r#"{"references": {"2": {"DOI": "10.1371/journal.pone.0104443"}}}"#, "");
}

#[test]
fn gk131_invalid_pmid() {
    check(
        r#"{"references": {"2": {"PMID": "PMID:25101904"}}}"#,
        r#"
GK131 error 404:15 /references/2/PMID: `PMID:25101904` is not a PMID: expected digits only
"#,
    );
    check(r#"{"references": {"2": {"PMID": "25101904"}}}"#, "");
}

#[test]
fn gk132_invalid_pmcid() {
    check(
        r#"{"references": {"4": {"PMCID": "4125160"}}}"#,
        r#"
GK132 error 417:16 /references/4/PMCID: `4125160` is not a PMCID: expected `PMC` and digits
"#,
    );
    check(r#"{"references": {"4": {"PMCID": "PMC4125160"}}}"#, "");
}

#[test]
fn gk133_invalid_cas_number() {
    check(
        r#"{"compound": {"subject": {"identifiers": {"cas": "7732-18-4"}}}}"#,
        r#"
GK133 error 23:16 /compound/subject/identifiers/cas: `7732-18-4` is not a valid CAS Registry Number: the check digit should be 5, not 4
"#,
    );
    check(
        r#"{"compound": {"subject": {"identifiers": {"cas": "7732185"}}}}"#,
        r#"
GK133 error 23:16 /compound/subject/identifiers/cas: `7732185` is not a valid CAS Registry Number: expected three groups of digits separated by `-`
"#,
    );
    check(r#"{"compound": {"subject": {"identifiers": {"cas": "72432-10-1"}}}}"#, "");
}

#[test]
fn gk134_invalid_inchikey() {
    check(
        r#"{"compound": {"subject": {"identifiers": {"inchikey": "ZXNRTKGTQJPIJK-UHFFFAOYSA"}}}}"#,
        r#"
GK134 error 23:21 /compound/subject/identifiers/inchikey: `ZXNRTKGTQJPIJK-UHFFFAOYSA` is not a standard InChIKey: expected 14 letters, `-`, 10 letters, `-`, 1 letter
"#,
    );
    check(r#"{"compound": {"subject": {"identifiers": {"inchikey": "ZXNRTKGTQJPIJK-UHFFFAOYSA-N"}}}}"#, "");
}

#[test]
fn gk135_invalid_pubchem_cid() {
    check(
        r#"{"compound": {"subject": {"identifiers": {"pubchem_cid": "CID2196"}}}}"#,
        r#"
GK135 error 23:24 /compound/subject/identifiers/pubchem_cid: `CID2196` is not a PubChem CID: expected digits only
"#,
    );
    check(r#"{"compound": {"subject": {"identifiers": {"pubchem_cid": "2196"}}}}"#, "");
}

#[test]
fn gk136_invalid_chembl_id() {
    check(
        r#"{"compound": {"subject": {"identifiers": {"chembl": "chembl25"}}}}"#,
        r#"
GK136 error 23:19 /compound/subject/identifiers/chembl: `chembl25` is not a ChEMBL id: expected `CHEMBL` and digits
"#,
    );
    check(r#"{"compound": {"subject": {"identifiers": {"chembl": "CHEMBL25"}}}}"#, "");
}

#[test]
fn gk140_unknown_dose_unit() {
    check(
        r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"dosage": {"unit": "mg/kq"}}}}}}}}"#,
        r#"
GK140 warning 141:25 /data/tables/0/rows/0/cells/dosage/unit: unknown dose unit `mg/kq`
  hint: did you mean `mg/kg`?
"#,
    );
    check(r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"dosage": {"unit": "ug/kg"}}}}}}}}"#, "");
}

#[test]
fn gk141_time_unit_as_dose() {
    check(
        r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"dosage": {"unit": "Days"}}}}}}}}"#,
        r#"
GK141 error 141:25 /data/tables/0/rows/0/cells/dosage/unit: dose unit `Days` is a unit of time
  hint: a length of time belongs in a `duration` cell
"#,
    );
}

#[test]
fn gk150_to_gk154_diagrams() {
    // An unclosed `[` makes the parser stop at the next statement; the hint names the `[`.
    check(
        r#"{"diagrams": {"items": {"0": {"dot": "digraph {\n  a [label=\"A\";\n  b [label=\"B\"];\n  a -> b;\n}"}}}}"#,
        r#"
GK150 error 366:51 /diagrams/items/0/dot: diagram `ampa-receptor-modulation` has invalid DOT: expected `=`, found `[`
  hint: the `[` that opens this attribute list is never closed with `]` (the `[` is at line 2, column 5 of the DOT source)
"#,
    );
    check(
        r#"{"diagrams": {"items": {"0": {"dot": "digraph { a -> }"}}}}"#,
        r#"
GK150 error 366:32 /diagrams/items/0/dot: diagram `ampa-receptor-modulation` has invalid DOT: expected a name or a quoted string, found `}`
"#,
    );
    check(
        r#"{"diagrams": {"items": {"0": {"alt": "A diagram."}}}}"#,
        r#"
GK151 warning 365:16 /diagrams/items/0/alt: the alt text of diagram `ampa-receptor-modulation` does not describe it
  hint: say what the diagram shows: its elements and how they connect
"#,
    );
    // Clusters, HTML labels and edges to groups: the built-in renderer draws them all (GK153 is gone).
    check(
        r#"{"diagrams": {"items": {"0": {"dot": "digraph { subgraph cluster_a { a -> {b c} } d [label=<<b>d</b>>] }"}}}}"#,
        "",
    );
    check(
        r#"{"diagrams": {"items": {"0": {"dot": "digraph { a [image=\"/etc/passwd\"] }"}}}}"#,
        r#"
GK154 error 366:30 /diagrams/items/0/dot: diagram `ampa-receptor-modulation` sets `image`, which makes Graphviz read a file
"#,
    );
    check(
        r#"{"diagrams": {"items": {"0": {"dot": "digraph { a [IMAGE=\"/etc/passwd\"] }"}}}}"#,
        r#"
GK154 error 366:30 /diagrams/items/0/dot: diagram `ampa-receptor-modulation` sets `IMAGE`, which makes Graphviz read a file
"#,
    );
    check(
        r#"{"diagrams": {"items": {"0": {"dot": "digraph { a [URL=\"https://e.org/?a=1&b=2\"]; b [href=\"https://e.org/x\"] }"}}}}"#,
        r#"
GK155 error 366:34 /diagrams/items/0/dot: diagram `ampa-receptor-modulation` sets `URL` to a value with `<`, `&` or `"`, which Graphviz writes into SVG unescaped
  hint: remove the link (diagrams are drawn without links), or percent-encode it
"#,
    );
    let complete = |n: usize| -> String {
        let edges: Vec<String> =
            (0..n).flat_map(|i| (0..n).filter(move |j| *j != i).map(move |j| format!("n{i} -> n{j};"))).collect();
        format!(r#"{{"diagrams": {{"items": {{"0": {{"dot": "digraph {{ {} }}"}}}}}}}}"#, edges.join(" "))
    };
    check(
        &complete(12),
        r#"
GK152 error 366:16 /diagrams/items/0/dot: diagram `ampa-receptor-modulation` is too large to lay out: its layout needs about 557,096 units of work (limit: 300,000): 12 nodes and 132 edges over 12 ranks, up to 61 wide once each edge is counted in every rank it crosses
  hint: split it into smaller diagrams, or drop edges that skip over many ranks
"#,
    );
    check(&complete(11), "");
}

#[test]
fn gk160_placeholder_text() {
    check(
        r#"{"conclusion": {"text": "TODO: write the conclusion. A TODOS list is fine."}}"#,
        r#"
GK160 error 383:14 /conclusion/text: leftover placeholder: `TODO`
  hint: replace it with the real content, or remove it
"#,
    );
    check(
        r#"{"compound": {"actions": {"0": {"label": "Click to download"}}}}"#,
        r#"
GK160 error 30:19 /compound/actions/0/label: leftover placeholder: "click to download"
  hint: replace it with the real content, or remove it
"#,
    );
    check(
        r#"{"conclusion": {"text": "See [the data](#)."}}"#,
        r#"
GK160 error 383:28 /conclusion/text: leftover placeholder: a link that leads nowhere
  hint: replace it with the real content, or remove it
"#,
    );
    // Every string is read, not only prose: titles, names, references and DOT sources (the places
    // `guidekit new` leaves placeholders), but not `extensions`, which guidekit keeps without reading.
    check(
        r#"{"metadata": {"title": "TODO: the title"}, "references": {"0": {"title": "FIXME"}},
            "extensions": {"acme:note": "TODO: not ours"}}"#,
        r#"
GK160 error 5:15 /metadata/title: leftover placeholder: `TODO`
  hint: replace it with the real content, or remove it
GK160 error 389:17 /references/0/title: leftover placeholder: `FIXME`
  hint: replace it with the real content, or remove it
"#,
    );
}

#[test]
fn gk161_empty_step() {
    check(
        r#"{"protocols": {"items": {"0": {"steps": {"0": {"label": null, "text": null}}}}}}"#,
        r#"
GK161 error 290:11 /protocols/items/0/steps/0: a protocol step with no label, text or sub-steps
"#,
    );
    // A sub-step's pointer names every step on the way to it.
    check(
        r#"{"protocols": {"items": {"1": {"steps": {"0": {"steps": [{"text": "Weigh."}, {}]}}}}}}"#,
        r#"
GK161 error 332:15 /protocols/items/1/steps/0/steps/1: a protocol step with no label, text or sub-steps
"#,
    );
}

#[test]
fn gk170_invalid_date() {
    check(
        r#"{"metadata": {"published": "2025-02-30"}}"#,
        r#"
GK170 error 14:18 /metadata/published: `2025-02-30` is not a date: the month has no day 30
"#,
    );
    check(r#"{"metadata": {"published": "2024-02-29"}}"#, "");
    check(
        r#"{"references": {"0": {"issued": {"date-parts": [[2020, 13], [2021, 2, 30]]}}}}"#,
        r#"
GK170 error 393:11 /references/0/issued/date-parts/0: invalid date: month 13 does not exist
GK170 error 397:11 /references/0/issued/date-parts/1: invalid date: day 30 does not exist in month 2
"#,
    );
}

#[test]
fn gk171_future_date() {
    check(
        r#"{"metadata": {"published": "2026-01-02"}}"#,
        r#"
GK171 warning 14:18 /metadata/published: the publication date `2026-01-02` is in the future
"#,
    );
    check(r#"{"metadata": {"published": "2026-01-01"}}"#, "");
}

#[test]
fn gk172_citation_year_mismatch() {
    check(
        r#"{"citation": {"text": "BenchChem (2019). The Hypothesized Mechanism of Action of Aniracetam."}}"#,
        r#"
GK172 warning 449:13 /citation/text: the citation text gives the year `2019`, but the guide was published in 2025
"#,
    );
    check(r#"{"citation": {"text": "BenchChem (2025). The Hypothesized Mechanism of Action of Aniracetam."}}"#, "");
}
