//! Stage 3: domain rules, and the catalog of every diagnostic code with its explanation.
//!
//! Codes below `GK100` come from parsing (`GK00x`) and the schema (`GK01x`, `GK020`); they cannot be
//! allowed away, since a guide that breaks them cannot be read. Codes from `GK100` on are domain rules and
//! can be set to `allow`, `warn` or `deny` in a `guidekit.toml`.

use std::collections::{BTreeMap, HashMap};

use guidekit_model::{
    Cell, CellValue, ColumnKind, Guide, Step, dot,
    text::Target,
    walk::{self, Citation},
};

use crate::{Config, Diagnostic, Related, Severity, Span, parse::Parsed, schema::closest, source::literal_offset};

/// A diagnostic code and what it means.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The stable code, e.g. `GK101`.
    pub code: &'static str,
    /// A short kebab-case name, e.g. `unknown-citation`.
    pub name: &'static str,
    /// The severity unless configured otherwise.
    pub severity: Severity,
    /// One paragraph: what the rule checks, why it matters, and how to fix a finding.
    pub explanation: &'static str,
}

const fn rule(code: &'static str, name: &'static str, severity: Severity, explanation: &'static str) -> Rule {
    Rule { code, name, severity, explanation }
}

use Severity::{Error, Warning};

/// Every code guidekit reports, in order.
pub const CATALOG: &[Rule] = &[
    rule(
        "GK001",
        "invalid-json",
        Error,
        "The file is not valid JSON. The message says what the JSON reader expected at the position shown; common causes are a missing comma between two items, a comma after the last item, a key without double quotes, or a file cut short.",
    ),
    rule(
        "GK002",
        "duplicate-key",
        Error,
        "An object has the same key twice. JSON readers keep only one of the two values (most keep the last) without saying so, so one of the two is silently lost. Remove one, or merge them.",
    ),
    rule(
        "GK003",
        "invalid-encoding",
        Error,
        "The file is not UTF-8 text. Guides are UTF-8 (a UTF-8 byte-order mark is accepted). The message gives the offset of the first byte that is not valid UTF-8; re-save the file as UTF-8.",
    ),
    rule(
        "GK004",
        "file-too-large",
        Error,
        "The file is larger than the size limit (8 MiB by default). A guide is usually tens of kilobytes; a larger file is probably not a guide, or embeds data that belongs elsewhere.",
    ),
    rule(
        "GK005",
        "nesting-too-deep",
        Error,
        "Objects and arrays are nested deeper than the limit (64 levels). A guide nests about ten levels deep; a deeper file is probably not a guide, and refusing it protects the tools that read it.",
    ),
    rule(
        "GK011",
        "unknown-key",
        Error,
        "An object has a key the guide format does not define. Unknown keys are rejected so that a misspelt key (`citation` for `citations`) is caught instead of silently ignored. The hint suggests the closest known key. Data the format does not know belongs under the top-level `extensions` object.",
    ),
    rule(
        "GK012",
        "missing-key",
        Error,
        "A required key is missing. The hint says what the key holds; `guidekit schema` prints the whole format with a description of every key.",
    ),
    rule(
        "GK013",
        "wrong-type",
        Error,
        "A value has the wrong JSON type: a string where an object is expected, a number written as a string, a single value where a list is expected, and so on.",
    ),
    rule(
        "GK014",
        "unknown-value",
        Error,
        "A value is not one of those the format allows here (a guide kind, a notice kind, a route, a cell kind, a CSL item type...). The hint lists the allowed values and suggests the closest one.",
    ),
    rule(
        "GK015",
        "invalid-format",
        Error,
        "A string does not have the required form: ids are lowercase letters, digits, `_`, `.` and `-`; URLs are absolute http, https or mailto addresses; dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; lines of plain text have no line breaks and at least one visible character.",
    ),
    rule(
        "GK016",
        "item-count",
        Error,
        "A list has fewer (or more) items than allowed: sections, tables, rows, columns, protocol steps and authors need at least one item. Leave an optional key out rather than giving it an empty list.",
    ),
    rule(
        "GK017",
        "out-of-range",
        Error,
        "A number is out of range: amounts, doses and durations must be greater than zero, and counts of subjects at least one.",
    ),
    rule(
        "GK019",
        "schema",
        Error,
        "The guide breaks a constraint of the JSON Schema not covered by a more specific code. The message names the constraint.",
    ),
    rule(
        "GK020",
        "schema-model-disagreement",
        Error,
        "The guide passes the JSON Schema but cannot be read into guidekit's data model. The schema is generated from the model, so this is a bug in guidekit; please report it with the guide.",
    ),
    rule(
        "GK101",
        "unknown-citation",
        Error,
        "Text cites a reference (`[@key]`) or a `citations` list names a key that no entry in `references` has. A reader would see a citation number that points nowhere. Add the reference, or correct the key; the hint suggests the closest existing key.",
    ),
    rule(
        "GK102",
        "uncited-reference",
        Warning,
        "A reference is never cited. References are numbered by first citation; an uncited reference is still listed, numbered after all the cited ones, so the list holds an entry that no statement relies on. Cite it where it supports a claim, or remove it.",
    ),
    rule(
        "GK103",
        "duplicate-reference",
        Warning,
        "Two references appear to be the same work: they share a DOI, PMID or PMCID, or have the same title once case and punctuation are ignored. Sources sometimes cite one article in two places (as the Aniracetam seed does with its references 6 and 7); usually one entry should go. Allow the rule in `guidekit.toml` if the duplication is deliberate.",
    ),
    rule(
        "GK104",
        "unsupported-claim",
        Warning,
        "A hypothesis or a table row cites nothing. Every claim in a guide should be traceable to a reference: add a citation to the statement, to a cell, or to the row's `citations`.",
    ),
    rule(
        "GK105",
        "malformed-citation",
        Error,
        "A citation group contains an item that is not `@` followed by an id, such as `[@Smith 2020]` or `[@a; b]`. Write each item as `@key`, separated by `;`. To write a literal `[@`, escape it as `\\[@`.",
    ),
    rule(
        "GK110",
        "duplicate-id",
        Error,
        "Two items of the same kind (hypotheses, tables, protocols, diagrams, references, or the columns of one table) share an id. Ids must be unique so that citations and cross-references are unambiguous.",
    ),
    rule(
        "GK111",
        "unknown-cross-reference",
        Error,
        "Text refers to a table (`[@tbl:id]`) or figure (`[@fig:id]`) that does not exist. Correct the id; the hint suggests the closest existing one.",
    ),
    rule(
        "GK112",
        "unknown-column",
        Error,
        "A table row has a cell for a column key the table does not declare. The cell would never be shown. Correct the key or declare the column.",
    ),
    rule(
        "GK113",
        "cell-kind-mismatch",
        Error,
        "A cell's kind does not match its column's kind: a duration in a dose column, a dose in a text column, and so on. `not_specified` fits any column.",
    ),
    rule(
        "GK120",
        "substitution-without-notice",
        Error,
        "The guide is about another compound than the one requested (`compound.requested` is set and differs from the subject), but there is no `substitution` notice. Readers must be told, prominently, that the compound they asked for is not the one described. Add a notice of kind `substitution` that says why.",
    ),
    rule(
        "GK121",
        "substitution-notice-without-request",
        Warning,
        "There is a `substitution` notice but no `compound.requested`. Record the requested name so that tools and readers can see what was substituted.",
    ),
    rule(
        "GK122",
        "requested-equals-subject",
        Warning,
        "`compound.requested` names the same compound as the subject. There was no substitution: remove `requested`.",
    ),
    rule(
        "GK130",
        "invalid-doi",
        Error,
        "A DOI is not of the form `10.NNNN/suffix`. Write the bare DOI (`10.1371/journal.pone.0104443`), not a `https://doi.org/` URL or a `doi:` prefix.",
    ),
    rule(
        "GK131",
        "invalid-pmid",
        Error,
        "A PubMed id (PMID) must be digits only, e.g. `25101904`, without a `PMID:` prefix. The renderer links it to PubMed, so a malformed PMID would give readers a broken link.",
    ),
    rule(
        "GK132",
        "invalid-pmcid",
        Error,
        "A PubMed Central id (PMCID) must be `PMC` followed by digits, e.g. `PMC4125160`. The renderer links it to PubMed Central, so a malformed PMCID would give readers a broken link.",
    ),
    rule(
        "GK133",
        "invalid-cas-number",
        Error,
        "A CAS Registry Number must have the form `NNNNNNN-NN-N` (two to seven digits, two digits, one check digit) and its check digit must be right: the sum of each digit times its position counted from the right, modulo 10.",
    ),
    rule(
        "GK134",
        "invalid-inchikey",
        Error,
        "A standard InChIKey is 27 characters: 14 uppercase letters, a hyphen, 10 uppercase letters, a hyphen, one uppercase letter.",
    ),
    rule(
        "GK135",
        "invalid-pubchem-cid",
        Error,
        "A PubChem compound id (CID) must be digits only, without a `CID` prefix.",
    ),
    rule(
        "GK136",
        "invalid-chembl-id",
        Error,
        "A ChEMBL id must be `CHEMBL` followed by digits, e.g. `CHEMBL25`, in capitals. Leave the field out when the id is not known for certain.",
    ),
    rule(
        "GK140",
        "unknown-dose-unit",
        Warning,
        "A dose unit is not one guidekit knows (mg/kg, mg/day, mg/kg/day, mg, g, µg, µg/kg, ng/kg, g/kg, mL/kg, mg/mL, µM, nM, mM, IU/kg, ...). Check it for typos, e.g. `mg/kq`, `mgkg`, or `ug` for `µg`; allow the rule if the unit is right.",
    ),
    rule(
        "GK141",
        "time-unit-as-dose",
        Error,
        "A dose's unit is a unit of time (`days`, `months`, `h`, ...). A duration has been put where a dose belongs; use a `duration` cell in a `duration` column.",
    ),
    rule(
        "GK150",
        "dot-syntax",
        Error,
        "A diagram's DOT source does not parse. The position shown is the place inside the DOT source (mapped to the guide file) where the parser stopped. DOT syntax: https://graphviz.org/doc/info/lang.html.",
    ),
    rule(
        "GK151",
        "weak-alt-text",
        Warning,
        "A diagram's alt text only repeats its caption or is too short to describe the diagram (under 20 characters). Readers who cannot see the diagram rely on the alt text: say what the diagram shows, e.g. which steps lead to which.",
    ),
    rule(
        "GK152",
        "diagram-too-large",
        Warning,
        "A diagram has more than 60 nodes or 120 edges. Large diagrams are unreadable on a page and slow to lay out; split it into several.",
    ),
    rule(
        "GK153",
        "dot-unsupported-by-embedded-renderer",
        Warning,
        "A diagram uses DOT features the built-in (pure Rust) renderer cannot draw: clusters, HTML-like labels, or edges to a group of nodes (`a -> {b c}`). It renders with Graphviz (`--diagrams graphviz`), but not with the default renderer.",
    ),
    rule(
        "GK154",
        "dot-file-attribute",
        Error,
        "A diagram sets an attribute with which Graphviz reads files from the disk (`image`, `imagepath`, `shapefile`, `fontpath`, `fontnames`, `stylesheet`). Guides are portable and rendering them must not read local files: remove the attribute.",
    ),
    rule(
        "GK160",
        "placeholder-text",
        Error,
        "Text contains a leftover placeholder: `TODO`, `FIXME`, `TBD`, `XXX`, `lorem ipsum`, a link to `#` or an empty link, or \"Click to download\". These are artefacts of a draft or of a copied web page and must not reach readers.",
    ),
    rule(
        "GK161",
        "empty-step",
        Error,
        "A protocol step has no label, no text and no sub-steps. Remove it or fill it in.",
    ),
    rule(
        "GK170",
        "invalid-date",
        Error,
        "A date does not exist, e.g. `2025-02-30`, or a CSL date has a month outside 1-12 or a day outside the month.",
    ),
    rule(
        "GK171",
        "future-date",
        Warning,
        "The publication date is after today. Check the year; a guide is dated when it is published.",
    ),
    rule(
        "GK172",
        "citation-year-mismatch",
        Warning,
        "The explicit citation text (`citation.text`) gives a year that differs from the publication date. Readers would cite the guide with the wrong year; correct one of the two, or drop `citation.text` to derive the line from the metadata.",
    ),
];

