//! From a forecast to stock decisions: reorder point, safety stock and the
//! expected stock-out period.
//!
//! Demand over a lead time of L periods is D_L = Σ_{h=1}^{L} ŷ_h. Each
//! step's standard deviation is read off the forecast's widest interval,
//! σ_h = (U_h − L_h) / (2 z), z the normal quantile of that level (for
//! simulated or skewed intervals this is an approximation). Steps are taken
//! as independent, the textbook assumption behind SS = z σ √L:
//!
//! ```text
//! σ_L           = √(Σ_{h≤L} σ_h²)
//! safety stock  = z_service · σ_L
//! reorder point = D_L + safety stock
//! ```
//!
//! with z_service = Φ⁻¹(service level) (cycle service level: the chance of
//! not running out during one lead time).

use super::intervals::normal_quantile;
use super::intervals::z_for_level;
use super::types::Forecast;
use crate::error::{Error, Result};

/// A reorder suggestion.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReorderPlan {
    /// Lead time in periods.
    pub lead_time: usize,
    /// Cycle service level in percent.
    pub service_level: f64,
    /// Expected demand over the lead time.
    pub lead_time_demand: f64,
    /// Extra stock held against forecast uncertainty.
    pub safety_stock: f64,
    /// Reorder when stock on hand and on order falls to this.
    pub reorder_point: f64,
}

/// Reorder point and safety stock for a lead time (in periods, 1..=horizon)
/// and a cycle service level in percent (50 ≤ level < 100).
///
/// # Errors
/// [`Error::InvalidConfig`] for a lead time outside 1..=horizon, a service
/// level outside [50, 100), or a forecast without intervals.
pub fn reorder_plan(
    forecast: &Forecast,
    lead_time: usize,
    service_level: f64,
) -> Result<ReorderPlan> {
    let horizon = forecast.point.len();
    if lead_time == 0 || lead_time > horizon {
        return Err(Error::config(
            "leadTime",
            format!("must be in 1..={horizon} (the forecast horizon), got {lead_time}"),
        ));
    }
    if !(service_level.is_finite() && (50.0..100.0).contains(&service_level)) {
        return Err(Error::config(
            "serviceLevel",
            format!("must be a percentage in [50, 100), got {service_level}"),
        ));
    }
    let sd = lead_time_sd(forecast, lead_time).ok_or_else(|| {
        Error::config(
            "levels",
            "the forecast has no intervals; ask for at least one level",
        )
    })?;
    let demand: f64 = forecast.point[..lead_time].iter().sum();
    let safety = normal_quantile(service_level / 100.0) * sd;
    Ok(ReorderPlan {
        lead_time,
        service_level,
        lead_time_demand: demand,
        safety_stock: safety,
        reorder_point: demand + safety,
    })
}

/// σ_L, the standard deviation of demand over the first `lead_time`
/// steps (at most the horizon), read off the widest interval as in the
/// module docs; `None` when the forecast has no intervals.
pub fn lead_time_sd(forecast: &Forecast, lead_time: usize) -> Option<f64> {
    let widest = forecast
        .intervals
        .iter()
        .max_by(|a, b| a.level.total_cmp(&b.level))?;
    let z = z_for_level(widest.level);
    let steps = lead_time.min(widest.upper.len()).min(widest.lower.len());
    let var: f64 = (0..steps)
        .map(|h| ((widest.upper[h] - widest.lower[h]) / (2.0 * z)).powi(2))
        .sum();
    Some(var.sqrt())
}

/// The first period (1-based) in which cumulative expected demand exceeds
/// `stock`; `None` when the stock lasts the whole horizon.
pub fn stockout_period(forecast: &Forecast, stock: f64) -> Option<usize> {
    let mut used = 0.0;
    for (h, d) in forecast.point.iter().enumerate() {
        used += d.max(0.0);
        if used > stock {
            return Some(h + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::Interval;
    use super::*;

    fn flat(level: f64, sd: f64) -> Forecast {
        let z = z_for_level(95.0);
        Forecast {
            point: vec![level; 4],
            intervals: vec![Interval {
                level: 95.0,
                lower: vec![level - z * sd; 4],
                upper: vec![level + z * sd; 4],
            }],
            model: "test".into(),
            season_length: 1,
        }
    }

    #[test]
    fn reorder_point_for_a_flat_forecast() {
        // 10 per period, σ = 3, L = 4: D = 40, σ_L = 3·2 = 6,
        // z(95%) = 1.6449 → SS = 9.869, ROP = 49.869.
        let plan = reorder_plan(&flat(10.0, 3.0), 4, 95.0).unwrap();
        assert!((plan.lead_time_demand - 40.0).abs() < 1e-9);
        assert!((plan.safety_stock - 1.644_853_6 * 6.0).abs() < 1e-5);
        assert!((plan.reorder_point - 49.869_12).abs() < 1e-4);
        assert!(reorder_plan(&flat(10.0, 3.0), 5, 95.0).is_err());
        assert!(reorder_plan(&flat(10.0, 3.0), 2, 100.0).is_err());
    }

    #[test]
    fn stock_runs_out_when_demand_passes_it() {
        let f = flat(10.0, 1.0);
        assert_eq!(stockout_period(&f, 25.0), Some(3));
        assert_eq!(stockout_period(&f, 40.0), None);
    }
}
