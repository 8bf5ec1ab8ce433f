//! `recommend`, `similar` and `search`: answers from fitted models.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;
use serde_json::json;

use pocketrec::data::history::{decay, WeightedHistory};
use pocketrec::recommend::{Model, Query, Recommendation};

use crate::inputs::*;

#[derive(Args)]
pub struct RecommendArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Interactions (CSV with a header, or JSON) to fit on; users' histories come from here.
    #[arg(long)]
    pub interactions: Option<PathBuf>,
    /// Users to recommend for, one id per line.
    #[arg(long)]
    pub users: PathBuf,
    #[command(flatten)]
    pub query: QueryArgs,
    /// Output file (JSON lines); standard output if absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
pub struct SimilarArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Interactions, for item-knn and hybrid.
    #[arg(long)]
    pub interactions: Option<PathBuf>,
    /// The item to find neighbours of.
    #[arg(long)]
    pub item: String,
    #[command(flatten)]
    pub query: QueryArgs,
}

#[derive(Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// The text to match (words, CJK, category values).
    #[arg(long)]
    pub query: String,
    #[command(flatten)]
    pub options: QueryArgs,
}

pub fn recommend(args: RecommendArgs) -> Result<()> {
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

pub fn similar(args: SimilarArgs) -> Result<()> {
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

pub fn search(args: SearchArgs) -> Result<()> {
    let config = load_config(args.inputs.config.as_deref())?;
    let catalogue = load_catalogue(&args.inputs.catalog, &config)?;
    let (rec, _) = fit(catalogue, None, &config)?;
    let query = args.options.query(Model::Content);
    let hits = rec.search(&args.query, &query)?;
    let out = json!({"query": args.query, "items": hits.iter().map(rec_json).collect::<Vec<_>>()});
    emit(&serde_json::to_string_pretty(&out)?)
}

pub fn rec_json(r: &Recommendation) -> serde_json::Value {
    json!({"id": r.id, "score": r.score, "reasons": r.reasons})
}