/// The rule with `code`, if there is one.
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    CATALOG.iter().find(|r| r.code.eq_ignore_ascii_case(code) || r.name == code)
}

/// Known dose units. Compared case-sensitively except for a few common spellings.
const DOSE_UNITS: &[&str] = &[
    "mg/kg",
    "mg/kg/day",
    "mg/kg/d",
    "mg/day",
    "mg/d",
    "mg",
    "g",
    "g/kg",
    "g/day",
    "µg",
    "µg/kg",
    "µg/kg/day",
    "µg/day",
    "mcg",
    "mcg/kg",
    "ng",
    "ng/kg",
    "ng/mL",
    "mL/kg",
    "mL",
    "µL",
    "mg/mL",
    "µg/mL",
    "mg/L",
    "M",
    "mM",
    "µM",
    "nM",
    "pM",
    "mmol/kg",
    "µmol/kg",
    "IU",
    "IU/kg",
    "IU/day",
    "U/kg",
    "%",
    "mg/m²",
    "mg/m2",
];

const TIME_UNITS: &[&str] = &[
    "s", "sec", "min", "h", "hr", "hrs", "hour", "hours", "d", "day", "days", "week", "weeks", "month", "months",
    "year", "years", "yr",
];

struct Checker<'g, 'p> {
    guide: &'g Guide,
    parsed: &'p Parsed<'p>,
    out: Vec<Diagnostic>,
}

