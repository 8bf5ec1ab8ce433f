//! Many series at once: the forecast of one named series with the
//! documented fallback, and its JSON line.
//!
//! A series that cannot be forecast (NaN or missing values, an option its
//! model cannot meet) still gets a forecast: the naive forecast of its
//! finite values (model `Fallback(Naive)`), or zeros when it has none
//! (`Fallback(Zero)`), together with the error. One bad series never stops
//! a batch.

use serde::{Serialize, Serializer};

use super::input::InputSeries;
use super::inventory::Inventory;
use super::stats::Criteria;
use super::types::{Forecast, ForecastOptions, Interval};
use super::{forecast, intervals, naive};

/// The forecast of one named series: the model's, or the fallback with
/// the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesForecast {
    /// The series id.
    pub id: String,
    /// The forecast (the fallback when `error` is set).
    pub forecast: Forecast,
    /// Why the series fell back, if it did.
    pub error: Option<String>,
    /// The reorder suggestion, when one was asked for (set by the caller).
    pub inventory: Option<Inventory>,
}

/// The JSON line of `pocketrec forecast`:
/// `{"error"?, "fit"?, "id", "intervals": [{"level", "lower", "upper"}], "inventory"?, "model", "point"}`,
/// keys in this (alphabetical) order, the format the CLI has always
/// written (`fit` and `inventory` were added on 2026-12-02, present only
/// when there is one).
impl Serialize for SeriesForecast {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Line<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            error: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            fit: Option<&'a Criteria>,
            id: &'a str,
            intervals: &'a [Interval],
            #[serde(skip_serializing_if = "Option::is_none")]
            inventory: Option<&'a Inventory>,
            model: &'a str,
            point: &'a [f64],
        }
        Line {
            error: self.error.as_deref(),
            fit: self.forecast.fit.as_ref(),
            id: &self.id,
            intervals: &self.forecast.intervals,
            inventory: self.inventory.as_ref(),
            model: &self.forecast.model,
            point: &self.forecast.point,
        }
        .serialize(s)
    }
}

/// Forecasts one input series, falling back (see the module docs) when
/// its input had a problem or the forecast fails.
pub fn forecast_series(
    series: &InputSeries,
    horizon: usize,
    options: &ForecastOptions,
) -> SeriesForecast {
    let result = match &series.problem {
        Some(p) => Err(p.clone()),
        None => forecast(&series.values, horizon, options).map_err(|e| e.to_string()),
    };
    let (forecast, error) = match result {
        Ok(f) => (f, None),
        Err(e) => (fallback(&series.values, horizon, &options.levels), Some(e)),
    };
    SeriesForecast {
        id: series.id.clone(),
        forecast,
        error,
        inventory: None,
    }
}

/// [`forecast`](super::forecast()), or the fallback with the error's text.
pub fn forecast_or_fallback(
    values: &[f64],
    horizon: usize,
    options: &ForecastOptions,
) -> (Forecast, Option<String>) {
    match forecast(values, horizon, options) {
        Ok(f) => (f, None),
        Err(e) => (
            fallback(values, horizon, &options.levels),
            Some(e.to_string()),
        ),
    }
}

/// The documented fallback: the naive forecast of the finite values
/// (`Fallback(Naive)`), or zeros when there are none (`Fallback(Zero)`).
/// Bounds are clamped at 0 when no finite value is negative.
pub fn fallback(values: &[f64], horizon: usize, levels: &[f64]) -> Forecast {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let (point, intervals, model) = if finite.is_empty() {
        let zeros = vec![0.0; horizon];
        let iv = levels
            .iter()
            .map(|&level| Interval {
                level,
                lower: zeros.clone(),
                upper: zeros.clone(),
            })
            .collect();
        (zeros, iv, "Fallback(Zero)")
    } else {
        let (p, iv) = naive(&finite, horizon, levels);
        (p, iv, "Fallback(Naive)")
    };
    let mut f = Forecast {
        point,
        intervals,
        model: model.to_string(),
        season_length: 1,
        fit: None,
    };
    if finite.iter().all(|v| *v >= 0.0) {
        intervals::tidy(&f.point, &mut f.intervals, true);
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_with_a_problem_falls_back_to_naive_on_its_finite_values() {
        let s = InputSeries {
            id: "a".into(),
            values: vec![1.0, f64::NAN, 3.0],
            problem: Some("values[1] must be a number, got null".into()),
        };
        let f = forecast_series(&s, 2, &ForecastOptions::default());
        assert_eq!(f.forecast.model, "Fallback(Naive)");
        assert_eq!(f.forecast.point, vec![3.0, 3.0]);
        assert_eq!(
            f.error.as_deref(),
            Some("values[1] must be a number, got null")
        );
        let line = serde_json::to_string(&f).unwrap();
        assert!(line.starts_with(r#"{"error":"values[1] must be a number, got null","id":"a","intervals":[{"level":80,"#), "{line}");
    }

    #[test]
    fn no_finite_value_falls_back_to_zeros() {
        let f = fallback(&[f64::NAN], 3, &[95.0]);
        assert_eq!(f.model, "Fallback(Zero)");
        assert_eq!(f.point, vec![0.0; 3]);
        assert_eq!(f.intervals[0].upper, vec![0.0; 3]);
    }
}
