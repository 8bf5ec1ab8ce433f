//! The reorder plan: for every product, how much will sell over the lead
//! time, how much to hold, whether to order now and how much.
//!
//! Per product, from its sales series ([`super::sales`]):
//!
//! 1. **Demand history.** The series from the product's first period with
//!    a line (a product launched in June is not "intermittent" before it),
//!    each period's net units clipped at 0: a period with more returns than
//!    sales sold nothing, and returned units go back on the shelf rather
//!    than being negative demand to extrapolate.
//! 2. **Classes.** ABC by net revenue (by net units when the log has no
//!    prices) and XYZ by the cv of the demand history ([`super::classes`]).
//! 3. **Forecast** over the lead time with [`forecast_or_fallback`], model
//!    `auto` (intermittent series go to TSB inside it), season 52 weeks or
//!    12 months when the history holds two full years, else none;
//!    non-negative, so forecasts and bounds are clipped at 0. Its interval
//!    at [`PlanOptions::level`] gives each step's σ_h.
//! 4. **Reorder figures** by [`reorder_plan`]: lead-time demand
//!    `D_L = Σ_{h≤L} ŷ_h`, `σ_L = √Σ σ_h²`, safety stock `z_s σ_L`, reorder
//!    point `D_L + z_s σ_L`, `z_s = Φ⁻¹(service level)`. The lead-time
//!    interval is `D_L ± z_level σ_L` (lower clipped at 0).
//! 5. **Stock figures**, when the stock file names the product:
//!    * days of cover = stock / daily demand, daily demand
//!      `D_L / (L · period days)`; `null` when nothing is forecast to sell;
//!    * stock-out risk = P(demand over the lead time > stock) for demand
//!      normal with mean `D_L` and sd `σ_L`: `1 − Φ((stock − D_L) / σ_L)`
//!      (with σ_L = 0: 1 when `D_L > stock`, else 0).
//! 6. **Order quantity**, an order-up-to rule: when stock ≤ reorder point,
//!    order up to the reorder point plus one period's demand,
//!    `⌈ROP + D_L/L − stock⌉`, else 0. Whole units, ≥ 0. **Without a known
//!    stock** the figure is the same rule from empty shelves, `⌈ROP +
//!    D_L/L⌉`: what the owner should hold, which is what an owner without a
//!    stock count asks. Stock, cover and risk stay `null`.
//!
//! **Urgency order** (most urgent first): products with a known stock by
//! stock-out risk (high first), then days of cover (short first; `null`
//! last), then ABC; then products with unknown stock by ABC, then
//! lead-time demand (high first). Ties by product order. Products without
//! any line in the history used are left out (counted in [`Plan::unsold`]).
//!
//! Products are planned in parallel ([`crate::parallel::in_parallel`]),
//! each independently, so the plan does not depend on the thread count.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::forecast::intervals::{normal_cdf, z_for_level};
use crate::forecast::inventory::{check_service_level, lead_time_sd, reorder_plan};
use crate::forecast::{forecast_or_fallback, ForecastOptions, ModelChoice};

use super::classes::{self, Abc, Xyz};
use super::orders::{Orders, ReadReport};
use super::sales::{date, Period, Sales};

/// Longest lead time accepted, in periods (two years of weeks).
pub const MAX_LEAD_TIME: usize = 104;

/// How a plan is made. The JS options object of `stockPlan` has the same
/// names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanOptions {
    /// Lead time in periods, 1..=[`MAX_LEAD_TIME`]. Default 2.
    pub lead_time: usize,
    /// Cycle service level in percent, [50, 100). Default 95.
    pub service_level: f64,
    /// Period of the series. Default `week`.
    pub period: Period,
    /// Level of the lead-time demand interval in percent, (0, 100).
    /// Default 95.
    pub level: f64,
    /// Plan with only the lines dated before this day (days since
    /// 1970-01-01). Default `None`: every line.
    pub as_of: Option<i64>,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            lead_time: 2,
            service_level: 95.0,
            period: Period::Week,
            level: 95.0,
            as_of: None,
        }
    }
}