impl Checker<'_, '_> {
    fn emit(&mut self, code: &'static str, pointer: impl Into<String>, message: impl Into<String>) -> &mut Diagnostic {
        let severity = rule_by_code(code).map_or(Severity::Error, |r| r.severity);
        self.out.push(Diagnostic::new(code, severity, pointer, message));
        self.out.last_mut().expect("just pushed")
    }

    /// The span of bytes `range` inside the text (string value) at `pointer`.
    fn text_span(&self, pointer: &str, range: std::ops::Range<usize>) -> Option<Span> {
        let location = self.parsed.pointers.get(pointer)?;
        if !location.is_string {
            return None;
        }
        let literal = &self.parsed.text[location.value.clone()];
        let start = location.value.start + literal_offset(literal, range.start);
        let end = location.value.start + literal_offset(literal, range.end);
        Some(self.parsed.lines.span(start..end))
    }
}

/// Runs every domain rule.
pub(crate) fn check(guide: &Guide, parsed: &Parsed<'_>, config: &Config, out: &mut Vec<Diagnostic>) {
    let mut checker = Checker { guide, parsed, out: Vec::new() };
    citations(&mut checker);
    duplicate_references(&mut checker);
    unsupported_claims(&mut checker);
    ids(&mut checker);
    tables(&mut checker);
    compound(&mut checker);
    identifiers(&mut checker);
    diagrams(&mut checker);
    placeholders(&mut checker);
    steps(&mut checker);
    dates(&mut checker, config);
    out.append(&mut checker.out);
}

