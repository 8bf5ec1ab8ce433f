//! Seasonality: the autocorrelation test, classical multiplicative
//! decomposition and period detection.
//!
//! These follow the M4 competition's benchmark code, so that Naive2, Theta and
//! the OWA reference agree with the published definitions.

/// Sample autocorrelation at lags `1..=max_lag`:
/// r_k = Σ_{t=k}^{n−1} (y_t − ȳ)(y_{t−k} − ȳ) / Σ_t (y_t − ȳ)².
/// Returns zeros for a constant series (no lag is correlated with it).
pub fn acf(y: &[f64], max_lag: usize) -> Vec<f64> {
    let n = y.len();
    let mean = y.iter().sum::<f64>() / n.max(1) as f64;
    let denom: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    (1..=max_lag)
        .map(|k| {
            if k >= n || denom <= 0.0 {
                return 0.0;
            }
            let num: f64 = (k..n).map(|t| (y[t] - mean) * (y[t - k] - mean)).sum();
            num / denom
        })
        .collect()
}

/// The M4 seasonality test: the series is seasonal with period `m` when
/// |r_m| > z · √((1 + 2 Σ_{k=1}^{m−1} r_k²) / n), with z = 1.645 (90%,
/// two-sided; Bartlett's standard error). Needs `m > 1` and `n ≥ 3m`,
/// otherwise the answer is "not seasonal".
pub fn seasonality_test(y: &[f64], m: usize) -> bool {
    let n = y.len();
    if m <= 1 || n < 3 * m {
        return false;
    }
    let r = acf(y, m);
    let sum_sq: f64 = r[..m - 1].iter().map(|v| v * v).sum();
    let limit = 1.645 * ((1.0 + 2.0 * sum_sq) / n as f64).sqrt();
    r[m - 1].abs() > limit
}

/// Classical multiplicative decomposition: seasonal indices, one per phase
/// (`indices[t % m]` belongs to `y[t]`), with mean 1.
///
/// Trend: centred moving average of order m (a 2×m average for even m).
/// Index of a phase: mean of y_t / trend_t over the periods where the trend
/// exists, then all indices are divided by their mean. Needs `n ≥ 2m` and a
/// positive trend; returns `None` otherwise (callers then skip the
/// adjustment).
pub fn multiplicative_indices(y: &[f64], m: usize) -> Option<Vec<f64>> {
    decompose(y, m, true)
}

/// Classical additive decomposition: indices with mean 0 (`indices[t % m]`
/// belongs to `y[t]`). Same trend as [`multiplicative_indices`].
pub fn additive_indices(y: &[f64], m: usize) -> Option<Vec<f64>> {
    decompose(y, m, false)
}

fn decompose(y: &[f64], m: usize, multiplicative: bool) -> Option<Vec<f64>> {
    let n = y.len();
    if m < 2 || n < 2 * m {
        return None;
    }
    let trend = centred_moving_average(y, m);
    let mut sums = vec![0.0; m];
    let mut counts = vec![0usize; m];
    for (t, tr) in trend.iter().enumerate() {
        if let Some(tr) = tr {
            let ratio = if multiplicative {
                if *tr <= 0.0 {
                    return None;
                }
                y[t] / tr
            } else {
                y[t] - tr
            };
            sums[t % m] += ratio;
            counts[t % m] += 1;
        }
    }
    if counts.contains(&0) {
        return None;
    }
    let mut idx: Vec<f64> = sums
        .iter()
        .zip(&counts)
        .map(|(s, &c)| s / c as f64)
        .collect();
    let mean = idx.iter().sum::<f64>() / m as f64;
    if multiplicative {
        if mean <= 0.0 || idx.iter().any(|v| *v <= 0.0 || !v.is_finite()) {
            return None;
        }
        idx.iter_mut().for_each(|v| *v /= mean);
    } else {
        idx.iter_mut().for_each(|v| *v -= mean);
    }
    Some(idx)
}