impl PlanOptions {
    /// Checks every option against its documented range.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the option, the value and the range.
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_LEAD_TIME).contains(&self.lead_time) {
            return Err(Error::config(
                "leadTime",
                format!(
                    "must be in 1..={MAX_LEAD_TIME} periods, got {}",
                    self.lead_time
                ),
            ));
        }
        check_service_level(self.service_level)?;
        if !(self.level.is_finite() && self.level > 0.0 && self.level < 100.0) {
            return Err(Error::config(
                "level",
                format!("must be a percentage in (0, 100), got {}", self.level),
            ));
        }
        Ok(())
    }
}

/// The range of the series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// The first period's start, `YYYY-MM-DD`.
    pub first: String,
    /// Periods in each series.
    pub periods: usize,
}

/// The per-period forecast over the lead time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Steps {
    /// Point forecast per period.
    pub point: Vec<f64>,
    /// Lower bound per period at the plan's level.
    pub lower: Vec<f64>,
    /// Upper bound per period.
    pub upper: Vec<f64>,
}

/// One product's line of the plan (see the module docs for each figure).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductPlan {
    /// The product id.
    pub id: String,
    /// Its title (the catalogue's, else the log's description).
    pub title: String,
    /// ABC class.
    pub abc: Abc,
    /// XYZ class.
    pub xyz: Xyz,
    /// Net revenue over the history.
    pub revenue: f64,
    /// Net units over the history.
    pub units: f64,
    /// Units returned or cancelled.
    pub returned_units: f64,
    /// cv of the demand history; `None` when nothing sold.
    pub cv: Option<f64>,
    /// The forecaster's model.
    pub model: String,
    /// Forecast demand over the lead time, `D_L`.
    pub lead_time_demand: f64,
    /// Lower bound of `D_L` at `level`.
    pub lower: f64,
    /// Upper bound of `D_L` at `level`.
    pub upper: f64,
    /// The interval's level in percent.
    pub level: f64,
    /// `z_s σ_L`.
    pub safety_stock: f64,
    /// `D_L + z_s σ_L`.
    pub reorder_point: f64,
    /// Units on hand; `None` when unknown.
    pub stock: Option<f64>,
    /// Days the stock lasts at the forecast rate.
    pub days_of_cover: Option<f64>,
    /// P(lead-time demand > stock).
    pub stockout_risk: Option<f64>,
    /// Units to order now (whole, ≥ 0).
    pub order_quantity: u64,
    /// Net units per period, oldest first.
    pub sales: Vec<f64>,
    /// The forecast per period over the lead time.
    pub forecast: Steps,
}

/// A reorder plan for every product sold in the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// `week` or `month`.
    pub period: Period,
    /// Days per period (7 or 30.44), for days of cover.
    pub period_days: f64,
    /// The last day of data used, `YYYY-MM-DD`.
    pub as_of: String,
    /// The range of the series.
    pub history: History,
    /// Lead time in periods.
    pub lead_time: usize,
    /// Cycle service level in percent.
    pub service_level: f64,
    /// What reading the log found.
    pub read: ReadReport,
    /// Products per ABC class.
    pub abc: BTreeMap<&'static str, usize>,
    /// Products per ABC × XYZ cell (`AX` … `CZ`).
    pub matrix: BTreeMap<String, usize>,
    /// Products without a line in the history used, left out of the plan.
    pub unsold: usize,
    /// One line per product, most urgent first.
    pub products: Vec<ProductPlan>,
}

