//! The Theta method of Assimakopoulos & Nikolopoulos (2000), in the form of
//! Hyndman & Billah (2003) used as a benchmark in M3 and M4: simple
//! exponential smoothing with a drift of half the slope of a least-squares
//! line, on seasonally adjusted data.
//!
//! With the SES level ℓ_n, smoothing α, n observations and the least-squares
//! slope b of the (adjusted) series against time,
//!
//! ```text
//! ŷ_{n+h} = ℓ_n + (b/2) · (h − 1 + (1 − (1 − α)^n) / α)
//! ```
//!
//! The series is adjusted by classical multiplicative decomposition when it
//! passes the 90% seasonality test at its period (see
//! [`super::season::seasonal_adjustment`]), or by the short-history indices
//! when it holds only two seasons (see
//! [`super::season::short_history_adjustment`]), and forecasts are multiplied back
//! by the seasonal indices. Intervals are those of SES,
//! σ²(1 + (h − 1)α²), scaled by the seasonal index.

use super::ets::{self, ErrorKind, EtsSpec, SeasonKind, TrendKind};
use super::intervals::normal_intervals;
use super::season::deseasonalise;
use super::Interval;

/// A fitted Theta model.
#[derive(Debug, Clone)]
pub struct ThetaModel {
    /// SES smoothing parameter.
    pub alpha: f64,
    /// SES level after the last observation (on the adjusted scale).
    pub level: f64,
    /// Least-squares slope of the adjusted series (the drift is half of it).
    pub slope: f64,
    /// One-step innovation variance of the SES fit.
    pub sigma2: f64,
    /// Seasonal indices used for adjustment, if any (`indices[t % m]`).
    pub indices: Option<Vec<f64>>,
    /// Number of observations.
    pub n: usize,
}

/// Least-squares line through (x₀, y₀), (x₀ + 1, y₁), …: returns
/// (intercept at x = 0, slope). A single point gives slope 0.
pub fn least_squares_line(y: &[f64], x0: f64) -> (f64, f64) {
    let n = y.len() as f64;
    if y.len() < 2 {
        return (y.first().copied().unwrap_or(0.0), 0.0);
    }
    let xm = x0 + (n - 1.0) / 2.0;
    let ym = y.iter().sum::<f64>() / n;
    let mut sxy = 0.0;
    let mut sxx = 0.0;
    for (i, v) in y.iter().enumerate() {
        let dx = x0 + i as f64 - xm;
        sxy += dx * (v - ym);
        sxx += dx * dx;
    }
    let slope = sxy / sxx;
    (ym - slope * xm, slope)
}

/// Fits the Theta method; `period` ≤ 1 means no seasonal adjustment. Returns
/// `None` for fewer than 3 observations.
pub fn fit(y: &[f64], period: usize) -> Option<ThetaModel> {
    let n = y.len();
    if n < 3 {
        return None;
    }
    let (adjusted, indices) = deseasonalise(y, period);
    let ses = ets::fit(
        &adjusted,
        EtsSpec {
            error: ErrorKind::Additive,
            trend: TrendKind::None,
            season: SeasonKind::None,
        },
        1,
    )?;
    let (_, slope) = least_squares_line(&adjusted, 0.0);
    Some(ThetaModel {
        alpha: ses.params.alpha,
        level: ses.state.level,
        slope,
        sigma2: ses.sigma2,
        indices,
        n,
    })
}

impl ThetaModel {
    fn index(&self, h: usize) -> f64 {
        match &self.indices {
            Some(idx) => idx[(self.n + h) % idx.len()],
            None => 1.0,
        }
    }

    /// Point forecasts and normal intervals at `levels`.
    pub fn forecast(&self, horizon: usize, levels: &[f64]) -> (Vec<f64>, Vec<Interval>) {
        let a = self.alpha.max(1e-10);
        let offset = (1.0 - (1.0 - a).powi(self.n as i32)) / a;
        let point: Vec<f64> = (0..horizon)
            .map(|h| (self.level + 0.5 * self.slope * (h as f64 + offset)) * self.index(h))
            .collect();
        let sd: Vec<f64> = (0..horizon)
            .map(|h| (self.sigma2 * (1.0 + h as f64 * a * a)).sqrt() * self.index(h))
            .collect();
        let iv = normal_intervals(&point, &sd, levels);
        (point, iv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_line_of_exact_points() {
        // y = 3 + 2x at x = 1, 2, 3.
        let (a, b) = least_squares_line(&[5.0, 7.0, 9.0], 1.0);
        assert!((a - 3.0).abs() < 1e-12 && (b - 2.0).abs() < 1e-12);
    }

    #[test]
    fn theta_on_a_line_follows_half_the_slope_from_the_level() {
        let y: Vec<f64> = (0..40).map(|t| 100.0 + t as f64).collect();
        let m = fit(&y, 1).unwrap();
        let (p, _) = m.forecast(3, &[]);
        // SES tracks the line closely (α near 1), so ℓ_n ≈ 139 and the drift
        // adds ½ per step: ≈ 139.5, 140, 140.5.
        assert!((p[1] - p[0] - 0.5).abs() < 1e-9);
        assert!((p[0] - 139.5).abs() < 1.0, "{p:?}");
    }
}