/// Centred moving average of order m; `None` where the window does not fit.
fn centred_moving_average(y: &[f64], m: usize) -> Vec<Option<f64>> {
    let n = y.len();
    let mut out = vec![None; n];
    let half = m / 2;
    for (t, slot) in out.iter_mut().enumerate() {
        if t < half || t + half >= n {
            continue;
        }
        if m % 2 == 1 {
            *slot = Some(y[t - half..=t + half].iter().sum::<f64>() / m as f64);
        } else {
            // 2×m: the two end points get half weight.
            let inner: f64 = y[t + 1 - half..t + half].iter().sum();
            *slot = Some((inner + 0.5 * (y[t - half] + y[t + half])) / m as f64);
        }
    }
    out
}

/// `y` divided by its seasonal indices, with the indices (`indices[t % m]`),
/// when [`seasonal_adjustment`] finds a season at period `m` (> 1);
/// otherwise `y` unchanged and `None`. Theta and ARIMA both fit the
/// adjusted series and multiply their forecasts back.
pub fn deseasonalise(y: &[f64], m: usize) -> (Vec<f64>, Option<Vec<f64>>) {
    let indices = if m > 1 {
        seasonal_adjustment(y, m)
    } else {
        None
    };
    let adjusted = match &indices {
        Some(idx) => y.iter().enumerate().map(|(t, v)| v / idx[t % m]).collect(),
        None => y.to_vec(),
    };
    (adjusted, indices)
}

/// Seasonal indices when the series passes [`seasonality_test`] at period
/// `m` and has a positive trend; `None` when it should not be adjusted.
pub fn seasonal_adjustment(y: &[f64], m: usize) -> Option<Vec<f64>> {
    if seasonality_test(y, m) && y.iter().all(|v| *v > 0.0) {
        multiplicative_indices(y, m)
    } else {
        None
    }
}

/// Finds a seasonal period when the caller gives none: the lag in
/// `2..=min(n/3, 60)` with the largest autocorrelation among those that are
/// local peaks and pass the 90% test of [`seasonality_test`]. Trends make all
/// autocorrelations large, so the test runs on first differences. Returns 1
/// (non-seasonal) when no lag qualifies.
pub fn detect_period(y: &[f64]) -> usize {
    let n = y.len();
    if n < 8 {
        return 1;
    }
    let d: Vec<f64> = y.windows(2).map(|w| w[1] - w[0]).collect();
    let max_lag = (d.len() / 3).min(60);
    if max_lag < 2 {
        return 1;
    }
    let r = acf(&d, max_lag + 1);
    let mut best = (1usize, 0.0f64);
    for m in 2..=max_lag {
        let rm = r[m - 1];
        let is_peak = rm > r[m - 2] && rm >= r[m];
        if is_peak && rm > best.1 && seasonality_test(&d, m) {
            best = (m, rm);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seasonal(n: usize) -> Vec<f64> {
        let pattern = [1.2, 0.8, 1.0, 1.5, 0.5, 1.0];
        (0..n)
            .map(|t| (100.0 + t as f64) * pattern[t % 6])
            .collect()
    }

    #[test]
    fn acf_of_an_alternating_series() {
        // y = 1, −1, 1, −1: mean 0, Σy² = 4; lag 1: 3 products of −1 → −3/4.
        let r = acf(&[1.0, -1.0, 1.0, -1.0], 2);
        assert!((r[0] + 0.75).abs() < 1e-12);
        assert!((r[1] - 0.5).abs() < 1e-12);
    }

    #[test]
    fn finds_and_estimates_a_seasonal_pattern() {
        let y = seasonal(60);
        assert!(seasonality_test(&y, 6));
        let idx = multiplicative_indices(&y, 6).unwrap();
        let expected = [1.2, 0.8, 1.0, 1.5, 0.5, 1.0];
        for (a, b) in idx.iter().zip(expected) {
            assert!((a - b).abs() < 0.02, "{idx:?}");
        }
        assert_eq!(detect_period(&y), 6);
    }

    #[test]
    fn a_straight_line_is_not_seasonal() {
        let y: Vec<f64> = (0..60).map(|t| t as f64).collect();
        assert!(!seasonality_test(&y, 12));
        assert_eq!(detect_period(&y), 1);
        // Too short for the test: never seasonal.
        assert!(!seasonality_test(&seasonal(17), 6));
    }
}
