//! Scoring forecasts against held-out data with the M4 measures, as
//! `pocketrec forecast-eval` reports them: per method, the means over the
//! series of sMAPE, MASE, RMSE, MAE, 95% coverage and MSIS, and the OWA
//! against Naive2 (see [`super::metrics`]).
//!
//! [`Scores`] accumulates one method's results series by series;
//! [`Scores::summary`] gives the row.

use serde::Serialize;

use super::metrics;
use super::types::Interval;

/// One evaluation series: the history a model may see and the values
/// that followed.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalSeries {
    /// Series id (`#i` when the input had none).
    pub id: String,
    /// Training values, oldest first.
    pub train: Vec<f64>,
    /// The held-out values that followed.
    pub test: Vec<f64>,
}

/// One method's sums over the series scored so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    n: usize,
    smape: f64,
    mase: f64,
    mase_n: usize,
    rmse: f64,
    mae: f64,
    coverage: f64,
    coverage_n: usize,
    msis: f64,
    msis_n: usize,
    naive2_smape: f64,
    naive2_mase: f64,
    /// Seconds spent forecasting (added by the caller, which owns the clock).
    pub seconds: f64,
    /// Series that could not be scored or fell back.
    pub failures: usize,
}

/// One method's row: means over the series it was scored on. A measure
/// with no series to average is NaN (`null` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Method name.
    pub method: String,
    /// Series scored.
    pub series: usize,
    /// Mean sMAPE (%).
    pub smape: f64,
    /// Mean MASE over the series where it is defined.
    pub mase: f64,
    /// OWA against Naive2 on the same series.
    pub owa: f64,
    /// Mean RMSE.
    pub rmse: f64,
    /// Mean MAE.
    pub mae: f64,
    /// Mean coverage of the 95% interval (series that had one).
    pub coverage95: f64,
    /// Mean MSIS at 95%.
    pub msis: f64,
    /// Mean milliseconds per series; `None` when not timed.
    pub ms_per_series: Option<f64>,
    /// Series that could not be scored or fell back.
    pub failures: usize,
}

/// The 95% band of a forecast's intervals, if it has one.
pub fn band95(intervals: &[Interval]) -> Option<(&[f64], &[f64])> {
    intervals
        .iter()
        .find(|i| (i.level - 95.0).abs() < 1e-9)
        .map(|i| (i.lower.as_slice(), i.upper.as_slice()))
}

impl Scores {
    /// Adds one series' forecast (`point` as long as the test at least for
    /// a full score; only the overlap is scored) with its 95% band, at
    /// season length `m` for MASE, MSIS and Naive2.
    pub fn add(
        &mut self,
        series: &EvalSeries,
        m: usize,
        point: &[f64],
        band95: Option<(&[f64], &[f64])>,
    ) {
        let h = series.test.len();
        let point = &point[..h.min(point.len())];
        let test = &series.test[..point.len()];
        self.n += 1;
        self.smape += metrics::smape(test, point);
        self.rmse += metrics::rmse(test, point);
        self.mae += metrics::mae(test, point);
        let n2 = metrics::naive2(&series.train, h, m);
        self.naive2_smape += metrics::smape(test, &n2[..point.len()]);
        if let (Some(v), Some(v2)) = (
            metrics::mase(&series.train, test, point, m),
            metrics::mase(&series.train, test, &n2[..point.len()], m),
        ) {
            self.mase += v;
            self.naive2_mase += v2;
            self.mase_n += 1;
        }
        if let Some((lo, hi)) = band95 {
            self.coverage += metrics::coverage(test, lo, hi);
            self.coverage_n += 1;
            if let Some(v) = metrics::msis(&series.train, test, lo, hi, 95.0, m) {
                self.msis += v;
                self.msis_n += 1;
            }
        }
    }

    /// The row of means; `timed` says whether [`Scores::seconds`] counts.
    pub fn summary(&self, method: &str, timed: bool) -> Summary {
        let mean = |v: f64, n: usize| if n > 0 { v / n as f64 } else { f64::NAN };
        let smape = mean(self.smape, self.n);
        let mase = mean(self.mase, self.mase_n);
        Summary {
            method: method.to_string(),
            series: self.n,
            smape,
            mase,
            owa: metrics::owa(
                smape,
                mase,
                mean(self.naive2_smape, self.n),
                mean(self.naive2_mase, self.mase_n),
            ),
            rmse: mean(self.rmse, self.n),
            mae: mean(self.mae, self.n),
            coverage95: mean(self.coverage, self.coverage_n),
            msis: mean(self.msis, self.msis_n),
            ms_per_series: timed.then(|| 1000.0 * mean(self.seconds, self.n)),
            failures: self.failures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive2_scored_against_itself_has_owa_one_and_a_perfect_forecast_zero_smape() {
        let train: Vec<f64> = (0..24).map(|t| 10.0 + (t % 4) as f64).collect();
        let s = EvalSeries {
            id: "a".into(),
            train: train.clone(),
            test: vec![12.0, 13.0, 10.0, 11.0],
        };
        let mut naive2 = Scores::default();
        naive2.add(&s, 4, &metrics::naive2(&train, 4, 4), None);
        let row = naive2.summary("naive2", false);
        assert!((row.owa - 1.0).abs() < 1e-12, "{row:?}");
        assert!(row.coverage95.is_nan() && row.ms_per_series.is_none());
        let mut perfect = Scores::default();
        let t = s.test.clone();
        perfect.add(&s, 4, &t, Some((&t, &t)));
        let row = perfect.summary("perfect", false);
        assert_eq!((row.smape, row.coverage95, row.series), (0.0, 1.0, 1));
    }
}
