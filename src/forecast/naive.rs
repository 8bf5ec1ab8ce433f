//! The simple benchmarks: naive, seasonal naive and the M4's Naive2.
//!
//! Their intervals are normal, with σ from the in-sample errors of the same
//! rule (the random-walk and seasonal random-walk variances).

use super::intervals;
use super::season::reseasonalise_forecast;
use super::types::Interval;

/// Root mean square of the lag-`lag` differences (0 when there are none).
fn diff_sd(y: &[f64], lag: usize) -> f64 {
    if y.len() <= lag {
        return 0.0;
    }
    let ss: f64 = (lag..y.len()).map(|t| (y[t] - y[t - lag]).powi(2)).sum();
    (ss / (y.len() - lag) as f64).sqrt()
}

/// Naive: ŷ_{n+h} = y_n, with σ_h = σ √h (σ the RMS of first differences).
pub fn naive(y: &[f64], horizon: usize, levels: &[f64]) -> (Vec<f64>, Vec<Interval>) {
    let last = *y.last().expect("callers pass a non-empty series");
    let sigma = diff_sd(y, 1);
    let point = vec![last; horizon];
    let sd: Vec<f64> = (1..=horizon).map(|h| sigma * (h as f64).sqrt()).collect();
    let iv = intervals::normal_intervals(&point, &sd, levels);
    (point, iv)
}

/// Seasonal naive: ŷ_{n+h} = y_{n+h−m(⌊(h−1)/m⌋+1)}, with
/// σ_h = σ_m √(⌊(h−1)/m⌋ + 1) (σ_m the RMS of lag-m differences).
pub fn seasonal_naive(
    y: &[f64],
    horizon: usize,
    m: usize,
    levels: &[f64],
) -> (Vec<f64>, Vec<Interval>) {
    let n = y.len();
    let sigma = diff_sd(y, m);
    let point: Vec<f64> = (0..horizon).map(|h| y[n - m + h % m]).collect();
    let sd: Vec<f64> = (0..horizon)
        .map(|h| sigma * ((h / m + 1) as f64).sqrt())
        .collect();
    let iv = intervals::normal_intervals(&point, &sd, levels);
    (point, iv)
}

/// Naive2: naive on the series divided by `indices` (when given), multiplied
/// back.
pub fn naive2(
    y: &[f64],
    horizon: usize,
    indices: Option<&[f64]>,
    levels: &[f64],
) -> (Vec<f64>, Vec<Interval>) {
    let Some(idx) = indices else {
        return naive(y, horizon, levels);
    };
    let m = idx.len();
    let n = y.len();
    let adjusted: Vec<f64> = y.iter().enumerate().map(|(t, v)| v / idx[t % m]).collect();
    let (mut point, mut iv) = naive(&adjusted, horizon, levels);
    reseasonalise_forecast(&mut point, &mut iv, idx, n);
    (point, iv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasonal_naive_repeats_the_last_season() {
        let (p, _) = seasonal_naive(&[1.0, 2.0, 3.0, 4.0, 5.0], 4, 2, &[]);
        assert_eq!(p, vec![4.0, 5.0, 4.0, 5.0]);
    }

    #[test]
    fn naive_intervals_grow_with_the_square_root_of_the_step() {
        // First differences 1, −1, 1: RMS 1. 95%: ±1.96·√h.
        let (p, iv) = naive(&[1.0, 2.0, 1.0, 2.0], 4, &[95.0]);
        assert_eq!(p, vec![2.0; 4]);
        assert!((iv[0].upper[3] - 2.0 - 1.959_964 * 2.0).abs() < 1e-5);
    }
}
