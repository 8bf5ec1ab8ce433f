//! Choosing options from the data: validation-based tuning.
//!
//! Shops differ. A film site's heavy raters want many neighbours and strong
//! shrinkage; a gift shop's sparse baskets want few neighbours and binary
//! weights; recency matters more in some than others. Rather than ask a
//! shop owner to guess, [`tune`] holds out part of the *training*
//! interactions (never the data being evaluated), scores candidate settings
//! on it by NDCG@k, and returns the best config. The search is staged
//! (coordinate-wise), each stage keeping the best so far; ties keep the
//! earlier candidate, so the result is deterministic:
//!
//! 1. item-kNN: transform × similarity × neighbours × shrinkage;
//! 2. history half-life (none, 1, 7, 30, 180, 720 days);
//! 3. popularity half-life (none, 7, 30, 180 days);
//! 4. EASE's λ, then ALS's confidence slope and regularisation;
//! 5. blend weights by coordinate ascent from the better of item-kNN and
//!    EASE alone (every component on a grid in turn, two rounds), then
//!    each single model alone, so on the validation data the hybrid is
//!    never below its best component.
//!
//! **One protocol is not traded for another.** The config is chosen on the
//! asked split (temporal by default), but a shop's future is not only its
//! latest clicks: the chosen config must also stay within 2% of the base
//! config's NDCG on a validation split of the other kind. If it does not,
//! the stage choices are undone from the last (history half-life,
//! popularity half-life, blend weights) until one passes; the base config
//! always does. On MovieLens a one-day history half-life won the temporal
//! split and halved the random split's NDCG: this is what stops it.

use std::sync::Arc;

use crate::config::Config;
use crate::data::catalogue::Catalogue;
use crate::data::interactions::{Interactions, UserItems, WeightTransform};
use crate::error::{Error, Result};
use crate::evaluate::{evaluate, split, SplitKind};
use crate::models::content::ContentModel;
use crate::models::item_knn::Similarity;
use crate::models::Scorer;
use crate::recommend::fit::{fit, no_clock, FitPlan, Fitted};
use crate::recommend::{BlendWeights, Model, Query};

/// How to tune.
#[derive(Debug, Clone, PartialEq)]
pub struct TuneOptions {
    /// Split of the training data used for validation. Default temporal
    /// (predicting the future is what a shop needs).
    pub split: SplitKind,
    /// Share of each user's items held out. Default 0.2.
    pub test_fraction: f64,
    /// Seed of a random split. Default 7.
    pub seed: u64,
    /// Cut-off of the NDCG being maximised. Default 10.
    pub k: usize,
}

impl Default for TuneOptions {
    fn default() -> Self {
        TuneOptions {
            split: SplitKind::Temporal,
            test_fraction: 0.2,
            seed: 7,
            k: 10,
        }
    }
}

/// One candidate and its validation score.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    /// Stage name and the settings tried.
    pub description: String,
    /// Validation NDCG@k.
    pub ndcg: f64,
}

/// The outcome of tuning.
#[derive(Debug, Clone)]
pub struct Tuned {
    /// The chosen config (the base config with the tuned options replaced).
    pub config: Config,
    /// Validation NDCG@k of the hybrid under the chosen config.
    pub ndcg: f64,
    /// Every candidate tried, in order.
    pub trials: Vec<Trial>,
}

