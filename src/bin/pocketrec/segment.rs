//! `pocketrec segment`: customer segments from an order log, as JSON.
//!
//! `pocketrec segment --orders orders.csv --k K|auto --out segments.json`
//! writes the shape of [`pocketrec::shop::segment::Segments`] (README,
//! "Command line") and prints one summary line on stderr.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use pocketrec::config::Config;
use pocketrec::shop::orders::{Orders, OrdersOptions};
use pocketrec::shop::segment::{segment, KChoice, SegmentOptions};

use crate::inputs::{load_catalogue, read};

#[derive(Args)]
pub struct SegmentArgs {
    /// Order log CSV: invoice lines (InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,…)
    /// or user,item,quantity,timestamp[,price]. Needs a customer column.
    #[arg(long)]
    orders: PathBuf,
    /// Segments: a number from 1 to 100, or `auto` (2 to 8, the highest
    /// silhouette wins).
    #[arg(long, default_value = "auto")]
    k: String,
    /// Output JSON file.
    #[arg(long)]
    out: PathBuf,
    /// Catalogue JSON: titles, categories (for each segment's top
    /// categories) and prices for logs without a price column.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Seed of k-means and of the silhouette's sample.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// k-means restarts (the lowest inertia wins), 1 to 1000.
    #[arg(long, default_value_t = 10)]
    restarts: usize,
    /// Cut-off date YYYY-MM-DD: lines on or after it are left out and
    /// recency counts to it. Default: the day after the log's last day.
    #[arg(long)]
    as_of: Option<String>,
    /// Skip (and count) bad lines instead of stopping at the first.
    #[arg(long)]
    skip_bad_lines: bool,
}

pub fn segment_command(args: SegmentArgs) -> Result<()> {
    let started = Instant::now();
    let options = SegmentOptions {
        k: args.k.parse::<KChoice>()?,
        seed: args.seed,
        restarts: args.restarts,
        as_of: args.as_of.clone(),
    };
    let catalogue = args
        .catalog
        .as_deref()
        .map(|path| load_catalogue(path, &Config::default()))
        .transpose()?;
    let text = read(&args.orders, "orders")?;
    let orders = Orders::from_csv(
        &text,
        catalogue.as_ref(),
        &OrdersOptions {
            skip_bad_lines: args.skip_bad_lines,
        },
    )
    .with_context(|| format!("in {}", args.orders.display()))?;
    drop(text);
    let read_ms = started.elapsed().as_secs_f64() * 1000.0;
    let result = segment(&orders, &options)?;
    let segment_ms = started.elapsed().as_secs_f64() * 1000.0 - read_ms;
    let json = serde_json::to_vec_pretty(&result)?;
    std::fs::write(&args.out, json)
        .with_context(|| format!("could not write {}", args.out.display()))?;
    let skipped: u64 = result.read.skipped.iter().map(|s| s.lines).sum();
    let silhouette = result
        .silhouette
        .map_or_else(|| "none".to_string(), |s| format!("{s:.3}"));
    eprintln!(
        "segment: {} customers in {} segments (k {}, silhouette {silhouette}); left out: {} with only returns, {} anonymous lines, {skipped} skipped lines; {} clamped at 0; {read_ms:.0} ms reading, {segment_ms:.0} ms segmenting → {}",
        result.customers.len(),
        result.k,
        if result.chosen_by == "k" { "given" } else { "by silhouette" },
        result.excluded.only_returns,
        result.excluded.anonymous_lines,
        result.excluded.clamped_monetary,
        args.out.display()
    );
    Ok(())
}
