//! Reading forecast input: many named series (JSON or long-form CSV),
//! evaluation data with held-out values, and forecast lines made
//! elsewhere.
//!
//! Pure functions of the input's text: no file I/O, so the CLI, tests and
//! fuzzers share them. Errors name the source, and the line (CSV) or the
//! JSON path.

use std::collections::HashMap;

use serde_json::Value;

use super::evaluate::EvalSeries;
use crate::error::{Error, Result};

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
/// number becomes NaN and sets the series' `problem`.
///
/// # Errors
/// [`Error::Json`] for malformed JSON, [`Error::InvalidValue`] when there
/// is no `"series"` array.
pub fn read_json_series(text: &str, source: &str) -> Result<Vec<InputSeries>> {
    let doc: Value = serde_json::from_str(text).map_err(|e| Error::json(source, &e))?;
    let Some(list) = doc.get("series").and_then(Value::as_array) else {
        return Err(Error::value(
            format!("{source}: $.series"),
            "expected an object with a \"series\" array of {\"id\", \"values\"}",
        ));
    };
    Ok(list
        .iter()
        .enumerate()
        .map(|(i, s)| {
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
        })
        .collect())
}

fn csv_error(source: &str, line: u64, message: impl Into<String>) -> Error {
    Error::Csv {
        source_name: source.to_string(),
        line,
        message: message.into(),
    }
}

/// Long-form CSV: a header with `id`, `period` and `value` columns (any
/// order); rows are grouped by id in order of first appearance and sorted by
/// period (numerically when every period is a number, else as text, which
/// orders ISO dates). A value that is not a number becomes NaN, so only its
/// series falls back.
///
/// # Errors
/// [`Error::Csv`] naming the line: no header, a missing column, a
/// malformed record.
pub fn read_csv_series(text: &str, source: &str) -> Result<Vec<InputSeries>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_error(source, 1, format!("no header line: {e}")))?
        .clone();
    let col = |name: &str| -> Result<usize> {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                csv_error(
                    source,
                    1,
                    format!("the header needs an {name:?} column (id,period,value)"),
                )
            })
    };
    let (ci, cp, cv) = (col("id")?, col("period")?, col("value")?);
    let mut order: Vec<String> = Vec::new();
    let mut rows: HashMap<String, Vec<(String, f64)>> = HashMap::new();
    let mut problems: HashMap<String, String> = HashMap::new();
    for (line, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| csv_error(source, line as u64 + 2, format!("malformed: {e}")))?;
        let id = record.get(ci).unwrap_or("").to_string();
        let period = record.get(cp).unwrap_or("").to_string();
        let cell = record.get(cv).unwrap_or("");
        let value = cell.parse::<f64>().unwrap_or(f64::NAN);
        if !value.is_finite() && !problems.contains_key(&id) {
            problems.insert(
                id.clone(),
                format!("line {}: value {cell:?} is not a finite number", line + 2),
            );
        }
        rows.entry(id.clone())
            .or_insert_with(|| {
                order.push(id);
                Vec::new()
            })
            .push((period, value));
    }
    Ok(order
        .into_iter()
        .map(|id| {
            let mut r = rows.remove(&id).expect("every id in order has rows");
            if r.iter().all(|(p, _)| p.parse::<f64>().is_ok()) {
                r.sort_by(|a, b| {
                    let (x, y) = (
                        a.0.parse::<f64>().unwrap_or(0.0),
                        b.0.parse::<f64>().unwrap_or(0.0),
                    );
                    x.total_cmp(&y)
                });
            } else {
                r.sort_by(|a, b| a.0.cmp(&b.0));
            }
            InputSeries {
                problem: problems.remove(&id),
                values: r.into_iter().map(|(_, v)| v).collect(),
                id,
            }
        })
        .collect())
}

/// Evaluation data: `{"dataset"?, "horizon", "season_length"?, "series":
/// [{"id", "train", "test"}]}`.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalData {
    /// The `dataset` name, empty when absent.
    pub dataset: String,
    /// Steps each series is forecast (at most its test length).
    pub horizon: usize,
    /// Season length for the models and the measures (1 when absent).
    pub season_length: usize,
    /// The series that have both training and test values.
    pub series: Vec<EvalSeries>,
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().map(number).collect())
        .unwrap_or_default()
}

/// Reads evaluation data, keeping the last `max_history` training values
/// of each series (0: all). Series without training or test values are
/// left out.
///
/// # Errors
/// [`Error::Json`] for malformed JSON, [`Error::InvalidValue`] for a
/// missing `horizon` or `series`.
pub fn read_eval_data(text: &str, source: &str, max_history: usize) -> Result<EvalData> {
    let doc: Value = serde_json::from_str(text).map_err(|e| Error::json(source, &e))?;
    let horizon = doc["horizon"]
        .as_u64()
        .ok_or_else(|| Error::value(format!("{source}: $.horizon"), "needs a number"))?
        as usize;
    let season_length = doc["season_length"].as_u64().unwrap_or(1).max(1) as usize;
    let Some(list) = doc["series"].as_array() else {
        return Err(Error::value(
            format!("{source}: $.series"),
            "needs a \"series\" array",
        ));
    };
    let series = list
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut train = numbers(&s["train"]);
            if max_history > 0 && train.len() > max_history {
                train.drain(..train.len() - max_history);
            }
            EvalSeries {
                id: s["id"]
                    .as_str()
                    .map_or_else(|| format!("#{i}"), str::to_string),
                train,
                test: numbers(&s["test"]),
            }
        })
        .filter(|s| !s.train.is_empty() && !s.test.is_empty())
        .collect();
    Ok(EvalData {
        dataset: doc["dataset"].as_str().unwrap_or("").to_string(),
        horizon,
        season_length,
        series,
    })
}

/// A forecast made elsewhere, read from a forecast line.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalForecast {
    /// Point forecasts (NaN where the line had no number).
    pub point: Vec<f64>,
    /// The 95% interval's bounds, when the line has one.
    pub band95: Option<(Vec<f64>, Vec<f64>)>,
}

/// Forecast lines as written by `pocketrec forecast` (one JSON object per
/// line, `{"id", "point", "intervals"}`), by id; a later line for the same
/// id replaces an earlier one, and lines without a string id are skipped.
///
/// # Errors
/// [`Error::Json`] naming the line that is not JSON.
pub fn read_forecast_lines(text: &str, source: &str) -> Result<HashMap<String, ExternalForecast>> {
    let mut by_id = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| {
            let mut err = Error::json(source, &e);
            if let Error::Json { line, .. } = &mut err {
                *line = i + 1;
            }
            err
        })?;
        let Some(id) = v["id"].as_str() else {
            continue;
        };
        let mut band95 = None;
        if let Some(ivs) = v["intervals"].as_array() {
            for iv in ivs {
                if iv["level"]
                    .as_f64()
                    .is_some_and(|l| (l - 95.0).abs() < 1e-9)
                {
                    band95 = Some((numbers(&iv["lower"]), numbers(&iv["upper"])));
                }
            }
        }
        by_id.insert(
            id.to_string(),
            ExternalForecast {
                point: numbers(&v["point"]),
                band95,
            },
        );
    }
    Ok(by_id)
}