const TRANSFORMS: [WeightTransform; 3] = [
    WeightTransform::Log1p,
    WeightTransform::Binary,
    WeightTransform::Raw,
];
const SIMILARITIES: [Similarity; 5] = [
    Similarity::Bm25,
    Similarity::Tfidf,
    Similarity::Cosine,
    Similarity::Jaccard,
    Similarity::Pearson,
];
const NEIGHBOURS: [usize; 2] = [100, 20];
const SHRINKAGE: [f32; 3] = [0.0, 10.0, 50.0];
const HISTORY_HALF_LIVES: [Option<f64>; 6] = [
    None,
    Some(1.0),
    Some(7.0),
    Some(30.0),
    Some(180.0),
    Some(720.0),
];
const POPULARITY_HALF_LIVES: [Option<f64>; 4] = [None, Some(7.0), Some(30.0), Some(180.0)];
const EASE_LAMBDAS: [f32; 5] = [100.0, 200.0, 500.0, 1000.0, 2000.0];
/// ALS `(alpha, regularization)` pairs tried.
const ALS_GRID: [(f32, f32); 4] = [(1.0, 1.0), (1.0, 10.0), (4.0, 10.0), (1.0, 30.0)];
/// The guard: the chosen config's NDCG on the other protocol is at least
/// this share of the base config's.
const OTHER_PROTOCOL_FLOOR: f64 = 0.98;
/// Blend weights tried for each component (item-kNN stays at 1).
const BLEND_GRID: [(Model, &[f32]); 7] = [
    (Model::ItemKnn, &[0.0, 0.25, 0.5, 1.0, 2.0]),
    (Model::Ease, &[0.0, 0.25, 0.5, 1.0, 2.0]),
    (Model::Als, &[0.0, 0.1, 0.25, 0.5, 1.0]),
    (
        Model::Content,
        &[0.0, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0],
    ),
    (Model::Popular, &[0.0, 0.05, 0.1, 0.2, 0.4]),
    (Model::Sequential, &[0.0, 0.1, 0.3, 0.6, 1.0, 2.0, 4.0]),
    (Model::UserKnn, &[0.0, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0]),
];

/// Sets one component's weight; false when it already had that value.
fn set_weight(weights: &mut BlendWeights, component: Model, value: f32) -> bool {
    let Some(slot) = weights.slot(component) else {
        return false;
    };
    let changed = *slot != value;
    *slot = value;
    changed
}

/// Shared state of one tuning run: the validation split and the fixed parts.
struct Bench {
    catalogue: Arc<Catalogue>,
    /// Fitted once: its options are not tuned.
    content: Arc<dyn Scorer>,
    train: Interactions,
    /// The validation part, aggregated under each transform tried.
    valid: Vec<(WeightTransform, UserItems)>,
    k: usize,
}

impl Bench {
    /// Fits what queries with `model` need under `config` on the training part.
    fn fit(&self, config: &Config, model: Model) -> Result<Fitted> {
        let config = config.clone().check()?;
        let plan = FitPlan::of(&[model]).reusing([Arc::clone(&self.content)]);
        fit(
            Arc::clone(&self.catalogue),
            Some(&self.train),
            &config,
            &plan,
            &no_clock,
        )
    }

    /// Validation NDCG@k of `query` (with `k` and no explanations). Options
    /// that act at query time (blend weights, history half-life) are tried
    /// through the query, so one fitted recommender serves a whole stage.
    fn score(&self, fitted: &Fitted, query: Query) -> Result<f64> {
        let query = Query {
            k: self.k,
            explain: false,
            ..query
        }
        .check()?;
        let transform = fitted.recommender.config().interactions.transform;
        let valid = &self
            .valid
            .iter()
            .find(|(t, _)| *t == transform)
            .expect("the validation part is aggregated under every transform")
            .1;
        let train = fitted
            .user_items
            .as_ref()
            .expect("the training part is not empty");
        Ok(evaluate(&fitted.recommender, train, valid, &query, |_, _| {})?.ndcg)
    }
}

/// A query for one model, everything else default.
fn model_query(model: Model) -> Query {
    Query {
        model,
        ..Query::default()
    }
}

/// Keeps the best candidate of a stage (the first on ties).
struct Best {
    config: Config,
    ndcg: f64,
}

impl Best {
    fn offer(&mut self, config: &Config, ndcg: f64, trials: &mut Vec<Trial>, description: String) {
        trials.push(Trial { description, ndcg });
        if ndcg > self.ndcg {
            self.config = config.clone();
            self.ndcg = ndcg;
        }
    }
}

/// Tunes `base` on a validation split of `log` (see the module docs).
/// `progress` receives a line per stage.
///
/// # Errors
/// [`Error::Empty`] when the log is too small to hold out validation data;
/// [`Error::InvalidConfig`] for a bad base config or options.
pub fn tune(
    catalogue: &Catalogue,
    log: &Interactions,
    base: &Config,
    options: &TuneOptions,
    mut progress: impl FnMut(&str),
) -> Result<Tuned> {
    let base = base.clone().check()?;
    let catalogue = Arc::new(catalogue.clone());
    let content: Arc<dyn Scorer> = Arc::new(ContentModel::fit(&catalogue, &base.content));
    let bench = Bench::new(&catalogue, &content, log, options.split, options)?;
    let mut trials = Vec::new();
    let chosen = search(&bench, base.get(), &mut trials, &mut progress)?;
    progress("checking the other protocol");
    let other_split = match options.split {
        SplitKind::Random => SplitKind::Temporal,
        SplitKind::Temporal => SplitKind::Random,
    };
    let other = Bench::new(&catalogue, &content, log, other_split, options)?;
    guard(&bench, &other, base.get(), chosen, trials)
}

