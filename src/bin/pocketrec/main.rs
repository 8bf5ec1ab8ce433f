//! `pocketrec`: the command-line face of the engine, for evaluation, batch
//! runs and docs. Its commands and output formats are a stable contract
//! (benchmarks and external scoring scripts depend on them).

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use pocketrec::data::catalogue::Catalogue;
use pocketrec::config::Config;
use pocketrec::models::content::ContentModel;
use pocketrec::evaluate::{evaluate, split, Metrics, SplitKind};
use pocketrec::recommend::filter::Filter;
use pocketrec::data::history::{decay, WeightedHistory};
use pocketrec::recommend::{CollaborativeModels, Model, Query, Recommendation, Recommender};
use pocketrec::data::interactions::Interactions;
use pocketrec::models::item_knn::ItemKnn;
use pocketrec::data::movielens;
use pocketrec::models::popularity::Popularity;
use pocketrec::models::sequential::Sequential;
use pocketrec::evaluate::tune::{tune, TuneOptions, Tuned};
use pocketrec::models::user_knn::UserKnn;

mod forecast;

#[derive(Parser)]
#[command(
    name = "pocketrec",
    version,
    about = "Recommendations that run on the shopper's device: content, item-based and hybrid"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Recommend for each user in a list; one JSON object per line.
    Recommend(RecommendArgs),
    /// Items similar to one item, as JSON.
    Similar(SimilarArgs),
    /// Items matching free text, as JSON.
    Search(SearchArgs),
    /// Split interactions, fit on the training part and score the rest.
    Eval(EvalArgs),
    /// Write the train/test split that `eval` uses, as CSV files.
    Split(SplitArgs),
    /// Choose options on a validation split of the interactions; write the config.
    Tune(TuneArgs),
    /// Forecast sales series with intervals; one JSON object per line and series
    /// (a series that cannot be forecast is named on stderr and gets a naive fallback).
    Forecast(forecast::ForecastArgs),
    /// Score forecasting models on train/test series (sMAPE, MASE, OWA, coverage, MSIS).
    ForecastEval(forecast::ForecastEvalArgs),
}

#[derive(Args)]
struct Inputs {
    /// Catalogue JSON, or a MovieLens folder (or its movies.csv).
    #[arg(long)]
    catalog: PathBuf,
    /// Config JSON (field roles, weights, model options).
    #[arg(long)]
    config: Option<PathBuf>,
}

#[derive(Args)]
struct QueryArgs {
    /// Number of items per answer.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// popular, content, item-knn, user-knn, sequential or hybrid.
    #[arg(long, default_value = "hybrid")]
    model: String,
    /// Diversity in [0, 1] (MMR with λ = 1 − diversity).
    #[arg(long, default_value_t = 0.0)]
    diversity: f32,
    /// Half-life in days for the time decay of a user's history.
    #[arg(long)]
    half_life_days: Option<f64>,
    /// Only items not flagged out of stock.
    #[arg(long)]
    in_stock_only: bool,
    /// Only items in these categories (repeatable).
    #[arg(long = "category")]
    categories: Vec<String>,
    /// Never items in these categories (repeatable).
    #[arg(long = "exclude-category")]
    exclude_categories: Vec<String>,
    /// Never these item ids (repeatable).
    #[arg(long)]
    exclude: Vec<String>,
    /// Lowest price.
    #[arg(long)]
    min_price: Option<f64>,
    /// Highest price.
    #[arg(long)]
    max_price: Option<f64>,
}

impl QueryArgs {
    fn query(&self, model: Model) -> Query {
        Query {
            k: self.k,
            model,
            diversity: self.diversity,
            half_life_days: self.half_life_days,
            filter: Filter {
                exclude: self.exclude.clone(),
                in_stock_only: self.in_stock_only,
                categories: self.categories.clone(),
                exclude_categories: self.exclude_categories.clone(),
                min_price: self.min_price,
                max_price: self.max_price,
            },
            ..Query::default()
        }
    }
}

#[derive(Args)]
struct RecommendArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Interactions (CSV with a header, or JSON) to fit on; users' histories come from here.
    #[arg(long)]
    interactions: Option<PathBuf>,
    /// Users to recommend for, one id per line.
    #[arg(long)]
    users: PathBuf,
    #[command(flatten)]
    query: QueryArgs,
    /// Output file (JSON lines); standard output if absent.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct SimilarArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Interactions, for item-knn and hybrid.
    #[arg(long)]
    interactions: Option<PathBuf>,
    /// The item to find neighbours of.
    #[arg(long)]
    item: String,
    #[command(flatten)]
    query: QueryArgs,
}

