//! `pocketrec forecast` and `pocketrec forecast-eval`.
//!
//! `forecast` reads many series and writes one JSON object per line:
//! `{"id", "model", "point", "intervals": [{"level", "lower", "upper"}]}`.
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

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use serde_json::{json, Value};

use pocketrec::forecast::metrics;
use pocketrec::forecast::{forecast, naive, Combine, Forecast, ForecastOptions, ModelChoice};

#[derive(Args)]
pub struct ForecastArgs {
    /// Series: JSON `{"series": [{"id", "values"}]}`, or long-form CSV
    /// `id,period,value` (chosen by the .csv extension).
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
    /// Output file (JSON lines); standard output if absent.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct ForecastEvalArgs {
    /// Evaluation data: `{"series": [{"id", "train", "test"}], "horizon", "season_length"}`.
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

/// One input series; `values` holds NaN where the input had no number, and
/// `problem` says what the first such entry was.
struct Series {
    id: String,
    values: Vec<f64>,
    problem: Option<String>,
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// A JSON value in a few characters, for messages.
fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

fn read_json_series(text: &str, path: &Path) -> Result<Vec<Series>> {
    let doc: Value = serde_json::from_str(text)
        .with_context(|| format!("{}: not valid JSON", path.display()))?;
    let Some(list) = doc.get("series").and_then(Value::as_array) else {
        bail!(
            "{}: expected an object with a \"series\" array of {{\"id\", \"values\"}}",
            path.display()
        );
    };
    Ok(list
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = match s.get("id") {
                Some(Value::String(id)) => id.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => format!("#{i}"),
            };
            let raw = s.get("values").and_then(Value::as_array);
            let values: Vec<f64> = raw
                .map(|a| a.iter().map(number).collect())
                .unwrap_or_default();
            let problem = match raw {
                None => Some("\"values\" must be an array of numbers".to_string()),
                Some(a) => a
                    .iter()
                    .position(|v| !v.is_number())
                    .map(|j| format!("values[{j}] must be a number, got {}", short(&a[j]))),
            };
            Series {
                id,
                values,
                problem,
            }
        })
        .collect())
}

/// Long-form CSV: a header with `id`, `period` and `value` columns (any
/// order); rows are grouped by id in order of first appearance and sorted by
/// period (numerically when every period is a number, else as text, which
/// orders ISO dates). A value that is not a number becomes NaN, so only its
/// series falls back.
fn read_csv_series(text: &str, path: &Path) -> Result<Vec<Series>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .with_context(|| format!("{}: no header line", path.display()))?
        .clone();
    let col = |name: &str| -> Result<usize> {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .with_context(|| {
                format!(
                    "{}: the header needs an {name:?} column (id,period,value)",
                    path.display()
                )
            })
    };
    let (ci, cp, cv) = (col("id")?, col("period")?, col("value")?);
    let mut order: Vec<String> = Vec::new();
    let mut rows: HashMap<String, Vec<(String, f64)>> = HashMap::new();
    let mut problems: HashMap<String, String> = HashMap::new();
    for (line, record) in reader.records().enumerate() {
        let record =
            record.with_context(|| format!("{} line {}: malformed", path.display(), line + 2))?;
        let id = record.get(ci).unwrap_or("").to_string();
        let period = record.get(cp).unwrap_or("").to_string();
        let cell = record.get(cv).unwrap_or("");
        let value = cell.parse::<f64>().unwrap_or(f64::NAN);
        if !value.is_finite() && !problems.contains_key(&id) {
            problems.insert(
                id.clone(),
                format!("line {}: value {cell:?} is not a finite number", line + 2),
            );
        }
        rows.entry(id.clone())
            .or_insert_with(|| {
                order.push(id);
                Vec::new()
            })
            .push((period, value));
    }
    Ok(order
        .into_iter()
        .map(|id| {
            let mut r = rows.remove(&id).expect("every id in order has rows");
            if r.iter().all(|(p, _)| p.parse::<f64>().is_ok()) {
                r.sort_by(|a, b| {
                    let (x, y) = (
                        a.0.parse::<f64>().unwrap_or(0.0),
                        b.0.parse::<f64>().unwrap_or(0.0),
                    );
                    x.total_cmp(&y)
                });
            } else {
                r.sort_by(|a, b| a.0.cmp(&b.0));
            }
            Series {
                problem: problems.remove(&id),
                values: r.into_iter().map(|(_, v)| v).collect(),
                id,
            }
        })
        .collect())
}