impl Bench {
    /// The training and validation parts of `log` under one split.
    fn new(
        catalogue: &Arc<Catalogue>,
        content: &Arc<dyn Scorer>,
        log: &Interactions,
        kind: SplitKind,
        options: &TuneOptions,
    ) -> Result<Bench> {
        let parts = split(log, kind, options.test_fraction, options.seed)?;
        if parts.train.is_empty() || parts.test.is_empty() {
            return Err(Error::Empty(
                "tune: too few interactions to hold out validation data (users need at least two items)".into(),
            ));
        }
        let valid = [
            WeightTransform::Binary,
            WeightTransform::Log1p,
            WeightTransform::Sqrt,
            WeightTransform::Raw,
        ]
        .into_iter()
        .map(|t| (t, parts.test.aggregate(t)))
        .collect();
        Ok(Bench {
            catalogue: Arc::clone(catalogue),
            content: Arc::clone(content),
            train: parts.train,
            valid,
            k: options.k,
        })
    }

    /// Validation NDCG@k of the hybrid under `config` (its weights and
    /// half-lives as configured).
    fn hybrid(&self, config: &Config) -> Result<f64> {
        self.score(
            &self.fit(config, Model::Hybrid)?,
            model_query(Model::Hybrid),
        )
    }
}

/// The staged search on one split (see the module docs).
fn search(
    bench: &Bench,
    base: &Config,
    trials: &mut Vec<Trial>,
    progress: &mut impl FnMut(&str),
) -> Result<Best> {
    progress("tuning item-kNN");
    let mut best = Best {
        config: base.clone(),
        ndcg: f64::NEG_INFINITY,
    };
    for transform in TRANSFORMS {
        for similarity in SIMILARITIES {
            for neighbours in NEIGHBOURS {
                for shrinkage in SHRINKAGE {
                    let mut c = best.config.clone();
                    c.interactions.transform = transform;
                    c.item_knn.similarity = similarity;
                    c.item_knn.neighbours = neighbours;
                    c.item_knn.shrinkage = shrinkage;
                    let ndcg = bench
                        .score(&bench.fit(&c, Model::ItemKnn)?, model_query(Model::ItemKnn))?;
                    best.offer(&c, ndcg, trials, format!("item-kNN {transform:?} {similarity:?} K={neighbours} shrinkage={shrinkage}"));
                }
            }
        }
    }

    progress("tuning the history half-life");
    // Fitted without a configured half-life, so each candidate (None too)
    // comes from the query alone.
    let mut undecayed = best.config.clone();
    undecayed.history.half_life_days = None;
    let rec = bench.fit(&undecayed, Model::ItemKnn)?;
    for half_life in HISTORY_HALF_LIVES {
        let mut c = best.config.clone();
        c.history.half_life_days = half_life;
        let query = Query {
            half_life_days: half_life,
            ..model_query(Model::ItemKnn)
        };
        let ndcg = bench.score(&rec, query)?;
        best.offer(
            &c,
            ndcg,
            trials,
            format!("history half-life {half_life:?} days"),
        );
    }

    progress("tuning popularity");
    let mut stage = Best {
        config: best.config.clone(),
        ndcg: f64::NEG_INFINITY,
    };
    for half_life in POPULARITY_HALF_LIVES {
        let mut c = best.config.clone();
        c.popularity.half_life_days = half_life;
        let ndcg = bench.score(&bench.fit(&c, Model::Popular)?, model_query(Model::Popular))?;
        stage.offer(
            &c,
            ndcg,
            trials,
            format!("popularity half-life {half_life:?} days"),
        );
    }

    progress("tuning EASE");
    let from = stage.config.clone();
    let mut stage = Best {
        config: from.clone(),
        ndcg: f64::NEG_INFINITY,
    };
    for lambda in EASE_LAMBDAS {
        let mut c = from.clone();
        c.ease.lambda = lambda;
        let ndcg = bench.score(&bench.fit(&c, Model::Ease)?, model_query(Model::Ease))?;
        stage.offer(&c, ndcg, trials, format!("EASE lambda={lambda}"));
    }

    progress("tuning ALS");
    let from = stage.config.clone();
    let mut stage = Best {
        config: from.clone(),
        ndcg: f64::NEG_INFINITY,
    };
    for (alpha, regularization) in ALS_GRID {
        let mut c = from.clone();
        c.als.alpha = alpha;
        c.als.regularization = regularization;
        let ndcg = bench.score(&bench.fit(&c, Model::Als)?, model_query(Model::Als))?;
        stage.offer(
            &c,
            ndcg,
            trials,
            format!("ALS alpha={alpha} regularization={regularization}"),
        );
    }

    progress("tuning blend weights");
    blend(bench, &stage.config, trials)
}