#[derive(Args)]
struct SearchArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The text to match (words, CJK, category values).
    #[arg(long)]
    query: String,
    #[command(flatten)]
    options: QueryArgs,
}

#[derive(Args)]
struct SplitOptions {
    /// random (per user) or temporal (each user's latest items).
    #[arg(long, default_value = "random")]
    split: String,
    /// Share of each user's items held out.
    #[arg(long, default_value_t = 0.2)]
    test_fraction: f64,
    /// Seed of the random split.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

#[derive(Args)]
struct EvalArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// All interactions (CSV with a header, or JSON).
    #[arg(long)]
    interactions: PathBuf,
    #[command(flatten)]
    split: SplitOptions,
    /// Cut-off of the metrics.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Models to evaluate, comma-separated.
    #[arg(
        long,
        default_value = "popular,content,item-knn,user-knn,sequential,hybrid",
        value_delimiter = ','
    )]
    models: Vec<String>,
    /// Half-life in days for the time decay of users' histories.
    #[arg(long)]
    half_life_days: Option<f64>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Tune the config on a validation split of the training part first
    /// (the test part is never seen while tuning).
    #[arg(long)]
    tune: bool,
}

#[derive(Args)]
struct TuneArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Interactions to tune on (a training set).
    #[arg(long)]
    interactions: PathBuf,
    /// Validation split: temporal (default) or random.
    #[arg(long, default_value = "temporal")]
    split: String,
    /// Share of each user's items held out for validation.
    #[arg(long, default_value_t = 0.2)]
    test_fraction: f64,
    /// Seed of a random validation split.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Cut-off of the NDCG maximised.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Where to write the tuned config (JSON); standard output if absent.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print every candidate's score to standard error.
    #[arg(long)]
    verbose: bool,
}

#[derive(Args)]
struct SplitArgs {
    /// Catalogue, to resolve item ids (interactions with unknown items are dropped).
    #[arg(long)]
    catalog: PathBuf,
    /// All interactions.
    #[arg(long)]
    interactions: PathBuf,
    #[command(flatten)]
    split: SplitOptions,
    /// Folder for train.csv, test.csv and users.txt.
    #[arg(long)]
    out_dir: PathBuf,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Recommend(args) => recommend(args),
        Command::Similar(args) => similar(args),
        Command::Search(args) => search(args),
        Command::Eval(args) => eval(args),
        Command::Split(args) => write_split(args),
        Command::Tune(args) => tune_command(args),
        Command::Forecast(args) => forecast::forecast_command(args),
        Command::ForecastEval(args) => forecast::forecast_eval_command(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`| head`) is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("could not read {what} from {}", path.display()))
}

fn load_config(path: Option<&Path>) -> Result<Config> {
    match path {
        Some(p) => {
            Config::from_json(read(p, "config")?).with_context(|| format!("in {}", p.display()))
        }
        None => Ok(Config::default()),
    }
}

/// Reads a catalogue: JSON, or the MovieLens layout (a folder with
/// movies.csv and optionally tags.csv, or movies.csv itself).
fn load_catalogue(path: &Path, config: &Config) -> Result<Catalogue> {
    let movies = if path.is_dir() {
        Some(path.join("movies.csv"))
    } else {
        (path.file_name() == Some("movies.csv".as_ref())).then(|| path.to_path_buf())
    };
    let catalogue = match movies {
        Some(movies) => {
            let tags_path = movies.with_file_name("tags.csv");
            let tags = if tags_path.exists() {
                Some(read(&tags_path, "tags")?)
            } else {
                None
            };
            let value = movielens::catalogue_json(&read(&movies, "movies")?, tags.as_deref())?;
            Catalogue::from_value(value, &config.catalogue)
        }
        None => Catalogue::from_json(read(path, "catalogue")?, &config.catalogue),
    };
    catalogue.with_context(|| format!("in catalogue {}", path.display()))
}

fn load_interactions(path: &Path, catalogue: &Catalogue, config: &Config) -> Result<Interactions> {
    let bytes = read(path, "interactions")?;
    let log = if path.extension().is_some_and(|e| e == "json") {
        Interactions::from_json(bytes, catalogue, &config.interactions)
    } else {
        Interactions::from_csv(bytes, catalogue, &config.interactions)
    }
    .with_context(|| format!("in {}", path.display()))?;
    for w in log.warnings() {
        eprintln!("warning: {}: {w}", path.display());
    }
    Ok(log)
}

