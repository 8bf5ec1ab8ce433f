//! The fit pipeline: the one place where models are fitted, for the CLI,
//! evaluation and tuning, and the wasm engine alike.
//!
//! 1. the interaction log is checked against the catalogue and aggregated
//!    once into the user × item matrix ([`UserItems`]);
//! 2. each model the plan asks for is fitted (content and popularity from
//!    the catalogue alone when there is no log; the others need one), or
//!    taken as it is from a previous fit (tuning reuses the content model);
//! 3. the time of each step is reported.
//!
//! The config is a [`CheckedConfig`], checked once by the caller.

use std::sync::Arc;

use crate::config::CheckedConfig;
use crate::data::catalogue::Catalogue;
use crate::data::interactions::{Interactions, UserItems};
use crate::error::{Error, Result};
use crate::models::content::ContentModel;
use crate::models::item_knn::ItemKnn;
use crate::models::popularity::Popularity;
use crate::models::sequential::Sequential;
use crate::models::user_knn::UserKnn;
use crate::models::{BlendWeights, Model, Scorer};
use crate::recommend::{Query, Recommender};

/// Which models to fit.
#[derive(Debug, Clone)]
pub struct FitPlan {
    models: Vec<Model>,
    reuse: Vec<Arc<dyn Scorer>>,
}

impl FitPlan {
    /// Every registered model (the wasm engine: any query may come).
    pub fn all() -> FitPlan {
        FitPlan::of(&Model::SINGLE)
    }

    /// These models, and popularity (every query falls back on it).
    pub fn of(models: &[Model]) -> FitPlan {
        let wanted = |m: &Model| {
            *m == Model::Popular || models.contains(m) || models.contains(&Model::Hybrid)
        };
        FitPlan {
            models: Model::SINGLE.into_iter().filter(wanted).collect(),
            reuse: Vec::new(),
        }
    }

    /// What a query uses under the configured `weights` (the CLI fits no
    /// more): its model's components, and the content model when the query
    /// asks for diversity (its similarity drives the re-ranking).
    pub fn for_query(query: &Query, weights: &BlendWeights) -> FitPlan {
        let weights = query.weights.as_ref().unwrap_or(weights);
        let mut models = query.model.components(weights);
        if query.diversity > 0.0 {
            models.push(Model::Content);
        }
        FitPlan::of(&models)
    }

    /// Takes these fitted models as they are instead of fitting them again
    /// (the caller vouches that their config sections did not change).
    pub fn reusing(mut self, models: impl IntoIterator<Item = Arc<dyn Scorer>>) -> FitPlan {
        self.reuse.extend(models);
        self
    }

    /// The models the plan fits or reuses, in blend order.
    pub fn models(&self) -> &[Model] {
        &self.models
    }
}

/// Seconds spent on each step of a fit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FitReport {
    /// Aggregating the log into the user × item matrix.
    pub aggregate: f64,
    /// Each model fitted (not reused), in blend order.
    pub models: Vec<(Model, f64)>,
}

impl FitReport {
    /// Seconds a query with `model` needed: the aggregation, plus its own
    /// fit (the sum of all fits for the hybrid).
    pub fn seconds(&self, model: Model) -> f64 {
        let fits: f64 = self
            .models
            .iter()
            .filter(|(m, _)| model == Model::Hybrid || *m == model)
            .map(|(_, s)| s)
            .sum();
        fits + self.aggregate
    }
}

/// A fit's outcome.
#[derive(Debug)]
pub struct Fitted {
    /// The models behind one query API.
    pub recommender: Recommender,
    /// The aggregated log (users' histories for evaluation and the CLI);
    /// `None` without interactions.
    pub user_items: Option<UserItems>,
    /// Time of each step.
    pub report: FitReport,
}

/// A clock for the report, in seconds from any origin. The core does no
/// I/O and wasm32 has no `Instant`, so the caller gives one (or
/// [`no_clock`]).
pub type Clock<'a> = &'a dyn Fn() -> f64;

/// A clock that always says 0 (no timings).
pub fn no_clock() -> f64 {
    0.0
}

/// Fits the plan's models on a catalogue and, optionally, its interactions.
///
/// # Errors
/// [`Error::InvalidValue`] when the log was read against another catalogue.
pub fn fit(
    catalogue: impl Into<Arc<Catalogue>>,
    log: Option<&Interactions>,
    config: &CheckedConfig,
    plan: &FitPlan,
    clock: Clock,
) -> Result<Fitted> {
    let catalogue = catalogue.into();
    if let Some(log) = log.filter(|log| log.item_count() != catalogue.len()) {
        return Err(Error::value(
            "interactions",
            format!("were read against a catalogue of {} items, but this catalogue has {}; read them with this catalogue", log.item_count(), catalogue.len()),
        ));
    }
    let log = log.filter(|log| !log.is_empty());
    let mut report = FitReport::default();
    let start = clock();
    let user_items = log.map(|log| log.aggregate(config.interactions.transform));
    report.aggregate = clock() - start;
    let mut models: Vec<Arc<dyn Scorer>> = Vec::new();
    for &kind in plan.models() {
        if let Some(model) = plan.reuse.iter().find(|m| m.kind() == kind) {
            models.push(Arc::clone(model));
            continue;
        }
        let start = clock();
        let data = log.zip(user_items.as_ref());
        if let Some(model) = fit_one(kind, &catalogue, data, config) {
            models.push(model);
            report.models.push((kind, clock() - start));
        }
    }
    Ok(Fitted {
        recommender: Recommender::new(catalogue, models, config.clone()),
        user_items,
        report,
    })
}

/// The registry's fit arms: one per model. `None` when the model cannot be
/// fitted without interactions (it then stays silent in queries).
fn fit_one(
    kind: Model,
    catalogue: &Catalogue,
    data: Option<(&Interactions, &UserItems)>,
    config: &CheckedConfig,
) -> Option<Arc<dyn Scorer>> {
    Some(match (kind, data) {
        (Model::Content, _) => Arc::new(ContentModel::fit(catalogue, &config.content)),
        (Model::Popular, None) => Arc::new(Popularity::from_scores(vec![0.0; catalogue.len()])),
        (Model::Popular, Some((_, ui))) => Arc::new(Popularity::fit(ui, &config.popularity)),
        (Model::ItemKnn, Some((_, ui))) => Arc::new(ItemKnn::fit(&ui.matrix, &config.item_knn)),
        (Model::UserKnn, Some((_, ui))) => Arc::new(UserKnn::fit(&ui.matrix, &config.user_knn)),
        (Model::Sequential, Some((log, _))) => Arc::new(Sequential::fit(log, &config.sequential)),
        (Model::Hybrid, _) | (_, None) => return None,
    })
}
