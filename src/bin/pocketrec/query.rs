//! `recommend`, `similar` and `search`: answers from fitted models.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use serde_json::json;

use pocketrec::data::history::{decay, WeightedHistory};
use pocketrec::data::interactions::{Interactions, UserItems};
use pocketrec::recommend::{CheckedQuery, Model, Query, Recommendation, Recommender};

use crate::fit::fit_models;
use crate::inputs::*;
use pocketrec::recommend::FitPlan;

#[derive(Args)]
pub struct RecommendArgs {
    #[command(flatten)]
    pub inputs: ServeInputs,
    /// Interactions (CSV with a header, or JSON) to fit on; users' histories
    /// come from here (with --index, only the histories).
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
    pub inputs: ServeInputs,
    /// Interactions, for item-knn and hybrid (not with --index).
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
    pub inputs: ServeInputs,
    /// The text to match (words, CJK, category values).
    #[arg(long)]
    pub query: String,
    #[command(flatten)]
    pub options: QueryArgs,
}

pub fn recommend(args: RecommendArgs) -> Result<()> {
    let model: Model = args.query.model.parse()?;
    let users_text = String::from_utf8(read(&args.users, "users")?)
        .with_context(|| format!("{} is not UTF-8 text", args.users.display()))?;
    let users: Vec<&str> = users_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let query = Query {
        explain: false,
        ..args.query.query(model)
    }
    .check()?;
    let served = serve(&args.inputs, args.interactions.as_deref(), &query)?;
    let (rec, log, user_items) = (&served.recommender, &served.log, &served.user_items);
    let mut unseen = Vec::new();
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(BufWriter::new(
            std::fs::File::create(p)
                .with_context(|| format!("could not create {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let bar = progress_bar(users.len(), "recommending");
    for user in users {
        let index = log.as_ref().and_then(|log| log.user_index(user));
        let history = match (index, user_items) {
            (Some(u), Some(ui)) => decay(
                ui.history(u as usize).collect(),
                rec.half_life_days(&query),
                None,
            ),
            _ => {
                unseen.push(user);
                WeightedHistory::default()
            }
        };
        let recs = rec.recommend_history(&history, index, &query)?;
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
    warn_unseen(&unseen);
    Ok(())
}

pub fn similar(args: SimilarArgs) -> Result<()> {
    let model: Model = args.query.model.parse()?;
    if args.inputs.index.is_some() && args.interactions.is_some() {
        bail!("--interactions are not used with --index (the index holds the models)");
    }
    if matches!(model, Model::ItemKnn) && args.interactions.is_none() && args.inputs.index.is_none()
    {
        bail!("--model item-knn needs --interactions");
    }
    let query = args.query.query(model).check()?;
    let rec = serve(&args.inputs, args.interactions.as_deref(), &query)?.recommender;
    let recs = rec.similar_items(&args.item, &query)?;
    let out = json!({"item": args.item, "model": model.name(), "items": recs.iter().map(rec_json).collect::<Vec<_>>()});
    emit(&serde_json::to_string_pretty(&out)?)
}

pub fn search(args: SearchArgs) -> Result<()> {
    let query = args.options.query(Model::Content).check()?;
    let rec = serve(&args.inputs, None, &query)?.recommender;
    let hits = rec.search(&args.query, &query)?;
    let out = json!({"query": args.query, "items": hits.iter().map(rec_json).collect::<Vec<_>>()});
    emit(&serde_json::to_string_pretty(&out)?)
}

/// The models a query needs, and the shoppers' histories.
pub struct Served {
    pub recommender: Recommender,
    pub log: Option<Interactions>,
    pub user_items: Option<UserItems>,
}

/// Fits what `query` needs, or opens the model index; reads the
/// interactions (with an index, as the shoppers' own histories only).
pub fn serve(
    inputs: &ServeInputs,
    interactions: Option<&Path>,
    query: &CheckedQuery,
) -> Result<Served> {
    let Some(dir) = &inputs.index else {
        let config = load_config(inputs.config.as_deref())?;
        let catalog = inputs
            .catalog
            .as_deref()
            .expect("clap requires --catalog without --index");
        let catalogue = load_catalogue(catalog, &config)?;
        let log = interactions
            .map(|p| load_interactions(p, &catalogue, &config))
            .transpose()?;
        let plan = FitPlan::for_query(query, &config.hybrid.weights);
        let fitted = fit_models(catalogue, log.as_ref(), &config, &plan)?;
        return Ok(Served {
            recommender: fitted.recommender,
            log,
            user_items: fitted.user_items,
        });
    };
    let opened = open_index(dir)?;
    let rec = opened.recommender;
    pocketrec::index::check_held(&opened.manifest.models, query.model)
        .with_context(|| format!("model index {}", dir.display()))?;
    let log = interactions
        .map(|p| load_interactions(p, rec.catalogue(), rec.config()))
        .transpose()?;
    let user_items = log
        .as_ref()
        .map(|log| log.aggregate(rec.config().interactions.transform));
    Ok(Served {
        recommender: rec,
        log,
        user_items,
    })
}

pub fn rec_json(r: &Recommendation) -> serde_json::Value {
    json!({"id": r.id, "score": r.score, "reasons": r.reasons})
}

/// Says which users had no history in the interactions (they got the
/// cold-start list): a typo in the users file should not pass unseen.
fn warn_unseen(unseen: &[&str]) {
    if let Some(first) = unseen.first() {
        let more = match unseen.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        eprintln!(
            "warning: no interactions for user {first:?}{more}; they got the cold-start (popular) list"
        );
    }
}
