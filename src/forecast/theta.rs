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
use super::season::{reseasonalise, Adjustment};
use super::stats::least_squares_line;
use super::types::Interval;

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

/// Fits the Theta method; `period` ≤ 1 means no seasonal adjustment. Returns
/// `None` for fewer than 3 observations.
pub fn fit(y: &[f64], period: usize) -> Option<ThetaModel> {
    if y.len() < 3 {
        return None;
    }
    fit_adjusted(&Adjustment::new(y, period))
}

/// [`fit`] on a series already adjusted (the combination adjusts once for
/// all its members).
pub fn fit_adjusted(adjustment: &Adjustment) -> Option<ThetaModel> {
    let adjusted = &adjustment.adjusted;
    let n = adjusted.len();
    if n < 3 {
        return None;
    }
    let ses = ets::fit(
        adjusted,
        EtsSpec {
            error: ErrorKind::Additive,
            trend: TrendKind::None,
            season: SeasonKind::None,
        },
        1,
    )?;
    let (_, slope) = least_squares_line(adjusted, 0.0);
    Some(ThetaModel {
        alpha: ses.params.alpha,
        level: ses.state.level,
        slope,
        sigma2: ses.sigma2,
        indices: adjustment.indices.clone(),
        n,
    })
}

impl ThetaModel {
    /// Point forecasts and normal intervals at `levels`.
    pub fn forecast(&self, horizon: usize, levels: &[f64]) -> (Vec<f64>, Vec<Interval>) {
        let a = self.alpha.max(1e-10);
        let offset = (1.0 - (1.0 - a).powi(self.n as i32)) / a;
        let mut point: Vec<f64> = (0..horizon)
            .map(|h| self.level + 0.5 * self.slope * (h as f64 + offset))
            .collect();
        let mut sd: Vec<f64> = (0..horizon)
            .map(|h| (self.sigma2 * (1.0 + h as f64 * a * a)).sqrt())
            .collect();
        if let Some(idx) = &self.indices {
            reseasonalise(&mut point, idx, self.n);
            reseasonalise(&mut sd, idx, self.n);
        }
        let iv = normal_intervals(&point, &sd, levels);
        (point, iv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