fn level_json(level: f64) -> Value {
    if level.fract() == 0.0 && level.abs() < 1e9 {
        json!(level as i64)
    } else {
        json!(level)
    }
}

fn forecast_line(id: &str, f: &Forecast, error: Option<&str>) -> Value {
    let intervals: Vec<Value> = f
        .intervals
        .iter()
        .map(|i| json!({"level": level_json(i.level), "lower": i.lower, "upper": i.upper}))
        .collect();
    let mut line = json!({"id": id, "model": f.model, "point": f.point, "intervals": intervals});
    if let Some(e) = error {
        line["error"] = json!(e);
    }
    line
}

/// The documented fallback: naive on the finite values, or zeros.
fn fallback(values: &[f64], horizon: usize, levels: &[f64]) -> Forecast {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let (point, intervals, model) = if finite.is_empty() {
        let zeros = vec![0.0; horizon];
        let iv = levels
            .iter()
            .map(|&level| pocketrec::forecast::Interval {
                level,
                lower: zeros.clone(),
                upper: zeros.clone(),
            })
            .collect();
        (zeros, iv, "Fallback(Zero)")
    } else {
        let (p, iv) = naive(&finite, horizon, levels);
        (p, iv, "Fallback(Naive)")
    };
    let mut f = Forecast {
        point,
        intervals,
        model: model.to_string(),
        season_length: 1,
    };
    if finite.iter().all(|v| *v >= 0.0) {
        pocketrec::forecast::intervals::tidy(&f.point, &mut f.intervals, true);
    }
    f
}

fn parse_combine(name: &str) -> Result<Combine> {
    match name {
        "mean" => Ok(Combine::Mean),
        "median" => Ok(Combine::Median),
        other => bail!("--combine must be mean or median, got {other:?}"),
    }
}

pub fn forecast_command(args: ForecastArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.input)
        .with_context(|| format!("could not read series from {}", args.input.display()))?;
    let is_csv = args
        .input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let series = if is_csv {
        read_csv_series(&text, &args.input)?
    } else {
        read_json_series(&text, &args.input)?
    };
    let options = ForecastOptions {
        season_length: args.season,
        levels: args.level.clone(),
        model: ModelChoice::parse(&args.model)?,
        combine: parse_combine(&args.combine)?,
        seed: args.seed,
        ..ForecastOptions::default()
    };
    options.validate()?;
    if args.horizon == 0 || args.horizon > pocketrec::forecast::MAX_HORIZON {
        bail!(
            "--horizon must be in 1..={}, got {}",
            pocketrec::forecast::MAX_HORIZON,
            args.horizon
        );
    }
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
        let result = match &s.problem {
            Some(p) => Err(p.clone()),
            None => forecast(&s.values, args.horizon, &options).map_err(|e| e.to_string()),
        };
        let line = match result {
            Ok(f) => forecast_line(&s.id, &f, None),
            Err(e) => {
                failed += 1;
                let f = fallback(&s.values, args.horizon, &options.levels);
                eprintln!("series {:?}: {e}; wrote the fallback {}", s.id, f.model);
                forecast_line(&s.id, &f, Some(&e))
            }
        };
        writeln!(out, "{line}")?;
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

struct EvalSeries {
    id: String,
    train: Vec<f64>,
    test: Vec<f64>,
}

