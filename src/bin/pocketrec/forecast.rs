//! `pocketrec forecast` and `pocketrec forecast-eval`.
//!
//! `forecast` reads many series and writes one JSON object per line:
//! `{"id", "model", "point", "intervals": [{"level", "lower", "upper"}]}`,
//! with `"fit"` (log-likelihood, AIC, AICc, BIC) for `--model ets` and
//! `--model arima` (`--order p,d,q` fixes the ARIMA order), and
//! `"inventory"` (the reorder plan of the wasm API) with `--lead-time`.
//! A series that cannot be forecast (NaN or missing values, an option its
//! model cannot meet) is reported on stderr with its id and still gets a
//! line: the fallback forecast is the naive forecast of its finite values
//! (model `Fallback(Naive)`), or zeros when it has none (`Fallback(Zero)`),
//! and the line carries an `"error"` field. One bad series never stops the
//! batch.
//!
//! `forecast-eval` scores models on `{"series": [{"id", "train", "test"}],
//! "horizon", "season_length"}` files with the M4 measures, or scores
//! forecasts made elsewhere (`--forecasts`, the `forecast` line format), so
//! that peers are measured by the same code.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use serde_json::json;

use pocketrec::forecast::evaluate::{band95, Scores, Summary};
use pocketrec::forecast::input::{
    check_size, read_eval_data, read_forecast_lines, read_series, utf8, Format,
};
use pocketrec::forecast::inventory::{inventory, InventoryOptions, DEFAULT_SERVICE_LEVEL};
use pocketrec::forecast::{
    forecast_or_fallback, forecast_series, Combine, ForecastOptions, ModelChoice, MAX_HORIZON,
};

#[derive(Args)]
pub struct ForecastArgs {
    /// Series: JSON `{"series": [{"id", "values"}]}`, or long-form CSV
    /// `id,period,value` (chosen by the .csv extension). CSV periods are
    /// integers, YYYY-MM months or YYYY-MM-DD dates (daily or weekly),
    /// sorted as such; a period given twice, or periods of two kinds in one
    /// series, are errors; missing periods are filled with 0 and named in a
    /// warning. At most 100000 series and 256 MiB.
    #[arg(long)]
    input: PathBuf,
    /// Steps to forecast.
    #[arg(long)]
    horizon: usize,
    /// Seasonal period (12 monthly, 52 weekly, 1 none); detected when absent.
    #[arg(long)]
    season: Option<usize>,
    /// Interval levels in percent, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "80,95")]
    level: Vec<f64>,
    /// auto, ets, theta, arima, combo, croston, sba, tsb, naive, snaive or naive2.
    #[arg(long, default_value = "auto")]
    model: String,
    /// How the combination merges its members: mean or median.
    #[arg(long, default_value = "median")]
    combine: String,
    /// Seed of simulated intervals.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// ARIMA order p,d,q for `--model arima` (p, q in 0..=5, d in 0..=2)
    /// instead of one chosen by AICc; the line then reports the fit's
    /// log-likelihood, AIC, AICc and BIC. Seasonal series are adjusted
    /// first (there are no seasonal ARIMA terms, so no --seasonal-order).
    #[arg(long, allow_hyphen_values = true)]
    order: Option<String>,
    /// Lead time in periods (1..=horizon): each line gains an `inventory`
    /// object with the reorder point and safety stock, as the wasm API's.
    #[arg(long)]
    lead_time: Option<usize>,
    /// Cycle service level in percent, [50, 100), for `--lead-time`.
    #[arg(long)]
    service_level: Option<f64>,
    /// Stock on hand (≥ 0), for `--lead-time`: the inventory object then
    /// names the first period in which expected demand exceeds it.
    #[arg(long, allow_hyphen_values = true)]
    stock: Option<f64>,
    /// The data are non-negative (sales): a negative value is then an error
    /// (its series falls back), and forecasts and bounds are clamped at 0.
    /// Without it, a series with no negative value is treated so anyway.
    #[arg(long)]
    non_negative: bool,
    /// Output file (JSON lines); standard output if absent.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct ForecastEvalArgs {
    /// Evaluation data: `{"series": [{"id", "train", "test"}], "horizon", "season_length"}`.
    /// A horizon of 0, a value that is not a number, or no series with both
    /// train and test values are errors.
    #[arg(long)]
    input: PathBuf,
    /// Models to evaluate, comma-separated (`none` for external forecasts only).
    #[arg(long, value_delimiter = ',', default_value = "auto")]
    model: Vec<String>,
    /// Also score these forecasts (JSON lines as written by `forecast`),
    /// made elsewhere; repeatable, as NAME=PATH.
    #[arg(long)]
    forecasts: Vec<String>,
    /// How the combination merges its members: mean or median.
    #[arg(long, default_value = "median")]
    combine: String,
    /// Keep only the last N training values of each series (0: all).
    #[arg(long, default_value_t = 0)]
    max_history: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn parse_combine(name: &str) -> Result<Combine> {
    match name {
        "mean" => Ok(Combine::Mean),
        "median" => Ok(Combine::Median),
        other => bail!("--combine must be mean or median, got {other:?}"),
    }
}

/// `--order p,d,q` as three whole numbers; ranges are checked by
/// `ForecastOptions::validate`.
fn parse_order(text: &str) -> Result<[usize; 3]> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let numbers: Option<Vec<usize>> = parts.iter().map(|p| p.parse().ok()).collect();
    match numbers.as_deref() {
        Some(&[p, d, q]) => Ok([p, d, q]),
        _ => bail!(
            "--order takes three whole numbers p,d,q (p and q in 0..=5, d in 0..=2), e.g. 1,1,1; got {text:?}"
        ),
    }
}