/// Makes the plan. `stock` has one entry per product of `orders` (from
/// [`super::on_hand::read_stock`]), or is `None` without a stock file.
///
/// # Errors
/// [`Error::InvalidConfig`] for options out of range or a stock list of
/// the wrong length; [`Error::Empty`] when no line is dated before
/// `as_of`.
pub fn plan(orders: &Orders, stock: Option<&[Option<f64>]>, options: &PlanOptions) -> Result<Plan> {
    options.validate()?;
    if let Some(s) = stock.filter(|s| s.len() != orders.products.len()) {
        return Err(Error::config(
            "stock",
            format!(
                "has {} entries for {} products; read it with read_stock",
                s.len(),
                orders.products.len()
            ),
        ));
    }
    let sales = Sales::from_orders(orders, options.period, options.as_of)?;
    let sold: Vec<usize> = (0..orders.products.len())
        .filter(|&p| sales.active_from[p].is_some())
        .collect();
    let weight = if sales.priced {
        &sales.revenue
    } else {
        &sales.net_units
    };
    let abc = classes::abc(&sold.iter().map(|&p| weight[p]).collect::<Vec<_>>());
    let planned = crate::parallel::in_parallel(sold.len(), 64, &|range| {
        range
            .map(|i| {
                let p = sold[i];
                product_plan(orders, &sales, p, abc[i], stock.and_then(|s| s[p]), options)
            })
            .collect()
    });
    let mut products: Vec<(usize, ProductPlan)> = sold.iter().copied().zip(planned).collect();
    products.sort_by(|(a, pa), (b, pb)| urgency(pa, pb).then(a.cmp(b)));
    let products: Vec<ProductPlan> = products.into_iter().map(|(_, p)| p).collect();
    let mut abc_counts = BTreeMap::from([("A", 0), ("B", 0), ("C", 0)]);
    let mut matrix = BTreeMap::new();
    for a in [Abc::A, Abc::B, Abc::C] {
        for x in [Xyz::X, Xyz::Y, Xyz::Z] {
            matrix.insert(format!("{}{}", a.name(), x.name()), 0);
        }
    }
    for p in &products {
        *abc_counts.entry(p.abc.name()).or_default() += 1;
        *matrix
            .entry(format!("{}{}", p.abc.name(), p.xyz.name()))
            .or_default() += 1;
    }
    Ok(Plan {
        period: options.period,
        period_days: options.period.days(),
        as_of: date(sales.last_day),
        history: History {
            first: sales.first_date(),
            periods: sales.periods,
        },
        lead_time: options.lead_time,
        service_level: options.service_level,
        read: orders.report.clone(),
        abc: abc_counts,
        matrix,
        unsold: orders.products.len() - sold.len(),
        products,
    })
}

/// One product's figures (see the module docs, steps 1–6).
fn product_plan(
    orders: &Orders,
    sales: &Sales,
    p: usize,
    abc: Abc,
    stock: Option<f64>,
    options: &PlanOptions,
) -> ProductPlan {
    let from = sales.active_from[p].unwrap_or(0);
    let demand: Vec<f64> = sales.units[p][from..].iter().map(|u| u.max(0.0)).collect();
    let season = options.period.season();
    let forecast_options = ForecastOptions {
        season_length: Some(if demand.len() >= 2 * season {
            season
        } else {
            1
        }),
        levels: vec![options.level],
        model: ModelChoice::Auto,
        non_negative: Some(true),
        ..ForecastOptions::default()
    };
    let lead_time = options.lead_time;
    // `auto` on validated options and finite, non-negative values does not
    // fail; the fallback covers the impossible case without a panic.
    let (forecast, _) = forecast_or_fallback(&demand, lead_time, &forecast_options);
    let reorder = reorder_plan(&forecast, lead_time, options.service_level)
        .expect("lead time and service level were validated; the forecast has one interval");
    let sd = lead_time_sd(&forecast, lead_time).unwrap_or(0.0);
    let demand_l = reorder.lead_time_demand;
    let z = z_for_level(options.level);
    let per_period = demand_l / lead_time as f64;
    let per_day = per_period / options.period.days();
    let target = reorder.reorder_point + per_period;
    let position = stock.unwrap_or(0.0);
    let order = if position <= reorder.reorder_point {
        // A hair below a whole unit is that unit, not the next one.
        (target - position - 1e-9).ceil().max(0.0) as u64
    } else {
        0
    };
    let interval = &forecast.intervals[0];
    let product = &orders.products[p];
    ProductPlan {
        id: product.id.clone(),
        title: product.title.clone(),
        abc,
        xyz: classes::xyz(&demand),
        revenue: sales.revenue[p],
        units: sales.net_units[p],
        returned_units: sales.returned_units[p],
        cv: classes::cv(&demand),
        model: forecast.model.clone(),
        lead_time_demand: demand_l,
        lower: (demand_l - z * sd).max(0.0),
        upper: demand_l + z * sd,
        level: options.level,
        safety_stock: reorder.safety_stock,
        reorder_point: reorder.reorder_point,
        stock,
        days_of_cover: stock.filter(|_| per_day > 0.0).map(|s| s / per_day),
        stockout_risk: stock.map(|s| stockout_risk(demand_l, sd, s)),
        order_quantity: order,
        sales: sales.units[p].clone(),
        forecast: Steps {
            point: forecast.point.clone(),
            lower: interval.lower.clone(),
            upper: interval.upper.clone(),
        },
    }
}