fn citations(c: &mut Checker<'_, '_>) {
    let guide = c.guide;
    let reference_ids: Vec<String> = guide.references.iter().map(|r| r.id.to_string()).collect();
    let table_ids: Vec<String> = guide.data.iter().flat_map(|d| d.tables.iter()).map(|t| t.id.to_string()).collect();
    let figure_ids: Vec<String> =
        guide.diagrams.iter().flat_map(|d| d.items.iter()).map(|t| t.id.to_string()).collect();
    let all = walk::citations(guide);
    for Citation { pointer, key, target, span_in_text } in &all {
        let span = span_in_text.clone().and_then(|range| c.text_span(pointer, range));
        let (known, code, what) = match target {
            Target::Reference => (&reference_ids, "GK101", "reference"),
            Target::Table => (&table_ids, "GK111", "table"),
            Target::Figure => (&figure_ids, "GK111", "figure"),
            Target::Malformed => {
                let d = c.emit("GK105", pointer.clone(), format!("`{key}` is not a citation: expected `@` and an id"));
                d.span = span;
                d.hints.push("write citations as `[@key]` or `[@a; @b]`; escape a literal `[@` as `\\[@`".into());
                continue;
            }
        };
        if known.iter().any(|k| k == key) {
            continue;
        }
        let message = match target {
            Target::Reference => format!("citation `{key}` names no reference"),
            _ => format!("cross-reference `{key}` names no {what}"),
        };
        let d = c.emit(code, pointer.clone(), message);
        d.span = span;
        if let Some(suggestion) = closest(key, known) {
            d.hints.push(format!("did you mean `{suggestion}`?"));
        } else if known.is_empty() {
            d.hints.push(format!("the guide has no {what}s"));
        } else {
            d.hints.push(format!("add a {what} with id `{key}`"));
        }
    }
    let cited: Vec<&str> = all.iter().filter(|c| c.target == Target::Reference).map(|c| c.key).collect();
    for (i, reference) in guide.references.iter().enumerate() {
        if !cited.contains(&reference.id.as_str()) {
            c.emit("GK102", format!("/references/{i}"), format!("reference `{}` is never cited", reference.id))
                .hints
                .push("cite it with `[@id]` where it supports a claim, or remove it".into());
        }
    }
}

