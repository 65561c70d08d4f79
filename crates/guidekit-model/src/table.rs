//! Quantitative data tables with typed cells.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::primitives::{Count, Id, Line, NonEmptyVec, Positive, Text};

/// The section of quantitative data tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSection {
    /// The section heading; "Quantitative Data" when absent.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub heading: Option<Line>,
    /// Text before the tables.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub introduction: Option<Text>,
    /// The tables, in the order they are presented; they are numbered "Table 1", "Table 2", ...
    pub tables: NonEmptyVec<DataTable>,
}

/// A table of quantitative data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataTable {
    /// The table's id; text refers to it as `[@tbl:id]`.
    pub id: Id,
    /// The caption, without the "Table N:" prefix, e.g. "Preclinical Studies - In Vivo".
    pub caption: Line,
    /// What kind of studies the table summarises.
    pub kind: StudyKind,
    /// The columns, in display order.
    pub columns: NonEmptyVec<Column>,
    /// The rows, in display order.
    pub rows: NonEmptyVec<Row>,
    /// A note printed under the table.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// The kind of studies a table summarises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StudyKind {
    /// Animal studies.
    PreclinicalInVivo,
    /// Cell or tissue studies.
    PreclinicalInVitro,
    /// Studies in people.
    Clinical,
    /// Pharmacokinetic studies.
    Pharmacokinetic,
    /// Anything else.
    Other,
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The key under which rows give this column's cell.
    pub key: Id,
    /// The column heading, e.g. "Dosage".
    pub label: Line,
    /// What the column's cells hold. A cell of another kind is an error, except `not_specified`.
    pub kind: ColumnKind,
}

/// What a column's cells hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Text with inline markup and citations.
    Text,
    /// A species (`{"kind": "species", ...}`).
    Species,
    /// A dose (`{"kind": "dose", ...}`).
    Dose,
    /// A duration (`{"kind": "duration", ...}`).
    Duration,
    /// A study population (`{"kind": "population", ...}`).
    Population,
}

/// A table row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// The row's cells, by column key: one per column (GK114); `{"kind": "not_specified"}` when the study
    /// reports nothing for a column.
    pub cells: BTreeMap<String, Cell>,
    /// References that support the whole row, shown after its last cell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Id>,
}

/// A table cell: text (a string, with inline markup and citations) or a typed value.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Cell {
    /// Text, with inline markup and citations.
    Text(Text),
    /// A value with structure.
    Value(CellValue),
}

/// By hand rather than `untagged`: the derived form copies every cell into serde's buffer before trying each
/// variant, a fifth of reading a guide's tables; the JSON type alone says which variant a cell is.
impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Cell, D::Error> {
        struct CellVisitor;

        impl<'de> serde::de::Visitor<'de> for CellVisitor {
            type Value = Cell;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a cell: a string of text, or an object with a `kind`")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Cell, E> {
                Text::new(value).map(Cell::Text).map_err(E::custom)
            }

            fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Cell, E> {
                Text::new(value).map(Cell::Text).map_err(E::custom)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Cell, A::Error> {
                CellValue::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Cell::Value)
            }
        }

        deserializer.deserialize_any(CellVisitor)
    }
}

/// A table value with structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CellValue {
    /// A species, e.g. "Mice".
    Species {
        /// The common name as the study gives it, e.g. "Mice" or "Rats".
        name: Line,
        /// The strain, e.g. "C57BL/6J".
        #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
        strain: Option<Line>,
        /// References for this value.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        citations: Vec<Id>,
    },
    /// One dose or several doses in one unit, e.g. "25, 50, 100 mg/kg (oral)".
    Dose {
        /// The amounts, in `unit`.
        amounts: NonEmptyVec<Positive>,
        /// The unit, e.g. `mg/kg`, `mg/day`, `mg`, `µg/kg`. Checked against a list of known units.
        unit: Line,
        /// How the dose is given.
        #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
        route: Option<Route>,
        /// References for this value.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        citations: Vec<Id>,
    },
    /// A length of time, e.g. "12 months".
    Duration {
        /// How many units.
        value: Positive,
        /// The unit.
        unit: TimeUnit,
        /// References for this value.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        citations: Vec<Id>,
    },
    /// A study population, e.g. "276 patients with cognitive disorders".
    Population {
        /// How many subjects.
        count: Count,
        /// Who they are, e.g. "patients with cognitive disorders".
        description: Line,
        /// References for this value.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        citations: Vec<Id>,
    },
    /// The source does not give this value. Shown as "Not specified"; allowed in any column.
    NotSpecified,
}

