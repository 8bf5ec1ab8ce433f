//! `pocketrec stock`: a reorder plan for every product of an order log.
//!
//! Reads the log (and optionally the catalogue and a stock count), makes
//! the plan with [`pocketrec::shop::stock::plan`], and writes it as JSON or
//! CSV (by the `--out` extension). One summary line goes to stderr:
//! products, A/B/C counts, the history and the time taken.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;

use pocketrec::config::Config;
use pocketrec::shop::on_hand::read_stock;
use pocketrec::shop::orders::{Orders, OrdersOptions};
use pocketrec::shop::sales::{parse_date, Period};
use pocketrec::shop::stock::{plan, to_csv, PlanOptions};

use crate::inputs::{load_catalogue, read};

#[derive(Args)]
pub struct StockArgs {
    /// The order log: invoice lines (InvoiceNo,StockCode,Description,Quantity,
    /// InvoiceDate,UnitPrice,CustomerID,Country) or user,item,quantity,timestamp[,price].
    #[arg(long)]
    orders: PathBuf,
    /// A catalogue (JSON): titles, categories and prices; every product of
    /// the log must be in it (unless --skip-bad-lines).
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Units on hand, CSV with a header `id,stock` (also `sku`, `StockCode`;
    /// `on_hand`, `quantity`). Products it leaves out have an unknown stock.
    #[arg(long)]
    stock: Option<PathBuf>,
    /// Lead time, in periods.
    #[arg(long)]
    lead_time: usize,
    /// Cycle service level in percent, in [50, 100).
    #[arg(long)]
    service_level: f64,
    /// Period of the sales series: week (ISO weeks, from Monday) or month.
    #[arg(long, default_value = "week")]
    period: String,
    /// The plan file: .json (everything) or .csv (one row per product).
    #[arg(long)]
    out: PathBuf,
    /// Plan with only the lines dated before this day (YYYY-MM-DD).
    #[arg(long)]
    as_of: Option<String>,
    /// Level of the lead-time demand interval, in percent.
    #[arg(long, default_value_t = 95.0)]
    level: f64,
    /// Skip (and count) bad lines of the log instead of stopping at the first.
    #[arg(long)]
    skip_bad_lines: bool,
}

enum Format {
    Json,
    Csv,
}

pub fn stock_command(args: StockArgs) -> Result<()> {
    let start = Instant::now();
    let format = match args.out.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
        Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
        _ => bail!(
            "--out {}: the plan is written as .json or .csv; give a file name with one of those extensions",
            args.out.display()
        ),
    };
    let options = PlanOptions {
        lead_time: args.lead_time,
        service_level: args.service_level,
        period: Period::parse(&args.period)?,
        level: args.level,
        as_of: args
            .as_of
            .as_deref()
            .map(|d| parse_date(d, "asOf"))
            .transpose()
            .context("--as-of")?,
    };
    options.validate()?;
    let catalogue = args
        .catalog
        .as_deref()
        .map(|p| load_catalogue(p, &Config::default()))
        .transpose()?;
    let orders = Orders::from_csv(
        read(&args.orders, "orders")?,
        catalogue.as_ref(),
        &OrdersOptions {
            skip_bad_lines: args.skip_bad_lines,
        },
    )
    .with_context(|| format!("in {}", args.orders.display()))?;
    for s in &orders.report.skipped {
        eprintln!(
            "skipped {} line(s) of {}: {} (first: {})",
            s.lines,
            args.orders.display(),
            s.reason,
            s.first
        );
    }
    let stock = match &args.stock {
        Some(p) => Some(
            read_stock(read(p, "stock")?, &orders.products)
                .with_context(|| format!("in {}", p.display()))?,
        ),
        None => None,
    };
    let read_time = start.elapsed();
    let plan = plan(&orders, stock.as_deref(), &options)?;
    let plan_time = start.elapsed() - read_time;
    let text = match format {
        Format::Json => serde_json::to_string(&plan)?,
        Format::Csv => to_csv(&plan),
    };
    std::fs::write(&args.out, text)
        .with_context(|| format!("could not write {}", args.out.display()))?;
    eprintln!(
        "stock: {} products (A {}, B {}, C {}; {} unsold left out), {} {}s from {} to {}, {:.2} s (reading {:.2} s, planning {:.2} s)",
        plan.products.len(),
        plan.abc["A"],
        plan.abc["B"],
        plan.abc["C"],
        plan.unsold,
        plan.history.periods,
        plan.period.name(),
        plan.history.first,
        plan.as_of,
        start.elapsed().as_secs_f64(),
        read_time.as_secs_f64(),
        plan_time.as_secs_f64()
    );
    Ok(())
}
