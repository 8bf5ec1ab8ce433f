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
    check_service_level(service_level)?;
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

/// Checks a cycle service level in percent: finite, in [50, 100).
///
/// # Errors
/// [`Error::InvalidConfig`] for `serviceLevel`, with the value.
pub fn check_service_level(service_level: f64) -> Result<()> {
    if service_level.is_finite() && (50.0..100.0).contains(&service_level) {
        Ok(())
    } else {
        Err(Error::config(
            "serviceLevel",
            format!("must be a percentage in [50, 100), got {service_level}"),
        ))
    }
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

/// A reorder request, as the wasm `inventory` option (camelCase) and the
/// CLI's `--lead-time`, `--service-level` and `--stock` give it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InventoryOptions {
    /// Lead time in periods, 1..=horizon.
    pub lead_time: usize,
    /// Cycle service level in percent, [50, 100). Default 95.
    #[serde(default = "default_service_level")]
    pub service_level: f64,
    /// Stock on hand (finite, ≥ 0), for [`stockout_period`]. Default none.
    pub stock: Option<f64>,
}

/// The default cycle service level, 95%.
pub const DEFAULT_SERVICE_LEVEL: f64 = 95.0;

fn default_service_level() -> f64 {
    DEFAULT_SERVICE_LEVEL
}

impl InventoryOptions {
    /// Checks the request against a forecast of `horizon` steps with
    /// intervals at `levels`, before any forecasting is done.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the field: a lead time outside
    /// 1..=horizon, a service level outside [50, 100), a stock that is
    /// negative or not finite, or no interval levels to read σ from.
    pub fn validate(&self, horizon: usize, levels: &[f64]) -> Result<()> {
        if self.lead_time == 0 || self.lead_time > horizon {
            return Err(Error::config(
                "leadTime",
                format!(
                    "must be in 1..={horizon} (the forecast horizon), got {}",
                    self.lead_time
                ),
            ));
        }
        check_service_level(self.service_level)?;
        if let Some(stock) = self.stock.filter(|s| !(s.is_finite() && *s >= 0.0)) {
            return Err(Error::config(
                "stock",
                format!("must be a finite number ≥ 0, got {stock}"),
            ));
        }
        if levels.is_empty() {
            return Err(Error::config(
                "levels",
                "a reorder plan reads σ from the intervals; ask for at least one level",
            ));
        }
        Ok(())
    }
}

/// A reorder suggestion with the stock-out period: the `inventory` object
/// of the wasm `forecast` result and of `pocketrec forecast` lines.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    /// Reorder point and safety stock.
    #[serde(flatten)]
    pub plan: ReorderPlan,
    /// First period (1-based) in which expected demand exceeds the stock;
    /// `None` (null) when it lasts, or when no stock was given.
    pub stockout_period: Option<usize>,
}

/// The reorder plan and stock-out period of a forecast.
///
/// # Errors
/// As [`reorder_plan`].
pub fn inventory(forecast: &Forecast, options: &InventoryOptions) -> Result<Inventory> {
    Ok(Inventory {
        plan: reorder_plan(forecast, options.lead_time, options.service_level)?,
        stockout_period: options
            .stock
            .and_then(|stock| stockout_period(forecast, stock)),
    })
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
            fit: None,
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
    fn options_are_checked_before_forecasting() {
        let ok = InventoryOptions {
            lead_time: 4,
            service_level: 95.0,
            stock: Some(25.0),
        };
        assert!(ok.validate(4, &[95.0]).is_ok());
        let err = ok.validate(3, &[95.0]).unwrap_err().to_string();
        assert!(
            err.contains("leadTime") && err.contains("1..=3") && err.contains("got 4"),
            "{err}"
        );
        let bad = InventoryOptions {
            stock: Some(-1.0),
            ..ok
        };
        assert!(bad
            .validate(4, &[95.0])
            .unwrap_err()
            .to_string()
            .contains("stock"));
        let bad = InventoryOptions {
            service_level: 40.0,
            ..ok
        };
        assert!(bad
            .validate(4, &[95.0])
            .unwrap_err()
            .to_string()
            .contains("serviceLevel"));
        assert!(ok
            .validate(4, &[])
            .unwrap_err()
            .to_string()
            .contains("levels"));
        let inv = inventory(&flat(10.0, 3.0), &ok).unwrap();
        assert_eq!(inv.stockout_period, Some(3));
        assert_eq!(inv.plan, reorder_plan(&flat(10.0, 3.0), 4, 95.0).unwrap());
    }

    #[test]
    fn stock_runs_out_when_demand_passes_it() {
        let f = flat(10.0, 1.0);
        assert_eq!(stockout_period(&f, 25.0), Some(3));
        assert_eq!(stockout_period(&f, 40.0), None);
    }
}