/// Per-method sums over the series.
#[derive(Default)]
struct Scores {
    n: usize,
    smape: f64,
    mase: f64,
    mase_n: usize,
    rmse: f64,
    mae: f64,
    coverage: f64,
    coverage_n: usize,
    msis: f64,
    msis_n: usize,
    seconds: f64,
    naive2_smape: f64,
    naive2_mase: f64,
    failures: usize,
}

struct Row {
    name: String,
    s: Scores,
    timed: bool,
}

impl Row {
    fn json(&self) -> Value {
        let s = &self.s;
        let mean = |v: f64, n: usize| if n > 0 { v / n as f64 } else { f64::NAN };
        let smape = mean(s.smape, s.n);
        let mase = mean(s.mase, s.mase_n);
        let owa = metrics::owa(
            smape,
            mase,
            mean(s.naive2_smape, s.n),
            mean(s.naive2_mase, s.mase_n),
        );
        json!({
            "method": self.name, "series": s.n, "smape": smape, "mase": mase, "owa": owa,
            "rmse": mean(s.rmse, s.n), "mae": mean(s.mae, s.n),
            "coverage95": mean(s.coverage, s.coverage_n), "msis": mean(s.msis, s.msis_n),
            "msPerSeries": if self.timed { json!(1000.0 * mean(s.seconds, s.n)) } else { Value::Null },
            "failures": s.failures,
        })
    }
}

fn score(
    s: &mut Scores,
    series: &EvalSeries,
    m: usize,
    point: &[f64],
    lower95: Option<(&[f64], &[f64])>,
) {
    let h = series.test.len();
    let point = &point[..h.min(point.len())];
    let test = &series.test[..point.len()];
    s.n += 1;
    s.smape += metrics::smape(test, point);
    s.rmse += metrics::rmse(test, point);
    s.mae += metrics::mae(test, point);
    let n2 = metrics::naive2(&series.train, h, m);
    s.naive2_smape += metrics::smape(test, &n2[..point.len()]);
    if let (Some(v), Some(v2)) = (
        metrics::mase(&series.train, test, point, m),
        metrics::mase(&series.train, test, &n2[..point.len()], m),
    ) {
        s.mase += v;
        s.naive2_mase += v2;
        s.mase_n += 1;
    }
    if let Some((lo, hi)) = lower95 {
        s.coverage += metrics::coverage(test, lo, hi);
        s.coverage_n += 1;
        if let Some(v) = metrics::msis(&series.train, test, lo, hi, 95.0, m) {
            s.msis += v;
            s.msis_n += 1;
        }
    }
}

fn band95(f: &[pocketrec::forecast::Interval]) -> Option<(&[f64], &[f64])> {
    f.iter()
        .find(|i| (i.level - 95.0).abs() < 1e-9)
        .map(|i| (i.lower.as_slice(), i.upper.as_slice()))
}

