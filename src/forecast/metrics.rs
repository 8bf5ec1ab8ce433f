//! Forecast accuracy measures with the M4 competition's definitions.
//!
//! For a test window y_1…y_h, forecasts ŷ and a training series x of
//! length n with seasonal period m:
//!
//! ```text
//! sMAPE = (1/h) Σ 200 |y − ŷ| / (|y| + |ŷ|)           (terms with |y| + |ŷ| = 0 count 0)
//! scale = (1/(n − m)) Σ_{t>m} |x_t − x_{t−m}|          (in-sample seasonal naive MAE)
//! MASE  = (1/h) Σ |y − ŷ| / scale
//! MSIS  = (1/h) Σ [(U − L) + (2/a)(L − y)·1[y < L] + (2/a)(y − U)·1[y > U]] / scale
//! OWA   = ½ sMAPE / sMAPE_Naive2 + ½ MASE / MASE_Naive2   (on averages over a set)
//! ```
//!
//! with a = 1 − level/100 (0.05 for the M4's 95% intervals). When the
//! seasonal scale is zero (a series that repeats exactly) the lag-1 scale is
//! used; when that is zero too, the scaled measures are `None`.

use super::season::{reseasonalise, seasonal_adjustment};

/// Symmetric MAPE in percent (0–200).
pub fn smape(actual: &[f64], forecast: &[f64]) -> f64 {
    let terms = actual.iter().zip(forecast).map(|(y, f)| {
        let d = y.abs() + f.abs();
        if d == 0.0 {
            0.0
        } else {
            200.0 * (y - f).abs() / d
        }
    });
    terms.sum::<f64>() / actual.len().max(1) as f64
}

/// Mean absolute error.
pub fn mae(actual: &[f64], forecast: &[f64]) -> f64 {
    actual
        .iter()
        .zip(forecast)
        .map(|(y, f)| (y - f).abs())
        .sum::<f64>()
        / actual.len().max(1) as f64
}

/// Root mean squared error.
pub fn rmse(actual: &[f64], forecast: &[f64]) -> f64 {
    (actual
        .iter()
        .zip(forecast)
        .map(|(y, f)| (y - f).powi(2))
        .sum::<f64>()
        / actual.len().max(1) as f64)
        .sqrt()
}

/// MASE denominator: in-sample MAE of the seasonal naive forecast (lag m,
/// falling back to lag 1 when that is zero or the series is too short).
pub fn mase_scale(train: &[f64], m: usize) -> Option<f64> {
    let lag_mae = |lag: usize| -> Option<f64> {
        if lag == 0 || train.len() <= lag {
            return None;
        }
        let s: f64 = (lag..train.len())
            .map(|t| (train[t] - train[t - lag]).abs())
            .sum();
        let v = s / (train.len() - lag) as f64;
        (v > 0.0).then_some(v)
    };
    lag_mae(m.max(1)).or_else(|| lag_mae(1))
}

/// Mean absolute scaled error.
pub fn mase(train: &[f64], actual: &[f64], forecast: &[f64], m: usize) -> Option<f64> {
    mase_scale(train, m).map(|s| mae(actual, forecast) / s)
}

/// Share of actual values inside [lower, upper].
pub fn coverage(actual: &[f64], lower: &[f64], upper: &[f64]) -> f64 {
    let hits = actual
        .iter()
        .zip(lower.iter().zip(upper))
        .filter(|(y, (l, u))| *l <= *y && *y <= *u)
        .count();
    hits as f64 / actual.len().max(1) as f64
}

/// Mean scaled interval score of an interval at `level` percent.
pub fn msis(
    train: &[f64],
    actual: &[f64],
    lower: &[f64],
    upper: &[f64],
    level: f64,
    m: usize,
) -> Option<f64> {
    let scale = mase_scale(train, m)?;
    let a = 1.0 - level / 100.0;
    let total: f64 = actual
        .iter()
        .zip(lower.iter().zip(upper))
        .map(|(&y, (&l, &u))| {
            let mut s = u - l;
            if y < l {
                s += 2.0 / a * (l - y);
            }
            if y > u {
                s += 2.0 / a * (y - u);
            }
            s
        })
        .sum();
    Some(total / actual.len().max(1) as f64 / scale)
}

/// The M4 Naive2 benchmark: the last value of the seasonally adjusted series
/// (classical multiplicative decomposition, applied when the 90%
/// seasonality test passes), repeated and multiplied back by the seasonal
/// indices.
pub fn naive2(train: &[f64], horizon: usize, m: usize) -> Vec<f64> {
    let n = train.len();
    if n == 0 {
        return vec![0.0; horizon];
    }
    match seasonal_adjustment(train, m) {
        Some(idx) => {
            let mut point = vec![train[n - 1] / idx[(n - 1) % m]; horizon];
            reseasonalise(&mut point, &idx, n);
            point
        }
        None => vec![train[n - 1]; horizon],
    }
}

/// Overall weighted average: ½ (sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2),
/// from set-level means.
pub fn owa(smape: f64, mase: f64, smape_naive2: f64, mase_naive2: f64) -> f64 {
    0.5 * (smape / smape_naive2 + mase / mase_naive2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_measures() {
        let train = [1.0, 2.0, 3.0, 4.0, 5.0];
        let actual = [6.0, 7.0];
        let fc = [5.0, 9.0];
        // sMAPE: 200·1/11 and 200·2/16 → (18.1818 + 25) / 2.
        assert!((smape(&actual, &fc) - (200.0 / 11.0 + 25.0) / 2.0).abs() < 1e-12);
        // Lag-1 scale 1; MAE 1.5.
        assert_eq!(mase(&train, &actual, &fc, 1), Some(1.5));
        assert!((rmse(&actual, &fc) - 2.5f64.sqrt()).abs() < 1e-12);
        // Interval [5.5, 6.5] twice: hit, then miss by 0.5:
        // (1 + 1 + (2/0.05)·0.5) / 2 = 11.
        let (lo, hi) = ([5.5, 5.5], [6.5, 6.5]);
        assert_eq!(coverage(&actual, &lo, &hi), 0.5);
        assert!((msis(&train, &actual, &lo, &hi, 95.0, 1).unwrap() - 11.0).abs() < 1e-9);
        assert_eq!(owa(10.0, 1.0, 20.0, 2.0), 0.5);
    }

    #[test]
    fn scale_falls_back_and_then_gives_up() {
        assert_eq!(mase_scale(&[3.0, 3.0, 3.0], 1), None);
        // Lag 2 differences are zero, lag 1 are not.
        assert_eq!(mase_scale(&[1.0, 2.0, 1.0, 2.0], 2), Some(1.0));
    }

    #[test]
    fn naive2_without_seasonality_is_naive() {
        assert_eq!(naive2(&[1.0, 2.0, 4.0], 2, 12), vec![4.0, 4.0]);
    }
}