/// P(D > stock) for D normal with mean `mean` and sd `sd`.
pub fn stockout_risk(mean: f64, sd: f64, stock: f64) -> f64 {
    if sd > 0.0 {
        1.0 - normal_cdf((stock - mean) / sd)
    } else if mean > stock {
        1.0
    } else {
        0.0
    }
}

/// The urgency order of two products (most urgent first), before the
/// tie-break by product order.
fn urgency(a: &ProductPlan, b: &ProductPlan) -> std::cmp::Ordering {
    let known = |p: &ProductPlan| p.stock.is_some();
    known(b).cmp(&known(a)).then_with(|| {
        if known(a) {
            let risk = |p: &ProductPlan| p.stockout_risk.unwrap_or(0.0);
            let cover = |p: &ProductPlan| p.days_of_cover.unwrap_or(f64::INFINITY);
            risk(b)
                .total_cmp(&risk(a))
                .then(cover(a).total_cmp(&cover(b)))
                .then(a.abc.cmp(&b.abc))
        } else {
            a.abc
                .cmp(&b.abc)
                .then(b.lead_time_demand.total_cmp(&a.lead_time_demand))
        }
    })
}

/// The plan as CSV: one row per product in urgency order, the scalar
/// fields as columns ([`CSV_COLUMNS`]), empty cells for `null`.
pub fn to_csv(plan: &Plan) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let text = |x: Option<f64>| x.map_or_else(String::new, |v| v.to_string());
    // Writing to a Vec cannot fail.
    let _ = out.write_record(CSV_COLUMNS);
    for p in &plan.products {
        let _ = out.write_record([
            p.id.clone(),
            p.title.clone(),
            p.abc.name().into(),
            p.xyz.name().into(),
            p.revenue.to_string(),
            p.units.to_string(),
            p.returned_units.to_string(),
            text(p.cv),
            p.model.clone(),
            p.lead_time_demand.to_string(),
            p.lower.to_string(),
            p.upper.to_string(),
            p.safety_stock.to_string(),
            p.reorder_point.to_string(),
            text(p.stock),
            text(p.days_of_cover),
            text(p.stockout_risk),
            p.order_quantity.to_string(),
        ]);
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8(bytes).expect("the fields are UTF-8 strings")
}

