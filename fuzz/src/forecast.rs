//! The forecast input readers and options through to forecasts.
//!
//! Input: the first line is a JSON options object (the core's
//! `ForecastOptions`, plus `horizon`, default 12, at most 60 here), the
//! rest the series, read as JSON when it starts with `{` or `[`, else as
//! long-form CSV. The first few series are forecast, each at most 2000
//! values long. The rest is also read as evaluation data and as forecast
//! lines, whose readers only have to return.

use pocketrec::forecast::input::{read_eval_data, read_forecast_lines, read_series, Format};
use pocketrec::forecast::{forecast, forecast_series, ForecastOptions, ModelChoice, MAX_HORIZON};
use serde_json::Value;

use super::check;

/// Longest horizon forecast, so one run stays short.
const HORIZON_CAP: usize = 60;
/// Longest series forecast.
const LENGTH_CAP: usize = 2000;
/// Series forecast per input.
const SERIES_CAP: usize = 4;
/// Most simulated paths (the options may ask for 100 000).
const SIMULATIONS_CAP: usize = 2000;

pub fn run(data: &[u8]) {
    let (head, body) = check::first_line(data);
    let Some((horizon, options)) = options(head) else {
        return;
    };
    let format = if check::is_json(body) {
        Format::Json
    } else {
        Format::Csv
    };
    if let Ok(input) = read_series(body, format, "fuzz") {
        for series in input.series.iter().take(SERIES_CAP) {
            let values = &series.values[series.values.len().saturating_sub(LENGTH_CAP)..];
            one(values, horizon, &options);
            // The whole series (with its fallback) only when short: a CSV
            // of a few lines can fill in a million missing periods, which
            // is accepted but takes seconds to fit (libFuzzer's slow units).
            if series.values.len() <= LENGTH_CAP {
                let out = forecast_series(series, horizon.max(1), &options);
                check::forecast(&out.forecast, horizon.max(1), &options, false);
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(body) {
        if let Ok(eval) = read_eval_data(text, "fuzz", LENGTH_CAP) {
            assert!(eval.horizon > 0 && !eval.series.is_empty());
            let options = ForecastOptions {
                season_length: Some(eval.season_length.max(1)),
                ..options.clone()
            };
            for s in eval.series.iter().take(SERIES_CAP) {
                one(&s.train, eval.horizon.min(HORIZON_CAP), &options);
            }
        }
        let _ = read_forecast_lines(text, "fuzz");
    }
}

/// The options line: `horizon` taken out (as the wasm binding does), the
/// rest the core's options; `None` when they do not parse or check.
pub fn options(line: &[u8]) -> Option<(usize, ForecastOptions)> {
    let mut map = match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(map)) => map,
        _ => return None,
    };
    let horizon = match map.remove("horizon") {
        None => 12,
        Some(v) => usize::try_from(v.as_u64()?).ok()?,
    };
    let mut options: ForecastOptions = serde_json::from_value(Value::Object(map)).ok()?;
    if horizon > MAX_HORIZON || options.validate().is_err() {
        assert!(
            forecast(&[1.0, 2.0, 3.0], horizon.max(1), &options).is_err(),
            "invalid options or horizon {horizon} are an error"
        );
        return None;
    }
    options.simulations = options.simulations.min(SIMULATIONS_CAP);
    Some((horizon.min(HORIZON_CAP), options))
}

/// Forecasts `values`; checks the result, or that an error was due.
pub fn one(values: &[f64], horizon: usize, options: &ForecastOptions) {
    let has_negative = values.iter().any(|v| *v < 0.0);
    let non_negative = options.non_negative.unwrap_or(!has_negative);
    match forecast(values, horizon, options) {
        Ok(f) => check::forecast(&f, horizon, options, non_negative),
        Err(e) => {
            // `auto` never fails on values it accepts.
            let valid = horizon > 0
                && !values.is_empty()
                && values.iter().all(|v| v.is_finite())
                && !(non_negative && has_negative);
            assert!(
                !(valid && options.model == ModelChoice::Auto),
                "auto failed on valid input: {e}"
            );
        }
    }
}