fn normalised_title(title: &str) -> String {
    title.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn duplicate_references(c: &mut Checker<'_, '_>) {
    let references = &c.guide.references;
    for (j, later) in references.iter().enumerate() {
        for (i, earlier) in references.iter().enumerate().take(j) {
            let same = |a: &Option<guidekit_model::Line>, b: &Option<guidekit_model::Line>| matches!((a, b), (Some(a), Some(b)) if a.trim().eq_ignore_ascii_case(b.trim()));
            let reason = if same(&earlier.doi, &later.doi) {
                "the same DOI"
            } else if same(&earlier.pmid, &later.pmid) {
                "the same PMID"
            } else if same(&earlier.pmcid, &later.pmcid) {
                "the same PMCID"
            } else if normalised_title(&earlier.title) == normalised_title(&later.title) {
                "the same title"
            } else {
                continue;
            };
            let d = c.emit(
                "GK103",
                format!("/references/{j}"),
                format!("references `{}` and `{}` look like the same work: they have {reason}", earlier.id, later.id),
            );
            d.related.push(Related {
                message: format!("`{}` is here", earlier.id),
                pointer: format!("/references/{i}"),
                span: None,
            });
            d.hints.push("keep one and cite it everywhere, or allow GK103 if both entries are deliberate".into());
            break;
        }
    }
}

fn unsupported_claims(c: &mut Checker<'_, '_>) {
    let all = walk::citations(c.guide);
    let cites_under = |prefix: &str| {
        all.iter().any(|x| {
            x.target == Target::Reference && (x.pointer == prefix || x.pointer.starts_with(&format!("{prefix}/")))
        })
    };
    let mut findings = Vec::new();
    if let Some(section) = &c.guide.hypotheses {
        for (i, hypothesis) in section.items.iter().enumerate() {
            let pointer = format!("/hypotheses/items/{i}");
            if !cites_under(&pointer) {
                findings.push((
                    format!("{pointer}/statement"),
                    format!("hypothesis `{}` cites no reference", hypothesis.id),
                ));
            }
        }
    }
    for (t, table) in c.guide.data.iter().flat_map(|d| d.tables.iter()).enumerate() {
        for r in 0..table.rows.len() {
            let pointer = format!("/data/tables/{t}/rows/{r}");
            if !cites_under(&pointer) {
                findings.push((pointer, format!("row {} of table `{}` cites no reference", r + 1, table.id)));
            }
        }
    }
    for (pointer, message) in findings {
        c.emit("GK104", pointer, message)
            .hints
            .push("add `[@key]` to a statement or cell, or list keys in the row's `citations`".into());
    }
}

fn ids(c: &mut Checker<'_, '_>) {
    let guide = c.guide;
    let mut groups: Vec<(&str, Vec<(String, String)>)> = Vec::new();
    let hypotheses = guide.hypotheses.iter().flat_map(|s| s.items.iter().enumerate());
    groups.push((
        "hypothesis",
        hypotheses.map(|(i, h)| (h.id.to_string(), format!("/hypotheses/items/{i}/id"))).collect(),
    ));
    let tables = guide.data.iter().flat_map(|s| s.tables.iter().enumerate());
    groups.push(("table", tables.map(|(i, t)| (t.id.to_string(), format!("/data/tables/{i}/id"))).collect()));
    let protocols = guide.protocols.iter().flat_map(|s| s.items.iter().enumerate());
    groups.push(("protocol", protocols.map(|(i, p)| (p.id.to_string(), format!("/protocols/items/{i}/id"))).collect()));
    let diagrams = guide.diagrams.iter().flat_map(|s| s.items.iter().enumerate());
    groups.push(("diagram", diagrams.map(|(i, d)| (d.id.to_string(), format!("/diagrams/items/{i}/id"))).collect()));
    groups.push((
        "reference",
        guide.references.iter().enumerate().map(|(i, r)| (r.id.to_string(), format!("/references/{i}/id"))).collect(),
    ));
    for (t, table) in guide.data.iter().flat_map(|s| s.tables.iter()).enumerate() {
        groups.push((
            "column",
            table
                .columns
                .iter()
                .enumerate()
                .map(|(i, col)| (col.key.to_string(), format!("/data/tables/{t}/columns/{i}/key")))
                .collect(),
        ));
    }
    for (what, entries) in groups {
        let mut first: HashMap<&str, &str> = HashMap::new();
        for (id, pointer) in &entries {
            match first.get(id.as_str()) {
                Some(first_pointer) => {
                    let related =
                        Related { message: "first used here".into(), pointer: (*first_pointer).to_owned(), span: None };
                    let d = c.emit("GK110", pointer.clone(), format!("duplicate {what} id `{id}`"));
                    d.related.push(related);
                    d.hints.push("ids must be unique among the guide's items of one kind".into());
                }
                None => {
                    first.insert(id, pointer);
                }
            }
        }
    }
}

fn tables(c: &mut Checker<'_, '_>) {
    let Some(section) = &c.guide.data else { return };
    let mut findings: Vec<(&'static str, String, String, Option<String>)> = Vec::new();
    for (t, table) in section.tables.iter().enumerate() {
        let columns: BTreeMap<&str, ColumnKind> =
            table.columns.iter().map(|col| (col.key.as_str(), col.kind)).collect();
        let keys: Vec<String> = columns.keys().map(|k| (*k).to_owned()).collect();
        for (r, row) in table.rows.iter().enumerate() {
            for (key, cell) in &row.cells {
                let pointer = format!("/data/tables/{t}/rows/{r}/cells/{}", walk::escape_pointer(key));
                let Some(&kind) = columns.get(key.as_str()) else {
                    let hint = closest(key, &keys).map(|s| format!("did you mean `{s}`?"));
                    findings.push((
                        "GK112",
                        pointer,
                        format!("cell `{key}` names no column of table `{}`", table.id),
                        hint,
                    ));
                    continue;
                };
                let cell_kind = match cell {
                    Cell::Text(_) => Some(ColumnKind::Text),
                    Cell::Value(value) => value.column_kind(),
                };
                if let Some(cell_kind) = cell_kind
                    && cell_kind != kind
                {
                    findings.push((
                        "GK113",
                        pointer.clone(),
                        format!("a {} in column `{key}`, which holds {}", kind_name(cell_kind), kind_plural(kind)),
                        Some(format!("give a `{}` cell, or `{{\"kind\": \"not_specified\"}}`", kind_tag(kind))),
                    ));
                }
                if let Cell::Value(CellValue::Dose { unit, .. }) = cell {
                    let unit = unit.trim();
                    if TIME_UNITS.iter().any(|u| u.eq_ignore_ascii_case(unit)) {
                        findings.push((
                            "GK141",
                            format!("{pointer}/unit"),
                            format!("dose unit `{unit}` is a unit of time"),
                            Some("a length of time belongs in a `duration` cell".into()),
                        ));
                    } else if !DOSE_UNITS
                        .iter()
                        .any(|u| *u == unit || u.replace('µ', "u") == unit || u.replace('µ', "μ") == unit)
                    {
                        let known: Vec<String> = DOSE_UNITS.iter().map(|u| (*u).to_owned()).collect();
                        let hint = closest(unit, &known).map(|s| format!("did you mean `{s}`?"));
                        findings.push((
                            "GK140",
                            format!("{pointer}/unit"),
                            format!("unknown dose unit `{unit}`"),
                            hint,
                        ));
                    }
                }
            }
        }
    }
    for (code, pointer, message, hint) in findings {
        let d = c.emit(code, pointer, message);
        d.hints.extend(hint);
    }
}

fn kind_name(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Text => "text",
        ColumnKind::Species => "species",
        ColumnKind::Dose => "dose",
        ColumnKind::Duration => "duration",
        ColumnKind::Population => "population",
    }
}

fn kind_plural(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Text => "text",
        ColumnKind::Species => "species",
        ColumnKind::Dose => "doses",
        ColumnKind::Duration => "durations",
        ColumnKind::Population => "populations",
    }
}

