//! `eval --compare A.json,B.json`: two configs on the same split, compared
//! per user (B − A) with a paired bootstrap (`pocketrec::evaluate::compare`).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::json;

use pocketrec::evaluate::compare::{compare, CompareOptions, Comparison, MetricComparison};
use pocketrec::evaluate::{evaluate_users, Split, UserMetrics};
use pocketrec::recommend::{FitPlan, Model, Query};

use crate::eval::{via_index, EvalArgs};
use crate::fit::fit_models;
use crate::inputs::*;

/// Confidence level of the reported intervals.
const LEVEL: f64 = 0.95;

/// One config's run: its split (to check both saw the same one) and its
/// per-user metrics.
struct Run {
    users_in_log: usize,
    parts: Split,
    scores: Vec<(u32, UserMetrics)>,
}

/// Runs `eval --compare` for the two config files in `files`.
pub fn eval_compare(args: &EvalArgs, files: &[PathBuf]) -> Result<()> {
    let [a_path, b_path] = files else {
        let given: Vec<_> = files.iter().map(|f| f.display().to_string()).collect();
        bail!(
            "--compare takes two config files, A and B (--compare A.json,B.json); got {}: {}",
            files.len(),
            given.join(",")
        );
    };
    if args.tune {
        bail!("--compare with --tune is not supported: --compare evaluates the two configs as written; tune each first (pocketrec tune … --out A.json) and compare the written configs");
    }
    let model = match args.models.as_deref() {
        None => Model::Hybrid,
        Some([one]) => one.parse()?,
        Some(more) => bail!(
            "--compare evaluates one model, which both configs serve; --models gave {}: {}",
            more.len(),
            more.join(",")
        ),
    };
    if args.via_index {
        pocketrec::index::check_held(&pocketrec::index::INDEX_MODELS, model)
            .context("--via-index")?;
    }
    let options = CompareOptions {
        resamples: args.bootstrap,
        seed: args.split.seed,
        level: LEVEL,
    };
    // Checked before any fitting.
    options.validate()?;
    let a = run(args, a_path, model)?;
    let b = run(args, b_path, model)?;
    check_same_split(args, (a_path, &a), (b_path, &b))?;
    let comparison = compare(&a.scores, &b.scores, &options)?;
    let (name_a, name_b) = names(a_path, b_path);
    if args.json {
        print_json(args, model, (&name_a, &name_b), &comparison)
    } else {
        print_table(args, model, &a.parts, (&name_a, &name_b), &comparison)
    }
}

/// Fits `config_path`'s config on the training part and scores each test user.
fn run(args: &EvalArgs, config_path: &Path, model: Model) -> Result<Run> {
    // Its errors name the file (and the JSON path of a bad value).
    let config = load_config(Some(config_path))?;
    let (catalogue, log, parts) = load_split(
        &args.inputs.catalog,
        &args.interactions,
        &args.split,
        &config,
    )?;
    let test_ui = parts.test.aggregate(config.interactions.transform);
    let fitted = if args.via_index {
        via_index(catalogue, &parts.train, &config, args.noise_seed)?
    } else {
        fit_models(
            catalogue,
            Some(&parts.train),
            &config,
            &FitPlan::of(&[model]),
        )?
    };
    let train_ui = fitted
        .user_items
        .as_ref()
        .expect("load_split refuses an empty log");
    let query = Query {
        k: args.k,
        model,
        half_life_days: args.half_life_days,
        explain: false,
        ..Query::default()
    }
    .check()?;
    let label = format!("{} {}", file_label(config_path), model.name());
    let bar = progress_bar(0, &label);
    let (_, scores) = evaluate_users(
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
    Ok(Run {
        users_in_log: log.user_count(),
        parts,
        scores,
    })
}

/// Both configs must have split the log alike: the same users and the same
/// held-out (user, item) rows. They differ only when the configs read the
/// interactions differently.
fn check_same_split(args: &EvalArgs, (pa, a): (&Path, &Run), (pb, b): (&Path, &Run)) -> Result<()> {
    let rows = |s: &Split| -> Vec<(u32, u32)> {
        (0..s.test.len())
            .map(|r| {
                let (u, i, _, _) = s.test.row(r);
                (u, i)
            })
            .collect()
    };
    if a.users_in_log != b.users_in_log
        || a.parts.train.len() != b.parts.train.len()
        || rows(&a.parts) != rows(&b.parts)
    {
        bail!(
            "{} and {} read {} differently ({} and {} training rows, {} and {} test rows), so they would not be compared on the same split; \
             configs compared with --compare must read the interactions alike (their `interactions` sections may differ only in `transform`)",
            pa.display(),
            pb.display(),
            args.interactions.display(),
            a.parts.train.len(),
            b.parts.train.len(),
            a.parts.test.len(),
            b.parts.test.len()
        );
    }
    Ok(())
}

/// A file's name, for the text.
fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// How A and B are named: their file names, or their paths as given when
/// the names are the same (`x/cfg.json` against `y/cfg.json`).
fn names(a: &Path, b: &Path) -> (String, String) {
    let (na, nb) = (file_label(a), file_label(b));
    if na == nb {
        (a.display().to_string(), b.display().to_string())
    } else {
        (na, nb)
    }
}

fn metric_json(m: &MetricComparison, (a, b): (&str, &str)) -> serde_json::Value {
    let mut value = serde_json::to_value(m).expect("a metric comparison serialises");
    value["halfWidth"] = json!(m.half_width());
    value["text"] = json!(m.sentence(a, b, LEVEL));
    value
}

fn print_json(args: &EvalArgs, model: Model, names: (&str, &str), c: &Comparison) -> Result<()> {
    let out = json!({
        "a": names.0, "b": names.1, "model": model.name(),
        "split": args.split.split, "testFraction": args.split.test_fraction, "seed": args.split.seed,
        "k": args.k, "users": c.users, "bootstrap": c.resamples, "level": c.level,
        "metrics": [metric_json(&c.ndcg, names), metric_json(&c.recall, names)],
    });
    emit(&serde_json::to_string_pretty(&out)?)
}

fn print_table(
    args: &EvalArgs,
    model: Model,
    parts: &Split,
    (a, b): (&str, &str),
    c: &Comparison,
) -> Result<()> {
    let k = args.k;
    emit(&format!(
        "A = {a}, B = {b}: model {}, split {} (test fraction {}, seed {}): {} train rows, {} test rows, {} users scored by both; paired bootstrap, {} resamples, seed {}",
        model.name(),
        args.split.split,
        args.split.test_fraction,
        args.split.seed,
        parts.train.len(),
        parts.test.len(),
        c.users,
        c.resamples,
        c.seed
    ))?;
    emit(&format!("| metric | {a} (A) | {b} (B) | B − A | 95% CI |"))?;
    emit("|---|---|---|---|---|")?;
    let rows = [
        (format!("NDCG@{k}"), &c.ndcg),
        (format!("recall@{k}"), &c.recall),
    ];
    for (name, m) in &rows {
        emit(&format!(
            "| {name} | {:.4} | {:.4} | {:+.4} | [{:.4}, {:.4}] |",
            m.a, m.b, m.difference, m.lower, m.upper
        ))?;
    }
    for (name, m) in &rows {
        emit(&format!("{name}: {}", m.sentence(a, b, LEVEL)))?;
    }
    Ok(())
}