/// The reorder request of `--lead-time`, `--service-level` and `--stock`,
/// checked against the horizon and levels before any series is read.
fn inventory_options(args: &ForecastArgs) -> Result<Option<InventoryOptions>> {
    let Some(lead_time) = args.lead_time else {
        if args.service_level.is_some() || args.stock.is_some() {
            bail!("--service-level and --stock need --lead-time (the reorder plan's lead time in periods)");
        }
        return Ok(None);
    };
    let options = InventoryOptions {
        lead_time,
        service_level: args.service_level.unwrap_or(DEFAULT_SERVICE_LEVEL),
        stock: args.stock,
    };
    options
        .validate(args.horizon, &args.level)
        .map_err(|e| match e {
            // Name the flag, not the option's JSON key.
            pocketrec::Error::InvalidConfig { field, message } => {
                let flag = match field.as_str() {
                    "leadTime" => "--lead-time",
                    "serviceLevel" => "--service-level",
                    "levels" => "--level",
                    _ => "--stock",
                };
                anyhow::anyhow!("{flag} {message}")
            }
            other => other.into(),
        })?;
    Ok(Some(options))
}

fn source_name(path: &Path) -> String {
    path.display().to_string()
}

/// The bytes of an input file, after checking its size against the limit.
fn read_input(path: &Path) -> Result<Vec<u8>> {
    let len = std::fs::metadata(path)
        .with_context(|| format!("could not read {}", path.display()))?
        .len();
    check_size(len, &source_name(path))?;
    std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

pub fn forecast_command(args: ForecastArgs) -> Result<()> {
    let order = args.order.as_deref().map(parse_order).transpose()?;
    if args.horizon == 0 || args.horizon > MAX_HORIZON {
        bail!(
            "--horizon must be in 1..={MAX_HORIZON}, got {}",
            args.horizon
        );
    }
    let reorder = inventory_options(&args)?;
    let bytes = read_input(&args.input)?;
    let format = if args
        .input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        Format::Csv
    } else {
        Format::Json
    };
    let input = read_series(&bytes, format, &source_name(&args.input))?;
    drop(bytes);
    for w in &input.warnings {
        eprintln!("warning: {w}");
    }
    let series = input.series;
    let options = ForecastOptions {
        season_length: args.season,
        levels: args.level.clone(),
        model: ModelChoice::parse(&args.model)?,
        combine: parse_combine(&args.combine)?,
        seed: args.seed,
        non_negative: args.non_negative.then_some(true),
        order,
        ..ForecastOptions::default()
    };
    options.validate()?;
    let sink: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(
            std::fs::File::create(p)
                .with_context(|| format!("could not create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    let mut failed = 0usize;
    for s in &series {
        let mut line = forecast_series(s, args.horizon, &options);
        if let Some(r) = &reorder {
            // Validated above, so only a forecast without intervals could
            // fail here, and every forecast has the requested levels.
            line.inventory = Some(inventory(&line.forecast, r)?);
        }
        if let Some(e) = &line.error {
            failed += 1;
            eprintln!(
                "series {:?}: {e}; wrote the fallback {}",
                s.id, line.forecast.model
            );
        }
        serde_json::to_writer(&mut out, &line)?;
        writeln!(out)?;
    }
    out.flush()?;
    if failed > 0 {
        eprintln!(
            "{failed} of {} series fell back (see the messages above)",
            series.len()
        );
    }
    Ok(())
}

pub fn forecast_eval_command(args: ForecastEvalArgs) -> Result<()> {
    let source = source_name(&args.input);
    let bytes = read_input(&args.input)?;
    let data = read_eval_data(utf8(&bytes, &source)?, &source, args.max_history)?;
    let (horizon, m, series) = (data.horizon, data.season_length, &data.series);
    let mut rows: Vec<Summary> = Vec::new();
    for name in args.model.iter().filter(|m| m.as_str() != "none") {
        let options = ForecastOptions {
            season_length: Some(m),
            levels: vec![80.0, 95.0],
            model: ModelChoice::parse(name)?,
            combine: parse_combine(&args.combine)?,
            ..ForecastOptions::default()
        };
        let mut s = Scores::default();
        for es in series {
            let start = Instant::now();
            let (f, error) = forecast_or_fallback(&es.train, horizon.min(es.test.len()), &options);
            s.seconds += start.elapsed().as_secs_f64();
            if let Some(e) = error {
                eprintln!("series {:?}: {e}; scored the fallback", es.id);
                s.failures += 1;
            }
            s.add(es, m, &f.point, band95(&f.intervals));
        }
        rows.push(s.summary(&format!("pocketrec {name}"), true));
    }
    if !args.forecasts.is_empty() {
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = series.iter().find(|s| !seen.insert(s.id.as_str())) {
            bail!(
                "{}: series id {:?} appears more than once; --forecasts matches forecasts to series by id, so ids must be unique",
                args.input.display(),
                dup.id
            );
        }
    }
    for spec in &args.forecasts {
        let (name, path) = spec
            .split_once('=')
            .with_context(|| format!("--forecasts takes NAME=PATH, got {spec:?}"))?;
        let bytes = read_input(Path::new(path))?;
        let by_id = read_forecast_lines(utf8(&bytes, path)?, path)?;
        let mut s = Scores::default();
        for es in series {
            match by_id.get(&es.id) {
                Some(f) if f.point.len() >= es.test.len() => s.add(
                    es,
                    m,
                    &f.point,
                    f.band95.as_ref().map(|(l, u)| (l.as_slice(), u.as_slice())),
                ),
                _ => s.failures += 1,
            }
        }
        rows.push(s.summary(name, false));
    }
    let mut stdout = std::io::stdout().lock();
    if args.json {
        let out = json!({
            "dataset": data.dataset, "series": series.len(), "horizon": horizon, "seasonLength": m,
            "maxHistory": args.max_history, "results": rows,
        });
        writeln!(stdout, "{}", serde_json::to_string_pretty(&out)?)?;
        return Ok(());
    }
    writeln!(
        stdout,
        "{} ({} series, horizon {horizon}, season {m})",
        if data.dataset.is_empty() {
            args.input.display().to_string()
        } else {
            data.dataset.clone()
        },
        series.len()
    )?;
    writeln!(
        stdout,
        "{:<22} {:>8} {:>8} {:>7} {:>9} {:>9} {:>8} {:>9} {:>10}",
        "method", "sMAPE", "MASE", "OWA", "RMSE", "MAE", "cov95", "MSIS", "ms/series"
    )?;
    for r in &rows {
        let ms = r
            .ms_per_series
            .map_or_else(|| "-".into(), |v| format!("{v:.3}"));
        writeln!(
            stdout,
            "{:<22} {:>8.3} {:>8.3} {:>7.3} {:>9.3} {:>9.3} {:>8.3} {:>9.3} {:>10}",
            r.method, r.smape, r.mase, r.owa, r.rmse, r.mae, r.coverage95, r.msis, ms
        )?;
    }
    Ok(())
}