fn kind_tag(kind: ColumnKind) -> &'static str {
    kind_name(kind)
}

fn compound(c: &mut Checker<'_, '_>) {
    let compound = &c.guide.compound;
    let has_notice = c.guide.notices.iter().any(|n| n.kind == guidekit_model::NoticeKind::Substitution);
    match &compound.requested {
        Some(requested) if requested.name.trim().eq_ignore_ascii_case(compound.subject.name.trim()) => {
            c.emit(
                "GK122",
                "/compound/requested/name",
                format!("the requested compound `{}` is the subject itself", requested.name),
            )
            .hints
            .push("remove `compound.requested`".into());
        }
        Some(requested) if !has_notice => {
            let d = c.emit(
                "GK120",
                "/compound/requested",
                format!(
                    "the guide is about `{}` but `{}` was requested, and no notice tells the reader",
                    compound.subject.name, requested.name
                ),
            );
            d.hints.push("add a notice of kind `substitution` that explains the substitution".into());
        }
        None if has_notice => {
            let index =
                c.guide.notices.iter().position(|n| n.kind == guidekit_model::NoticeKind::Substitution).unwrap_or(0);
            c.emit(
                "GK121",
                format!("/notices/{index}/kind"),
                "a substitution notice, but no requested compound is recorded",
            )
            .hints
            .push("set `compound.requested.name` to the name that was asked for".into());
        }
        _ => {}
    }
}