/// The blend weights by coordinate ascent (see the module docs).
fn blend(bench: &Bench, from: &Config, trials: &mut Vec<Trial>) -> Result<Best> {
    let rec = bench.fit(from, Model::Hybrid)?;
    let mut blend = Best {
        config: from.clone(),
        ndcg: f64::NEG_INFINITY,
    };
    let mut try_weights = |weights: BlendWeights, blend: &mut Best| -> Result<()> {
        let query = Query {
            weights: Some(weights.clone()),
            ..model_query(Model::Hybrid)
        };
        let ndcg = bench.score(&rec, query)?;
        let mut c = blend.config.clone();
        c.hybrid.weights = weights;
        let w = &c.hybrid.weights;
        let description = format!(
            "blend itemKnn={} ease={} als={} content={} popular={} sequential={} userKnn={}",
            w.item_knn, w.ease, w.als, w.content, w.popular, w.sequential, w.user_knn
        );
        blend.offer(&c, ndcg, trials, description);
        Ok(())
    };
    // Coordinate ascent from the better of item-kNN and EASE alone: each
    // component's grid in turn, the others held at their best so far, two
    // rounds.
    try_weights(BlendWeights::only(Model::ItemKnn), &mut blend)?;
    try_weights(BlendWeights::only(Model::Ease), &mut blend)?;
    for _round in 0..2 {
        for (component, grid) in BLEND_GRID {
            for &value in grid {
                let mut weights = blend.config.hybrid.weights.clone();
                if set_weight(&mut weights, component, value)
                    && weights != BlendWeights::only(Model::Hybrid)
                {
                    try_weights(weights, &mut blend)?;
                }
            }
        }
    }
    // Each single model alone, so on validation the hybrid is never below
    // its best component.
    for model in [
        Model::Als,
        Model::Content,
        Model::Popular,
        Model::Sequential,
        Model::UserKnn,
    ] {
        try_weights(BlendWeights::only(model), &mut blend)?;
    }
    Ok(blend)
}

/// The chosen config if it holds on the `other` protocol (within
/// [`OTHER_PROTOCOL_FLOOR`] of the base config there), else the stage
/// choices undone from the last until one does (see the module docs).
fn guard(
    bench: &Bench,
    other: &Bench,
    base: &Config,
    chosen: Best,
    mut trials: Vec<Trial>,
) -> Result<Tuned> {
    let floor = OTHER_PROTOCOL_FLOOR * other.hybrid(base)?;
    let mut candidates = vec![(chosen.config.clone(), "as tuned")];
    let mut c = chosen.config.clone();
    c.history = base.history.clone();
    candidates.push((c.clone(), "history half-life undone"));
    c.popularity = base.popularity.clone();
    candidates.push((c.clone(), "popularity half-life undone too"));
    c.hybrid = base.hybrid.clone();
    candidates.push((c, "blend weights undone too"));
    candidates.dedup_by(|a, b| a.0 == b.0);
    for (k, (config, what)) in candidates.iter().enumerate() {
        let on_other = other.hybrid(config)?;
        trials.push(Trial {
            description: format!("other protocol, {what}"),
            ndcg: on_other,
        });
        if on_other >= floor {
            let ndcg = if k == 0 {
                chosen.ndcg
            } else {
                bench.hybrid(config)?
            };
            return Ok(Tuned {
                config: config.clone(),
                ndcg,
                trials,
            });
        }
    }
    Ok(Tuned {
        config: base.clone(),
        ndcg: bench.hybrid(base)?,
        trials,
    })
}