/// The config, the catalogue and, if a path is given, the interactions.
fn load_inputs(
    inputs: &Inputs,
    interactions: Option<&Path>,
) -> Result<(Config, Catalogue, Option<Interactions>)> {
    let config = load_config(inputs.config.as_deref())?;
    let catalogue = load_catalogue(&inputs.catalog, &config)?;
    let log = interactions
        .map(|p| load_interactions(p, &catalogue, &config))
        .transpose()?;
    Ok((config, catalogue, log))
}

/// Seconds spent fitting each model.
#[derive(Default)]
struct FitTimes {
    content: f64,
    item_knn: f64,
    sequential: f64,
    user_knn: f64,
    popular: f64,
}

impl FitTimes {
    fn for_model(&self, model: Model) -> f64 {
        match model {
            Model::Popular => self.popular,
            Model::Content => self.content,
            Model::ItemKnn => self.item_knn,
            Model::Sequential => self.sequential,
            Model::UserKnn => self.user_knn,
            Model::Hybrid => {
                self.content + self.item_knn + self.sequential + self.user_knn + self.popular
            }
        }
    }
}

fn fit(
    catalogue: Catalogue,
    log: Option<&Interactions>,
    config: &Config,
) -> Result<(Recommender, FitTimes)> {
    config.validate()?;
    let mut times = FitTimes::default();
    let start = Instant::now();
    let content = ContentModel::fit(&catalogue, &config.content)?;
    times.content = start.elapsed().as_secs_f64();
    let (models, popularity) = match log.filter(|l| !l.is_empty()) {
        Some(log) => {
            let start = Instant::now();
            let user_items = log.aggregate(config.interactions.transform);
            let item_knn = ItemKnn::fit(&user_items.matrix, &config.item_knn)?;
            times.item_knn = start.elapsed().as_secs_f64();
            let start = Instant::now();
            let sequential = Sequential::fit(log, &config.sequential)?;
            times.sequential = start.elapsed().as_secs_f64();
            let start = Instant::now();
            let user_knn = UserKnn::fit(&user_items.matrix, &config.user_knn)?;
            times.user_knn = start.elapsed().as_secs_f64();
            let start = Instant::now();
            let pop = Popularity::fit(
                &log.aggregate(config.interactions.transform),
                &config.popularity,
            )?;
            times.popular = start.elapsed().as_secs_f64();
            (
                Some(CollaborativeModels {
                    item_knn,
                    sequential,
                    user_knn,
                }),
                pop,
            )
        }
        None => (None, Popularity::from_scores(vec![0.0; catalogue.len()])),
    };
    Ok((
        Recommender::from_parts(catalogue, content, models, popularity, config.clone()),
        times,
    ))
}

fn progress_bar(len: usize, label: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {eta}")
            .expect("the template is valid")
            .progress_chars("=> "),
    );
    bar.set_message(label.to_string());
    bar
}