impl CellValue {
    /// The column kind this value belongs in (`None` for `not_specified`, which fits anywhere).
    pub fn column_kind(&self) -> Option<ColumnKind> {
        Some(match self {
            CellValue::Species { .. } => ColumnKind::Species,
            CellValue::Dose { .. } => ColumnKind::Dose,
            CellValue::Duration { .. } => ColumnKind::Duration,
            CellValue::Population { .. } => ColumnKind::Population,
            CellValue::NotSpecified => return None,
        })
    }

    /// The references this value cites.
    pub fn citations(&self) -> &[Id] {
        match self {
            CellValue::Species { citations, .. }
            | CellValue::Dose { citations, .. }
            | CellValue::Duration { citations, .. }
            | CellValue::Population { citations, .. } => citations,
            CellValue::NotSpecified => &[],
        }
    }

    /// The value as a reader sees it: "25, 50, 100 mg/kg (oral)", "12 months", "Not specified".
    pub fn display(&self) -> String {
        match self {
            CellValue::Species { name, strain: Some(strain), .. } => format!("{name} ({strain})"),
            CellValue::Species { name, strain: None, .. } => name.to_string(),
            CellValue::Dose { amounts, unit, route, .. } => {
                let amounts: Vec<String> = amounts.iter().map(ToString::to_string).collect();
                // Two amounts read as "30 and 100", longer lists as "25, 50, 100", as the seed writes them.
                let amounts = match amounts.as_slice() {
                    [a, b] => format!("{a} and {b}"),
                    list => list.join(", "),
                };
                match route {
                    Some(route) => format!("{amounts} {unit} ({})", route.label()),
                    None => format!("{amounts} {unit}"),
                }
            }
            CellValue::Duration { value, unit, .. } => {
                let unit = if value.get() == 1.0 { unit.singular() } else { unit.plural() };
                format!("{value} {unit}")
            }
            CellValue::Population { count, description, .. } => format!("{count} {description}"),
            CellValue::NotSpecified => "Not specified".to_owned(),
        }
    }
}

/// How a dose is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// By mouth.
    Oral,
    /// Into the peritoneal cavity.
    Intraperitoneal,
    /// Into a vein.
    Intravenous,
    /// Under the skin.
    Subcutaneous,
    /// Into a muscle.
    Intramuscular,
    /// Through the nose.
    Intranasal,
    /// Into the cerebral ventricles.
    Intracerebroventricular,
    /// On the skin or a surface.
    Topical,
    /// Breathed in.
    Inhalation,
    /// Added to cells or tissue in a dish.
    InVitro,
}

impl Route {
    /// A label for readers ("oral").
    pub fn label(self) -> &'static str {
        match self {
            Route::Oral => "oral",
            Route::Intraperitoneal => "intraperitoneal",
            Route::Intravenous => "intravenous",
            Route::Subcutaneous => "subcutaneous",
            Route::Intramuscular => "intramuscular",
            Route::Intranasal => "intranasal",
            Route::Intracerebroventricular => "intracerebroventricular",
            Route::Topical => "topical",
            Route::Inhalation => "inhalation",
            Route::InVitro => "in vitro",
        }
    }
}

/// A unit of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

impl TimeUnit {
    /// "month".
    pub fn singular(self) -> &'static str {
        match self {
            TimeUnit::Minute => "minute",
            TimeUnit::Hour => "hour",
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
            TimeUnit::Year => "year",
        }
    }

    /// "months".
    pub fn plural(self) -> &'static str {
        match self {
            TimeUnit::Minute => "minutes",
            TimeUnit::Hour => "hours",
            TimeUnit::Day => "days",
            TimeUnit::Week => "weeks",
            TimeUnit::Month => "months",
            TimeUnit::Year => "years",
        }
    }
}