pub fn forecast_eval_command(args: ForecastEvalArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.input)
        .with_context(|| format!("could not read {}", args.input.display()))?;
    let doc: Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not valid JSON", args.input.display()))?;
    let horizon = doc["horizon"]
        .as_u64()
        .with_context(|| format!("{}: needs a numeric \"horizon\"", args.input.display()))?
        as usize;
    let m = doc["season_length"].as_u64().unwrap_or(1).max(1) as usize;
    let Some(list) = doc["series"].as_array() else {
        bail!("{}: needs a \"series\" array", args.input.display());
    };
    let nums = |v: &Value| -> Vec<f64> {
        v.as_array()
            .map(|a| a.iter().map(number).collect())
            .unwrap_or_default()
    };
    let series: Vec<EvalSeries> = list
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut train = nums(&s["train"]);
            if args.max_history > 0 && train.len() > args.max_history {
                train.drain(..train.len() - args.max_history);
            }
            EvalSeries {
                id: s["id"]
                    .as_str()
                    .map_or_else(|| format!("#{i}"), str::to_string),
                train,
                test: nums(&s["test"]),
            }
        })
        .filter(|s| !s.train.is_empty() && !s.test.is_empty())
        .collect();
    let mut rows: Vec<Row> = Vec::new();
    for name in args.model.iter().filter(|m| m.as_str() != "none") {
        let options = ForecastOptions {
            season_length: Some(m),
            levels: vec![80.0, 95.0],
            model: ModelChoice::parse(name)?,
            combine: parse_combine(&args.combine)?,
            ..ForecastOptions::default()
        };
        let mut s = Scores::default();
        for es in &series {
            let start = Instant::now();
            let result = forecast(&es.train, horizon.min(es.test.len()), &options);
            s.seconds += start.elapsed().as_secs_f64();
            let f = match result {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("series {:?}: {e}; scored the fallback", es.id);
                    s.failures += 1;
                    fallback(&es.train, horizon.min(es.test.len()), &options.levels)
                }
            };
            score(&mut s, es, m, &f.point, band95(&f.intervals));
        }
        rows.push(Row {
            name: format!("pocketrec {name}"),
            s,
            timed: true,
        });
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
        let text =
            std::fs::read_to_string(path).with_context(|| format!("could not read {path}"))?;
        let mut by_id: HashMap<String, Value> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(line)
                .with_context(|| format!("{path} line {}: not JSON", i + 1))?;
            if let Some(id) = v["id"].as_str() {
                by_id.insert(id.to_string(), v);
            }
        }
        let mut s = Scores::default();
        for es in &series {
            let Some(v) = by_id.get(&es.id) else {
                s.failures += 1;
                continue;
            };
            let point = nums(&v["point"]);
            let mut band: Option<(Vec<f64>, Vec<f64>)> = None;
            if let Some(ivs) = v["intervals"].as_array() {
                for iv in ivs {
                    if iv["level"]
                        .as_f64()
                        .is_some_and(|l| (l - 95.0).abs() < 1e-9)
                    {
                        band = Some((nums(&iv["lower"]), nums(&iv["upper"])));
                    }
                }
            }
            if point.len() < es.test.len() {
                s.failures += 1;
                continue;
            }
            score(
                &mut s,
                es,
                m,
                &point,
                band.as_ref().map(|(l, u)| (l.as_slice(), u.as_slice())),
            );
        }
        rows.push(Row {
            name: name.to_string(),
            s,
            timed: false,
        });
    }
    let dataset = doc["dataset"].as_str().unwrap_or("").to_string();
    let mut stdout = std::io::stdout().lock();
    if args.json {
        let out = json!({
            "dataset": dataset, "series": series.len(), "horizon": horizon, "seasonLength": m,
            "maxHistory": args.max_history, "results": rows.iter().map(Row::json).collect::<Vec<_>>(),
        });
        writeln!(stdout, "{}", serde_json::to_string_pretty(&out)?)?;
        return Ok(());
    }
    writeln!(
        stdout,
        "{} ({} series, horizon {horizon}, season {m})",
        if dataset.is_empty() {
            args.input.display().to_string()
        } else {
            dataset
        },
        series.len()
    )?;
    writeln!(
        stdout,
        "{:<22} {:>8} {:>8} {:>7} {:>9} {:>9} {:>8} {:>9} {:>10}",
        "method", "sMAPE", "MASE", "OWA", "RMSE", "MAE", "cov95", "MSIS", "ms/series"
    )?;
    for r in &rows {
        let v = r.json();
        let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
        let ms = if r.timed {
            format!("{:.3}", f("msPerSeries"))
        } else {
            "-".into()
        };
        writeln!(
            stdout,
            "{:<22} {:>8.3} {:>8.3} {:>7.3} {:>9.3} {:>9.3} {:>8.3} {:>9.3} {:>10}",
            r.name,
            f("smape"),
            f("mase"),
            f("owa"),
            f("rmse"),
            f("mae"),
            f("coverage95"),
            f("msis"),
            ms
        )?;
    }
    Ok(())
}