/// The columns of [`to_csv`], in order.
pub const CSV_COLUMNS: [&str; 18] = [
    "id",
    "title",
    "abc",
    "xyz",
    "revenue",
    "units",
    "returnedUnits",
    "cv",
    "model",
    "leadTimeDemand",
    "lower",
    "upper",
    "safetyStock",
    "reorderPoint",
    "stock",
    "daysOfCover",
    "stockoutRisk",
    "orderQuantity",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop::on_hand::read_stock;
    use crate::shop::orders::OrdersOptions;

    /// Four full weeks, Monday 2024-01-01 to Sunday 2024-01-28.
    /// Weekly units: MUG 10, 12, 8, 10 at 2.00; POT 1, 1, 1, 1 at 30.00;
    /// SPOON 3, 3, 3, 3 at 1.00 with 2 returned in week 4; LAMP 2 in week
    /// 4 only, at 5.00.
    const LOG: &str = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice
1,MUG,Mug,10,2024-01-01,2
1,POT,Teapot,1,2024-01-01,30
1,SPOON,Spoon,3,2024-01-01,1
2,MUG,Mug,12,2024-01-08,2
2,POT,Teapot,1,2024-01-08,30
2,SPOON,Spoon,3,2024-01-08,1
3,MUG,Mug,8,2024-01-15,2
3,POT,Teapot,1,2024-01-15,30
3,SPOON,Spoon,3,2024-01-15,1
4,MUG,Mug,10,2024-01-22,2
4,POT,Teapot,1,2024-01-22,30
4,SPOON,Spoon,3,2024-01-22,1
C5,SPOON,Spoon,-2,2024-01-25,1
6,LAMP,Lamp,2,2024-01-28,5
";

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-3, "{a} vs {b}");
    }

    fn orders() -> Orders {
        Orders::from_csv(LOG, None, &OrdersOptions::default()).unwrap()
    }

    fn find<'p>(plan: &'p Plan, id: &str) -> &'p ProductPlan {
        plan.products.iter().find(|p| p.id == id).unwrap()
    }

    #[test]
    fn classes_and_reorder_figures_by_hand() {
        let orders = orders();
        let stock = read_stock(
            "id,stock
MUG,25
POT,5
",
            &orders.products,
        )
        .unwrap();
        let plan = plan(&orders, Some(&stock), &PlanOptions::default()).unwrap();
        assert_eq!(
            (plan.history.first.as_str(), plan.history.periods),
            ("2024-01-01", 4)
        );
        assert_eq!(plan.as_of, "2024-01-28");
        // Revenues MUG 80, POT 120, SPOON 12 − 2 = 10, LAMP 10; total 220.
        // POT: share before 0 → A; MUG: 120/220 = 0.545 → A (crosses 80 %);
        // SPOON: 200/220 = 0.909 → B; LAMP (tied, later): 210/220 = 0.955 → C.
        let classes: Vec<(&str, Abc)> = ["MUG", "POT", "SPOON", "LAMP"]
            .iter()
            .map(|id| (*id, find(&plan, id).abc))
            .collect();
        assert_eq!(
            classes,
            [
                ("MUG", Abc::A),
                ("POT", Abc::A),
                ("SPOON", Abc::B),
                ("LAMP", Abc::C)
            ]
        );
        assert_eq!(plan.abc, BTreeMap::from([("A", 2), ("B", 1), ("C", 1)]));
        // XYZ: MUG μ 10, σ √2 → cv 0.141 X; POT cv 0 X; SPOON net 3, 3, 3, 1:
        // μ 2.5, σ √0.75 → cv 0.346 X; LAMP is active one week only → Z.
        let mug = find(&plan, "MUG");
        close(mug.cv.unwrap(), 2f64.sqrt() / 10.0);
        close(find(&plan, "SPOON").cv.unwrap(), 0.75f64.sqrt() / 2.5);
        assert_eq!(find(&plan, "LAMP").xyz, Xyz::Z);
        assert_eq!(
            (plan.matrix["AX"], plan.matrix["BX"], plan.matrix["CZ"]),
            (2, 1, 1)
        );
        // Four weeks < 6: the naive forecast. MUG: ŷ = 10 a week; σ² = mean
        // squared first difference = (4 + 16 + 4) / 3 = 8; σ_h² = 8h.
        // L = 2: D_L = 20, σ_L = √(8 + 16) = √24 = 4.899.
        // SS = 1.64485 × 4.899 = 8.058, ROP = 28.058.
        // 95 % interval: 20 ± 1.95996 × 4.899 = [10.398, 29.602].
        assert_eq!(mug.model, "Naive");
        assert_eq!(mug.sales, [10.0, 12.0, 8.0, 10.0]);
        close(mug.lead_time_demand, 20.0);
        close(mug.safety_stock, 8.058);
        close(mug.reorder_point, 28.058);
        close(mug.lower, 10.398);
        close(mug.upper, 29.602);
        // Stock 25: daily demand 20 / 14 = 1.4286 → 17.5 days of cover;
        // risk 1 − Φ((25 − 20) / 4.899) = 1 − Φ(1.0206) = 0.1537;
        // 25 ≤ ROP → order ⌈28.058 + 10 − 25⌉ = ⌈13.058⌉ = 14.
        close(mug.days_of_cover.unwrap(), 17.5);
        close(mug.stockout_risk.unwrap(), 0.1537);
        assert_eq!(mug.order_quantity, 14);
        // POT: flat 1 a week, σ 0: D_L = 2 = ROP; stock 5 > 2 → order 0,
        // risk 0, cover 5 / (2/14) = 35 days.
        let pot = find(&plan, "POT");
        close(pot.reorder_point, 2.0);
        assert_eq!((pot.order_quantity, pot.stockout_risk), (0, Some(0.0)));
        close(pot.days_of_cover.unwrap(), 35.0);
        // SPOON has no stock row: stock, cover, risk null; it orders up to
        // ROP + a week from empty shelves.
        let spoon = find(&plan, "SPOON");
        assert_eq!(
            (spoon.stock, spoon.days_of_cover, spoon.stockout_risk),
            (None, None, None)
        );
        assert_eq!(
            spoon.order_quantity,
            (spoon.reorder_point + spoon.lead_time_demand / 2.0 - 1e-9).ceil() as u64
        );
        // Urgency: known stock by risk (MUG 0.15, POT 0), then unknown by ABC.
        let order: Vec<&str> = plan.products.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(order, ["MUG", "POT", "SPOON", "LAMP"]);
    }

    #[test]
    fn without_stock_the_order_is_abc_then_lead_time_demand() {
        let plan = plan(&orders(), None, &PlanOptions::default()).unwrap();
        let order: Vec<&str> = plan.products.iter().map(|p| p.id.as_str()).collect();
        // A: MUG (D_L 20) before POT (D_L 2); then B, then C.
        assert_eq!(order, ["MUG", "POT", "SPOON", "LAMP"]);
        // MUG from empty shelves: ⌈28.058 + 10⌉ = 39.
        assert_eq!(plan.products[0].order_quantity, 39);
    }

    #[test]
    fn as_of_plans_from_the_earlier_lines_and_leaves_out_unsold_products() {
        let options = PlanOptions {
            as_of: Some(crate::shop::sales::parse_date("2024-01-15", "asOf").unwrap()),
            ..PlanOptions::default()
        };
        let plan = plan(&orders(), None, &options).unwrap();
        assert_eq!(
            (plan.history.periods, plan.as_of.as_str()),
            (2, "2024-01-14")
        );
        assert_eq!(plan.unsold, 1);
        assert!(plan.products.iter().all(|p| p.id != "LAMP"));
        assert_eq!(find(&plan, "MUG").sales, [10.0, 12.0]);
    }

    #[test]
    fn options_are_checked() {
        let o = orders();
        for (options, field) in [
            (
                PlanOptions {
                    lead_time: 0,
                    ..Default::default()
                },
                "leadTime",
            ),
            (
                PlanOptions {
                    service_level: 100.0,
                    ..Default::default()
                },
                "serviceLevel",
            ),
            (
                PlanOptions {
                    level: 0.0,
                    ..Default::default()
                },
                "level",
            ),
        ] {
            let e = plan(&o, None, &options).unwrap_err().to_string();
            assert!(e.starts_with(&format!("config {field}: must be")), "{e}");
        }
    }

    #[test]
    fn csv_rows_follow_the_plan_with_empty_cells_for_null() {
        let orders = orders();
        let stock = read_stock(
            "id,stock
MUG,25
",
            &orders.products,
        )
        .unwrap();
        let plan = plan(&orders, Some(&stock), &PlanOptions::default()).unwrap();
        let text = to_csv(&plan);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            CSV_COLUMNS
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), plan.products.len());
        for (row, p) in rows.iter().zip(&plan.products) {
            assert_eq!(&row[0], p.id);
            assert_eq!(row[13].parse::<f64>().unwrap(), p.reorder_point);
            assert_eq!(row[14].is_empty(), p.stock.is_none());
            assert_eq!(row[17].parse::<u64>().unwrap(), p.order_quantity);
        }
    }
}