fn identifiers(c: &mut Checker<'_, '_>) {
    let mut findings: Vec<(&'static str, String, String)> = Vec::new();
    let ids = &c.guide.compound.subject.identifiers;
    let base = "/compound/subject/identifiers";
    if let Some(cas) = &ids.cas
        && let Err(problem) = check_cas(cas)
    {
        findings.push((
            "GK133",
            format!("{base}/cas"),
            format!("`{cas}` is not a valid CAS Registry Number: {problem}"),
        ));
    }
    if let Some(cid) = &ids.pubchem_cid
        && !is_digits(cid)
    {
        findings.push((
            "GK135",
            format!("{base}/pubchem_cid"),
            format!("`{cid}` is not a PubChem CID: expected digits only"),
        ));
    }
    if let Some(chembl) = &ids.chembl
        && !chembl.strip_prefix("CHEMBL").is_some_and(is_digits)
    {
        findings.push((
            "GK136",
            format!("{base}/chembl"),
            format!("`{chembl}` is not a ChEMBL id: expected `CHEMBL` and digits"),
        ));
    }
    if let Some(key) = &ids.inchikey
        && !is_inchikey(key)
    {
        findings.push((
            "GK134",
            format!("{base}/inchikey"),
            format!("`{key}` is not a standard InChIKey: expected 14 letters, `-`, 10 letters, `-`, 1 letter"),
        ));
    }
    for (i, reference) in c.guide.references.iter().enumerate() {
        let pointer = format!("/references/{i}");
        if let Some(doi) = &reference.doi
            && !is_doi(doi)
        {
            let hint = if doi.contains("doi.org/") || doi.to_lowercase().starts_with("doi:") {
                " (write the bare DOI, without a URL or `doi:` prefix)"
            } else {
                ""
            };
            findings.push((
                "GK130",
                format!("{pointer}/DOI"),
                format!("`{doi}` is not a DOI: expected `10.NNNN/suffix`{hint}"),
            ));
        }
        if let Some(pmid) = &reference.pmid
            && !is_digits(pmid)
        {
            findings.push((
                "GK131",
                format!("{pointer}/PMID"),
                format!("`{pmid}` is not a PMID: expected digits only"),
            ));
        }
        if let Some(pmcid) = &reference.pmcid
            && !pmcid.strip_prefix("PMC").is_some_and(is_digits)
        {
            findings.push((
                "GK132",
                format!("{pointer}/PMCID"),
                format!("`{pmcid}` is not a PMCID: expected `PMC` and digits"),
            ));
        }
    }
    for (code, pointer, message) in findings {
        c.emit(code, pointer, message);
    }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_doi(doi: &str) -> bool {
    let Some((prefix, suffix)) = doi.split_once('/') else { return false };
    let Some(registrant) = prefix.strip_prefix("10.") else { return false };
    registrant.split('.').all(is_digits)
        && registrant.len() >= 4
        && !suffix.trim().is_empty()
        && !doi.contains(char::is_whitespace)
}

fn is_inchikey(key: &str) -> bool {
    let parts: Vec<&str> = key.split('-').collect();
    matches!(parts.as_slice(), [a, b, c] if a.len() == 14 && b.len() == 10 && c.len() == 1
        && key.bytes().filter(|&b| b != b'-').all(|b| b.is_ascii_uppercase()))
}

/// Checks a CAS RN's form and check digit.
pub fn check_cas(cas: &str) -> Result<(), String> {
    let parts: Vec<&str> = cas.split('-').collect();
    let [a, b, check] = parts.as_slice() else { return Err("expected three groups of digits separated by `-`".into()) };
    if !(2..=7).contains(&a.len()) || b.len() != 2 || check.len() != 1 || ![a, b, check].iter().all(|p| is_digits(p)) {
        return Err("expected 2 to 7 digits, `-`, 2 digits, `-`, 1 check digit".into());
    }
    let digits: Vec<u32> = format!("{a}{b}").chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits.iter().rev().enumerate().map(|(i, d)| (i as u32 + 1) * d).sum();
    let expected = sum % 10;
    let given = check.parse::<u32>().unwrap_or(99);
    if expected == given { Ok(()) } else { Err(format!("the check digit should be {expected}, not {given}")) }
}

fn diagrams(c: &mut Checker<'_, '_>) {
    let Some(section) = &c.guide.diagrams else { return };
    for (i, diagram) in section.items.iter().enumerate() {
        let pointer = format!("/diagrams/items/{i}");
        let dot_pointer = format!("{pointer}/dot");
        match dot::parse(&diagram.dot) {
            Err(error) => {
                let span = c.text_span(&dot_pointer, error.offset..error.offset);
                let d = c.emit(
                    "GK150",
                    dot_pointer.clone(),
                    format!("diagram `{}` has invalid DOT: {}", diagram.id, error.message),
                );
                d.span = span;
            }
            Ok(summary) => {
                if summary.nodes.len() > 60 || summary.edges > 120 {
                    c.emit(
                        "GK152",
                        dot_pointer.clone(),
                        format!(
                            "diagram `{}` has {} nodes and {} edges (limits: 60 and 120)",
                            diagram.id,
                            summary.nodes.len(),
                            summary.edges
                        ),
                    );
                }
                let mut unsupported = Vec::new();
                if !summary.clusters.is_empty() {
                    unsupported.push("clusters");
                }
                if summary.html_strings {
                    unsupported.push("HTML-like labels");
                }
                if summary.edge_groups {
                    unsupported.push("edges to node groups");
                }
                if !unsupported.is_empty() {
                    c.emit(
                        "GK153",
                        dot_pointer.clone(),
                        format!(
                            "diagram `{}` uses {} , which the built-in renderer cannot draw",
                            diagram.id,
                            unsupported.join(", ")
                        )
                        .replace(" ,", ","),
                    )
                    .hints
                    .push("render with `--diagrams graphviz`, or simplify the diagram".into());
                }
                for attribute in
                    summary.attributes.iter().filter(|a| dot::FILE_READING_ATTRIBUTES.contains(&a.name.as_str()))
                {
                    let span = c.text_span(&dot_pointer, attribute.offset..attribute.offset + attribute.name.len());
                    let d = c.emit(
                        "GK154",
                        dot_pointer.clone(),
                        format!("diagram `{}` sets `{}`, which makes Graphviz read a file", diagram.id, attribute.name),
                    );
                    d.span = span;
                }
            }
        }
        let alt = diagram.alt.trim();
        let caption = diagram.caption.trim().trim_end_matches('.');
        if alt.chars().count() < 20 || alt.trim_end_matches('.').eq_ignore_ascii_case(caption) {
            c.emit(
                "GK151",
                format!("{pointer}/alt"),
                format!("the alt text of diagram `{}` does not describe it", diagram.id),
            )
            .hints
            .push("say what the diagram shows: its elements and how they connect".into());
        }
    }
}

const PLACEHOLDERS: &[&str] = &["TODO", "FIXME", "TBD", "XXX"];

fn placeholders(c: &mut Checker<'_, '_>) {
    let mut findings = Vec::new();
    for field in walk::text_fields(c.guide) {
        for (offset, what) in find_placeholders(field.text) {
            findings.push((field.pointer.clone(), offset, what));
        }
    }
    let mut lines: Vec<(String, String)> = Vec::new();
    for (i, action) in c.guide.compound.actions.iter().enumerate() {
        lines.push((format!("/compound/actions/{i}/label"), action.label.to_string()));
    }
    for (pointer, text) in &lines {
        for (offset, what) in find_placeholders(text) {
            findings.push((pointer.clone(), offset, what));
        }
    }
    for (pointer, range, what) in findings {
        let span = c.text_span(&pointer, range);
        let d = c.emit("GK160", pointer, format!("leftover placeholder: {what}"));
        d.span = span;
        d.hints.push("replace it with the real content, or remove it".into());
    }
}

/// Placeholders in a text: their byte range and a description.
fn find_placeholders(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut found = Vec::new();
    for word in PLACEHOLDERS {
        let mut from = 0;
        while let Some(at) = text[from..].find(word) {
            let start = from + at;
            let end = start + word.len();
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
                found.push((start..end, format!("`{word}`")));
            }
            from = end;
        }
    }
    let lower = text.to_lowercase();
    for phrase in ["click to download", "lorem ipsum"] {
        if let Some(at) = lower.find(phrase) {
            // Lowercasing can change byte lengths; only report a range that still fits the original.
            let range = if text.is_char_boundary(at) && text.is_char_boundary(at + phrase.len()) {
                at..at + phrase.len()
            } else {
                0..0
            };
            found.push((range, format!("\"{phrase}\"")));
        }
    }
    for pattern in ["](#)", "]()", "](<>)"] {
        let mut from = 0;
        while let Some(at) = text[from..].find(pattern) {
            let start = from + at + 1;
            found.push((start..start + pattern.len() - 1, "a link that leads nowhere".to_owned()));
            from = start + pattern.len();
        }
    }
    found.sort_by_key(|(range, _)| range.start);
    found
}

fn steps(c: &mut Checker<'_, '_>) {
    fn visit(steps: &[Step], base: &str, out: &mut Vec<String>) {
        for (i, step) in steps.iter().enumerate() {
            let pointer = format!("{base}/{i}");
            if step.label.is_none() && step.text.is_none() && step.steps.is_empty() {
                out.push(pointer.clone());
            }
            visit(&step.steps, &format!("{pointer}/steps"), out);
        }
    }
    let mut empty = Vec::new();
    for (p, protocol) in c.guide.protocols.iter().flat_map(|s| s.items.iter()).enumerate() {
        visit(&protocol.steps, &format!("/protocols/items/{p}/steps"), &mut empty);
    }
    for pointer in empty {
        c.emit("GK161", pointer, "a protocol step with no label, text or sub-steps");
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn dates(c: &mut Checker<'_, '_>, config: &Config) {
    let published = c.guide.metadata.published.parts();
    if let (Some(month), Some(day)) = (published.month, published.day)
        && u32::from(day) > days_in_month(i32::from(published.year), u32::from(month))
    {
        c.emit(
            "GK170",
            "/metadata/published",
            format!("`{}` is not a date: the month has no day {day}", c.guide.metadata.published),
        );
    }
    if let Some(today) = config.today {
        let date = (published.year, published.month.unwrap_or(1), published.day.unwrap_or(1));
        if date > today {
            c.emit(
                "GK171",
                "/metadata/published",
                format!("the publication date `{}` is in the future", c.guide.metadata.published),
            );
        }
    }
    for (i, reference) in c.guide.references.iter().enumerate() {
        for (field, date) in [("issued", &reference.issued), ("accessed", &reference.accessed)] {
            let Some(parts) = date.as_ref().and_then(|d| d.date_parts.as_ref()) else { continue };
            if parts.len() > 2 {
                c.emit(
                    "GK170",
                    format!("/references/{i}/{field}/date-parts"),
                    format!("invalid date: {} dates given, but a CSL date is one date or a range of two", parts.len()),
                );
            }
            for (k, part) in parts.iter().enumerate() {
                let problem = match part.as_slice() {
                    [_, month, ..] if !(1..=12).contains(month) => Some(format!("month {month} does not exist")),
                    [year, month, day, ..] if *day < 1 || *day as u32 > days_in_month(*year, *month as u32) => {
                        Some(format!("day {day} does not exist in month {month}"))
                    }
                    parts if parts.len() > 3 => Some("a date has at most year, month and day".to_owned()),
                    _ => None,
                };
                if let Some(problem) = problem {
                    c.emit(
                        "GK170",
                        format!("/references/{i}/{field}/date-parts/{k}"),
                        format!("invalid date: {problem}"),
                    );
                }
            }
        }
    }
    if let Some(text) = c.guide.citation.as_ref().and_then(|x| x.text.as_ref()) {
        let year = published.year.to_string();
        let years: Vec<&str> = text
            .split(|ch: char| !ch.is_ascii_digit())
            .filter(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
            .collect();
        if !years.is_empty() && !years.contains(&year.as_str()) {
            c.emit(
                "GK172",
                "/citation/text",
                format!("the citation text gives the year `{}`, but the guide was published in {year}", years[0]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cas_check_digits() {
        assert!(check_cas("72432-10-1").is_ok()); // aniracetam's published CAS RN, used here only as a test vector
        assert!(check_cas("7732-18-5").is_ok()); // water
        assert!(check_cas("7732-18-4").unwrap_err().contains("should be 5"));
        assert!(check_cas("7732185").is_err());
    }

    #[test]
    fn identifier_shapes() {
        assert!(is_doi("10.1371/journal.pone.0104443"));
        assert!(!is_doi("https://doi.org/10.1371/x"));
        assert!(!is_doi("10.12/x"));
        assert!(is_inchikey("ZXNRTKGTQJPIJK-UHFFFAOYSA-N"));
        assert!(!is_inchikey("ZXNRTKGTQJPIJK-UHFFFAOYSA"));
    }

    #[test]
    fn placeholders_are_words_not_parts_of_words() {
        let found = find_placeholders("TODO: fill. A TODOS list. [Get Quote](#). Click to download it");
        let what: Vec<&str> = found.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(what, ["`TODO`", "a link that leads nowhere", "\"click to download\""]);
    }

    #[test]
    fn every_code_is_unique_and_explained() {
        for (i, rule) in CATALOG.iter().enumerate() {
            assert!(rule.code.starts_with("GK") && rule.code.len() == 5, "{}", rule.code);
            assert!(rule.explanation.len() > 60, "{} needs an explanation", rule.code);
            assert!(CATALOG[..i].iter().all(|r| r.code != rule.code && r.name != rule.name), "{} repeats", rule.code);
        }
    }
}
