//! Reading forecast input: many named series (JSON or long-form CSV),
//! evaluation data with held-out values, and forecast lines made
//! elsewhere.
//!
//! Pure functions of the input's text: no file I/O, so the CLI, tests and
//! fuzzers share them. Errors name the source, and the line (CSV) or the
//! JSON path.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::{Error, Result};

mod csv_series;
mod eval_data;

pub use csv_series::read_csv_series;
pub use eval_data::{read_eval_data, read_forecast_lines, EvalData, ExternalForecast};

/// Most series in one input. Checked while reading, before the series
/// beyond it are stored: a million tiny series would otherwise take a
/// gigabyte.
pub const MAX_SERIES: usize = 100_000;

/// Largest input accepted, in bytes (256 MiB). [`read_series`] checks it,
/// and the CLI checks a file's size against it before reading the file.
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// The two input formats of many series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{"series": [{"id", "values"}]}`.
    Json,
    /// Long-form `id,period,value` (see [`read_csv_series`]).
    Csv,
}

/// Series read from one input, with the warnings the reader wants shown
/// (gaps filled in CSV input).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeriesInput {
    /// The series, in input order.
    pub series: Vec<InputSeries>,
    /// Things the caller should tell the user; the input was still read.
    pub warnings: Vec<String>,
}

/// Reads many series from the raw bytes of an input.
///
/// # Errors
/// [`Error::LimitExceeded`] above [`MAX_INPUT_BYTES`] or [`MAX_SERIES`];
/// [`Error::InvalidValue`] for bytes that are not UTF-8 (naming the line
/// and byte offset); then the errors of [`read_json_series`] or
/// [`read_csv_series`].
pub fn read_series(bytes: &[u8], format: Format, source: &str) -> Result<SeriesInput> {
    check_size(bytes.len() as u64, source)?;
    let text = utf8(bytes, source)?;
    match format {
        Format::Json => Ok(SeriesInput {
            series: read_json_series(text, source)?,
            warnings: Vec::new(),
        }),
        Format::Csv => read_csv_series(text, source),
    }
}

/// [`Error::LimitExceeded`] when `len` bytes are more than [`MAX_INPUT_BYTES`].
///
/// # Errors
/// As described.
pub fn check_size(len: u64, source: &str) -> Result<()> {
    if len > MAX_INPUT_BYTES {
        return Err(Error::LimitExceeded(format!(
            "{source}: {len} bytes; at most {MAX_INPUT_BYTES} ({} MiB) accepted",
            MAX_INPUT_BYTES >> 20
        )));
    }
    Ok(())
}

/// The bytes as text.
///
/// # Errors
/// [`Error::InvalidValue`] naming the line and the byte offset of the
/// first byte that is not UTF-8.
pub fn utf8<'a>(bytes: &'a [u8], source: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let before = &bytes[..offset];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
        Error::value(
            format!("{source} line {line}"),
            format!(
                "not valid UTF-8 at byte offset {offset} (byte {} of the line, 0x{:02x}); save the file as UTF-8",
                offset - line_start + 1,
                bytes[offset]
            ),
        )
    })
}

/// One input series. `values` holds NaN where the input had no number,
/// and `problem` says what the first such entry was: the series then gets
/// the fallback forecast (see [`super::batch`]) instead of stopping the
/// batch.
#[derive(Debug, Clone, PartialEq)]
pub struct InputSeries {
    /// The series id (`#i` for the i-th series of a JSON input without one).
    pub id: String,
    /// Values, oldest first.
    pub values: Vec<f64>,
    /// What was wrong with the values, if anything.
    pub problem: Option<String>,
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// A JSON value in a few characters, for messages.
fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// Series from JSON `{"series": [{"id", "values"}]}`. An id may be a
/// string or a number; a missing one becomes `#i`. A value that is not a
/// number becomes NaN and sets the series' `problem`. The series are
/// converted one at a time as they are read (no document tree of the
/// whole input), and reading stops at the [`MAX_SERIES`]+1-th.
///
/// # Errors
/// [`Error::Json`] for malformed JSON, [`Error::InvalidValue`] when there
/// is no `"series"` array, [`Error::LimitExceeded`] above [`MAX_SERIES`].
pub fn read_json_series(text: &str, source: &str) -> Result<Vec<InputSeries>> {
    let over_limit = Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = de
        .deserialize_map(DocVisitor {
            over_limit: &over_limit,
        })
        .and_then(|doc| de.end().map(|()| doc));
    match parsed {
        Ok(Some(series)) => Ok(series),
        Ok(None) => Err(Error::value(
            format!("{source}: $.series"),
            "expected an object with a \"series\" array of {\"id\", \"values\"}",
        )),
        Err(_) if over_limit.get() => Err(Error::LimitExceeded(format!(
            "{source}: more than {MAX_SERIES} series; at most {MAX_SERIES} accepted in one input"
        ))),
        Err(e) => Err(Error::json(source, &e)),
    }
}

/// The top-level object: its `"series"` array, other keys skipped.
struct DocVisitor<'a> {
    over_limit: &'a Cell<bool>,
}

