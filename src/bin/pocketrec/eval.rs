//! `eval`: split, fit on the training part, score the rest.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use serde_json::json;

use pocketrec::evaluate::tune::TuneOptions;
use pocketrec::evaluate::{evaluate, Metrics};
use pocketrec::index::{build, open, BuildOptions};
use pocketrec::recommend::fit::Fitted;
use pocketrec::recommend::{FitPlan, Model, Query};

use crate::compare::eval_compare;
use crate::fit::fit_models;
use crate::inputs::*;
use crate::tune::run_tune;

#[derive(Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// All interactions (CSV with a header, or JSON).
    #[arg(long)]
    pub interactions: PathBuf,
    #[command(flatten)]
    pub split: SplitOptions,
    /// Cut-off of the metrics.
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// Models to evaluate, comma-separated [default:
    /// popular,content,item-knn,user-knn,sequential,ease,als,hybrid; with
    /// --via-index the same without user-knn, which an index cannot hold].
    #[arg(long, value_delimiter = ',')]
    pub models: Option<Vec<String>>,
    /// Half-life in days for the time decay of users' histories.
    #[arg(long)]
    pub half_life_days: Option<f64>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Tune the config on a validation split of the training part first
    /// (the test part is never seen while tuning).
    #[arg(long)]
    pub tune: bool,
    /// Serve from a model index instead of the live fit: the training part
    /// is built into an index in memory under the config's `privacy` rules,
    /// encoded and decoded as `build` and `--index` do, then evaluated
    /// exactly as the live fit is (user-knn is not in an index).
    #[arg(long)]
    pub via_index: bool,
    /// Seed of the differential-privacy noise with --via-index.
    #[arg(long, default_value_t = 1)]
    pub noise_seed: u64,
    /// Compare two configs, A and B (`--compare A.json,B.json`), on the
    /// same split and one model (hybrid unless --models names another):
    /// per-user differences B − A of NDCG@k and recall@k with a 95%
    /// paired-bootstrap interval (seeded by --seed) and a verdict.
    #[arg(long, value_delimiter = ',', conflicts_with = "config")]
    pub compare: Option<Vec<PathBuf>>,
    /// Bootstrap resamples of --compare (1 to 1,000,000).
    #[arg(long, default_value_t = 2000, requires = "compare")]
    pub bootstrap: usize,
}

/// What `eval` evaluates without `--models`, in table order.
const DEFAULT_MODELS: [Model; 8] = [
    Model::Popular,
    Model::Content,
    Model::ItemKnn,
    Model::UserKnn,
    Model::Sequential,
    Model::Ease,
    Model::Als,
    Model::Hybrid,
];

pub fn eval(args: EvalArgs) -> Result<()> {
    if let Some(files) = &args.compare {
        return eval_compare(&args, files);
    }
    let config = load_config(args.inputs.config.as_deref())?;
    let models: Vec<Model> = match &args.models {
        Some(names) => names.iter().map(|m| m.parse()).collect::<Result<_, _>>()?,
        None => DEFAULT_MODELS
            .into_iter()
            .filter(|&m| !(args.via_index && m == Model::UserKnn))
            .collect(),
    };
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
        tuned.config.check()?
    } else {
        config
    };
    if args.via_index {
        // Checked before any work: the index never holds user-kNN.
        for &model in &models {
            pocketrec::index::check_held(&pocketrec::index::INDEX_MODELS, model)
                .context("--via-index")?;
        }
    }
    let test_ui = parts.test.aggregate(config.interactions.transform);
    let fitted = if args.via_index {
        via_index(catalogue, &parts.train, &config, args.noise_seed)?
    } else {
        fit_models(
            catalogue,
            Some(&parts.train),
            &config,
            &FitPlan::of(&models),
        )?
    };
    let train_ui = fitted
        .user_items
        .as_ref()
        .expect("load_split refuses an empty log");
    let mut results = Vec::new();
    for model in models {
        let query = Query {
            k: args.k,
            model,
            half_life_days: args.half_life_days,
            explain: false,
            ..Query::default()
        }
        .check()?;
        let bar = progress_bar(0, model.name());
        let start = Instant::now();
        let metrics = evaluate(
            &fitted.recommender,
            train_ui,
            &test_ui,
            &query,
            |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            },
        )?;
        bar.finish_and_clear();
        let ms_per_user = start.elapsed().as_secs_f64() * 1000.0 / metrics.users.max(1) as f64;
        results.push((model, metrics, fitted.report.seconds(model), ms_per_user));
    }
    if args.json {
        print_json(&args, &results)
    } else {
        print_table(&args, &parts, &results)
    }
}

/// The training part built into a model index and opened again, in
/// memory; the training histories aggregated as a live fit does.
pub fn via_index(
    catalogue: pocketrec::data::catalogue::Catalogue,
    train: &pocketrec::data::interactions::Interactions,
    config: &pocketrec::config::CheckedConfig,
    noise_seed: u64,
) -> Result<Fitted> {
    let options = BuildOptions {
        noise_seed,
        ..BuildOptions::default()
    };
    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64();
    let built = build(catalogue, Some(train), config, &options, &clock)?;
    let files: std::collections::HashMap<&str, &[u8]> = built
        .files
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    let mut read = |name: &str| -> pocketrec::Result<Vec<u8>> {
        files
            .get(name)
            .map(|b| b.to_vec())
            .ok_or_else(|| pocketrec::Error::BadIndex {
                file: name.to_string(),
                message: "missing".into(),
            })
    };
    let opened = open(&built.files[0].1, &mut read)?;
    if let Some(p) = &built.report.privacy {
        eprintln!(
            "index: {} shoppers capped ({} rows), {} item-kNN and {} sequential links suppressed",
            p.capped_shoppers, p.capped_rows, p.suppressed_item_links, p.suppressed_successors
        );
    }
    Ok(Fitted {
        recommender: opened.recommender,
        user_items: Some(train.aggregate(config.interactions.transform)),
        report: built.report,
    })
}

type EvalRow = (Model, Metrics, f64, f64);

pub fn print_json(args: &EvalArgs, results: &[EvalRow]) -> Result<()> {
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

pub fn print_table(
    args: &EvalArgs,
    parts: &pocketrec::evaluate::Split,
    results: &[EvalRow],
) -> Result<()> {
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
