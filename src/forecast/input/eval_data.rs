//! Evaluation data and forecast lines made elsewhere, for
//! `forecast-eval`.

use std::collections::HashMap;

use serde_json::Value;

use super::{number, short, MAX_SERIES};
use crate::error::{Error, Result};
use crate::forecast::evaluate::EvalSeries;

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

/// `$.series[i].<key>` as numbers; an entry that is not a number is an
/// error naming it.
fn eval_numbers(s: &Value, key: &str, i: usize, id: &str, source: &str) -> Result<Vec<f64>> {
    let Some(list) = s[key].as_array() else {
        return Ok(Vec::new());
    };
    if let Some(j) = list.iter().position(|v| !v.is_number()) {
        return Err(Error::value(
            format!("{source}: $.series[{i}].{key}[{j}] (series {id:?})"),
            format!("must be a number, got {}", short(&list[j])),
        ));
    }
    Ok(list.iter().map(number).collect())
}

/// Reads evaluation data, keeping the last `max_history` training values
/// of each series (0: all). Series without training or test values are
/// left out.
///
/// # Errors
/// [`Error::Json`] for malformed JSON; [`Error::InvalidValue`] for a
/// missing or zero `horizon`, a missing `series` array, a training or test
/// value that is not a number (naming its path and series); [`Error::Empty`]
/// when no series has both training and test values;
/// [`Error::LimitExceeded`] above [`MAX_SERIES`] series.
pub fn read_eval_data(text: &str, source: &str, max_history: usize) -> Result<EvalData> {
    let doc: Value = serde_json::from_str(text).map_err(|e| Error::json(source, &e))?;
    let horizon = doc["horizon"]
        .as_u64()
        .ok_or_else(|| Error::value(format!("{source}: $.horizon"), "needs a number"))?
        as usize;
    if horizon == 0 {
        return Err(Error::value(
            format!("{source}: $.horizon"),
            "must be ≥ 1 (the steps each series is forecast), got 0",
        ));
    }
    let season_length = doc["season_length"].as_u64().unwrap_or(1).max(1) as usize;
    let Some(list) = doc["series"].as_array() else {
        return Err(Error::value(
            format!("{source}: $.series"),
            "needs a \"series\" array",
        ));
    };
    if list.len() > MAX_SERIES {
        return Err(Error::LimitExceeded(format!(
            "{source}: {} series; at most {MAX_SERIES} accepted in one input",
            list.len()
        )));
    }
    let mut series = Vec::with_capacity(list.len());
    for (i, s) in list.iter().enumerate() {
        let id = s["id"]
            .as_str()
            .map_or_else(|| format!("#{i}"), str::to_string);
        let mut train = eval_numbers(s, "train", i, &id, source)?;
        if max_history > 0 && train.len() > max_history {
            train.drain(..train.len() - max_history);
        }
        let test = eval_numbers(s, "test", i, &id, source)?;
        if !train.is_empty() && !test.is_empty() {
            series.push(EvalSeries { id, train, test });
        }
    }
    if series.is_empty() {
        return Err(Error::Empty(format!(
            "{source}: no series with both \"train\" and \"test\" values ({} in $.series)",
            list.len()
        )));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eval_data_without_horizon_series_or_numbers_is_an_error() {
        let read = |t: &str| read_eval_data(t, "e.json", 0).unwrap_err().to_string();
        let text = read(r#"{"horizon": 0, "series": [{"id": "a", "train": [1], "test": [2]}]}"#);
        assert!(text.contains("$.horizon"), "{text}");
        let text = read(r#"{"horizon": 2, "series": []}"#);
        assert!(text.contains("no series"), "{text}");
        let text = read(r#"{"horizon": 2, "series": [{"id": "a", "train": [1], "test": [null]}]}"#);
        assert!(
            text.contains("$.series[0].test[0]") && text.contains("\"a\""),
            "{text}"
        );
    }
}