fn recommend(args: RecommendArgs) -> Result<()> {
    let (config, catalogue, log) = load_inputs(&args.inputs, args.interactions.as_deref())?;
    let model: Model = args.query.model.parse()?;
    let users_text = String::from_utf8(read(&args.users, "users")?)
        .with_context(|| format!("{} is not UTF-8 text", args.users.display()))?;
    let users: Vec<&str> = users_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let (rec, _) = fit(catalogue, log.as_ref(), &config)?;
    let user_items = log
        .as_ref()
        .map(|l| l.aggregate(config.interactions.transform));
    let query = Query {
        explain: false,
        ..args.query.query(model)
    };
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(BufWriter::new(
            std::fs::File::create(p)
                .with_context(|| format!("could not create {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let bar = progress_bar(users.len(), "recommending");
    for user in users {
        let history = match (&log, &user_items) {
            (Some(log), Some(ui)) => {
                log.user_index(user)
                    .map_or_else(WeightedHistory::default, |u| {
                        decay(
                            ui.history(u as usize).collect(),
                            rec.half_life_days(&query),
                            None,
                        )
                    })
            }
            _ => WeightedHistory::default(),
        };
        let recs = rec.recommend_history(&history, &query)?;
        let line = json!({
            "user": user,
            "items": recs.iter().map(|r| &r.id).collect::<Vec<_>>(),
            "scores": recs.iter().map(|r| r.score).collect::<Vec<_>>(),
        });
        writeln!(out, "{line}")?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    out.flush()?;
    Ok(())
}

fn similar(args: SimilarArgs) -> Result<()> {
    let (config, catalogue, log) = load_inputs(&args.inputs, args.interactions.as_deref())?;
    let model: Model = args.query.model.parse()?;
    if matches!(model, Model::ItemKnn) && log.is_none() {
        bail!("--model item-knn needs --interactions");
    }
    let (rec, _) = fit(catalogue, log.as_ref(), &config)?;
    let recs = rec.similar_items(&args.item, &args.query.query(model))?;
    let out = json!({"item": args.item, "model": model.name(), "items": recs.iter().map(rec_json).collect::<Vec<_>>()});
    emit(&serde_json::to_string_pretty(&out)?)
}

fn search(args: SearchArgs) -> Result<()> {
    let config = load_config(args.inputs.config.as_deref())?;
    let catalogue = load_catalogue(&args.inputs.catalog, &config)?;
    let (rec, _) = fit(catalogue, None, &config)?;
    let query = args.options.query(Model::Content);
    let hits = rec.search(&args.query, &query)?;
    let out = json!({"query": args.query, "items": hits.iter().map(rec_json).collect::<Vec<_>>()});
    emit(&serde_json::to_string_pretty(&out)?)
}

fn rec_json(r: &Recommendation) -> serde_json::Value {
    json!({"id": r.id, "score": r.score, "reasons": r.reasons})
}

fn load_split(
    catalog: &Path,
    interactions: &Path,
    options: &SplitOptions,
    config: &Config,
) -> Result<(Catalogue, Interactions, pocketrec::evaluate::Split)> {
    let kind: SplitKind = options.split.parse()?;
    let catalogue = load_catalogue(catalog, config)?;
    let log = load_interactions(interactions, &catalogue, config)?;
    if log.is_empty() {
        bail!("{}: no usable interactions", interactions.display());
    }
    let parts = split(&log, kind, options.test_fraction, options.seed)?;
    Ok((catalogue, log, parts))
}

fn eval(args: EvalArgs) -> Result<()> {
    let config = load_config(args.inputs.config.as_deref())?;
    let models: Vec<Model> = args
        .models
        .iter()
        .map(|m| m.parse())
        .collect::<Result<_, _>>()?;
    let (catalogue, _, parts) = load_split(
        &args.inputs.catalog,
        &args.interactions,
        &args.split,
        &config,
    )?;
    let config = if args.tune {
        let options = TuneOptions {
            split: args.split.split.parse()?,
            test_fraction: args.split.test_fraction,
            seed: args.split.seed.wrapping_add(1),
            k: args.k,
        };
        let start = Instant::now();
        let tuned = run_tune(&catalogue, &parts.train, &config, &options, false)?;
        eprintln!(
            "tuned in {:.1} s (validation NDCG@{} {:.4})",
            start.elapsed().as_secs_f64(),
            args.k,
            tuned.ndcg
        );
        tuned.config
    } else {
        config
    };
    let train_ui = parts.train.aggregate(config.interactions.transform);
    let test_ui = parts.test.aggregate(config.interactions.transform);
    let (rec, times) = fit(catalogue, Some(&parts.train), &config)?;
    let mut results = Vec::new();
    for model in models {
        let query = Query {
            k: args.k,
            model,
            half_life_days: args.half_life_days,
            explain: false,
            ..Query::default()
        };
        let bar = progress_bar(0, model.name());
        let start = Instant::now();
        let metrics = evaluate(&rec, &train_ui, &test_ui, &query, |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })?;
        bar.finish_and_clear();
        let ms_per_user = start.elapsed().as_secs_f64() * 1000.0 / metrics.users.max(1) as f64;
        results.push((model, metrics, times.for_model(model), ms_per_user));
    }
    if args.json {
        print_json(&args, &results)
    } else {
        print_table(&args, &parts, &results)
    }
}

type EvalRow = (Model, Metrics, f64, f64);

/// Writes a line to standard output, reporting a closed pipe as an error
/// (which `main` treats as a quiet stop) instead of panicking as `println!` does.
fn emit(text: &str) -> Result<()> {
    writeln!(std::io::stdout().lock(), "{text}")?;
    Ok(())
}

fn print_json(args: &EvalArgs, results: &[EvalRow]) -> Result<()> {
    let rows: Vec<_> = results
        .iter()
        .map(|(model, m, fit, ms)| {
            json!({"model": model.name(), "users": m.users, "precision": m.precision, "recall": m.recall, "ndcg": m.ndcg,
                   "map": m.map, "hitRate": m.hit_rate, "coverage": m.coverage, "fitSeconds": fit, "msPerUser": ms})
        })
        .collect();
    let out = json!({"split": args.split.split, "testFraction": args.split.test_fraction, "seed": args.split.seed, "k": args.k, "results": rows});
    emit(&serde_json::to_string_pretty(&out)?)
}

fn print_table(args: &EvalArgs, parts: &pocketrec::evaluate::Split, results: &[EvalRow]) -> Result<()> {
    let k = args.k;
    emit(&format!(
        "split {} (test fraction {}, seed {}): {} train rows, {} test rows",
        args.split.split,
        args.split.test_fraction,
        args.split.seed,
        parts.train.len(),
        parts.test.len()
    ))?;
    emit(&format!("| model | users | P@{k} | R@{k} | NDCG@{k} | MAP@{k} | hit rate | coverage | fit s | ms/user |"))?;
    emit("|---|---|---|---|---|---|---|---|---|---|")?;
    for (model, m, fit, ms) in results {
        emit(&format!(
            "| {} | {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {:.3} | {:.3} |",
            model.name(),
            m.users,
            m.precision,
            m.recall,
            m.ndcg,
            m.map,
            m.hit_rate,
            m.coverage,
            fit,
            ms
        ))?;
    }
    Ok(())
}

fn write_split(args: SplitArgs) -> Result<()> {
    let config = Config::default();
    let (catalogue, log, parts) =
        load_split(&args.catalog, &args.interactions, &args.split, &config)?;
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("could not create {}", args.out_dir.display()))?;
    for (name, part) in [("train.csv", &parts.train), ("test.csv", &parts.test)] {
        let path = args.out_dir.join(name);
        let mut w = BufWriter::new(
            std::fs::File::create(&path)
                .with_context(|| format!("could not create {}", path.display()))?,
        );
        writeln!(w, "user,item,weight,timestamp")?;
        for r in 0..part.len() {
            let (u, i, weight, t) = part.row(r);
            let t = t.map_or(String::new(), |t| t.to_string());
            writeln!(
                w,
                "{},{},{},{}",
                csv_field(part.user_id(u)),
                csv_field(catalogue.id(i)),
                weight,
                t
            )?;
        }
        w.flush()?;
    }
    let mut users: Vec<u32> = (0..parts.test.len()).map(|r| parts.test.row(r).0).collect();
    users.sort_unstable();
    users.dedup();
    let path = args.out_dir.join("users.txt");
    let mut w = BufWriter::new(
        std::fs::File::create(&path)
            .with_context(|| format!("could not create {}", path.display()))?,
    );
    for u in users {
        writeln!(w, "{}", log.user_id(u))?;
    }
    w.flush()?;
    Ok(())
}

fn run_tune(
    catalogue: &Catalogue,
    log: &Interactions,
    base: &Config,
    options: &TuneOptions,
    verbose: bool,
) -> Result<Tuned> {
    let spinner = if std::io::stderr().is_terminal() {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    let tuned = tune(catalogue, log, base, options, |stage| {
        spinner.set_message(stage.to_string())
    })?;
    spinner.finish_and_clear();
    if verbose {
        for trial in &tuned.trials {
            eprintln!("{:.4}  {}", trial.ndcg, trial.description);
        }
    }
    Ok(tuned)
}

fn tune_command(args: TuneArgs) -> Result<()> {
    let config = load_config(args.inputs.config.as_deref())?;
    let catalogue = load_catalogue(&args.inputs.catalog, &config)?;
    let log = load_interactions(&args.interactions, &catalogue, &config)?;
    let options = TuneOptions {
        split: args.split.parse()?,
        test_fraction: args.test_fraction,
        seed: args.seed,
        k: args.k,
    };
    let tuned = run_tune(&catalogue, &log, &config, &options, args.verbose)?;
    eprintln!("validation NDCG@{}: {:.4}", args.k, tuned.ndcg);
    let text = serde_json::to_string_pretty(&tuned.config)?;
    match &args.out {
        Some(p) => std::fs::write(p, text + "\n")
            .with_context(|| format!("could not write {}", p.display()))?,
        None => emit(&text)?,
    }
    Ok(())
}

/// Quotes a CSV field when it holds a comma, quote or line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