impl<'de> Visitor<'de> for DocVisitor<'_> {
    type Value = Option<Vec<InputSeries>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a \"series\" array of {\"id\", \"values\"}")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut series = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "series" {
                series = Some(map.next_value_seed(SeriesSeed {
                    over_limit: self.over_limit,
                })?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(series)
    }
}

/// The `"series"` array, converted entry by entry.
struct SeriesSeed<'a> {
    over_limit: &'a Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for SeriesSeed<'_> {
    type Value = Vec<InputSeries>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for SeriesSeed<'_> {
    type Value = Vec<InputSeries>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a \"series\" array of {\"id\", \"values\"}")
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(entry) = seq.next_element::<Value>()? {
            if out.len() == MAX_SERIES {
                self.over_limit.set(true);
                return Err(de::Error::custom(format!("more than {MAX_SERIES} series")));
            }
            out.push(json_series(out.len(), &entry));
        }
        Ok(out)
    }
}

/// One `{"id", "values"}` entry.
fn json_series(i: usize, s: &Value) -> InputSeries {
    let id = match s.get("id") {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => format!("#{i}"),
    };
    let raw = s.get("values").and_then(Value::as_array);
    let values: Vec<f64> = raw
        .map(|a| a.iter().map(number).collect())
        .unwrap_or_default();
    let problem = match raw {
        None => Some("\"values\" must be an array of numbers".to_string()),
        Some(a) => a
            .iter()
            .position(|v| !v.is_number())
            .map(|j| format!("values[{j}] must be a number, got {}", short(&a[j]))),
    };
    InputSeries {
        id,
        values,
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Result<SeriesInput> {
        super::read_csv_series(text, "in.csv")
    }

    #[test]
    fn invalid_utf8_names_line_and_byte_offset() {
        let bytes = b"id,period,value\na,1,5\na\xff,2,6\n";
        let err = read_series(bytes, Format::Csv, "in.csv").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("in.csv line 3:"), "{text}");
        assert!(
            text.contains("byte offset 23") && text.contains("0xff"),
            "{text}"
        );
    }

    #[test]
    fn the_series_limit_stops_reading_json_and_csv() {
        let mut json = String::from("{\"series\": [");
        let mut text = String::from("id,period,value\n");
        for i in 0..=MAX_SERIES {
            json.push_str(&format!(
                "{}{{\"id\":{i},\"values\":[1]}}",
                if i > 0 { "," } else { "" }
            ));
            text.push_str(&format!("{i},1,1\n"));
        }
        json.push_str("]}");
        let err = read_json_series(&json, "in.json").unwrap_err();
        assert_eq!(err.code(), "limit_exceeded", "{err}");
        let err = csv(&text).unwrap_err();
        assert_eq!(err.code(), "limit_exceeded", "{err}");
    }

    #[test]
    fn json_series_keep_ids_and_mark_non_numbers() {
        let s = read_json_series(
            r#"{"other": [1, {"a": 2}], "series": [{"id": 7, "values": [1, null]}, {"values": [2]}]}"#,
            "in.json",
        )
        .unwrap();
        assert_eq!((s[0].id.as_str(), s[1].id.as_str()), ("7", "#1"));
        assert_eq!(
            s[0].problem.as_deref(),
            Some("values[1] must be a number, got null")
        );
        let err = read_json_series(r#"{"items": []}"#, "in.json").unwrap_err();
        assert!(err.to_string().contains("\"series\" array"), "{err}");
    }
}
