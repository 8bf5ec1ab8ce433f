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

use serde::{Deserialize, Serialize};

use crate::config::CheckedConfig;
use crate::data::catalogue::Catalogue;
use crate::data::interactions::{Interactions, UserItems};
use crate::error::{Error, Result};
use crate::models::als::Als;
use crate::models::content::ContentModel;
use crate::models::ease::Ease;
use crate::models::item_knn::ItemKnn;
use crate::models::popularity::Popularity;
use crate::models::sequential::Sequential;
use crate::models::user_knn::UserKnn;
use crate::models::{BlendWeights, Model, Scorer};
use crate::privacy::{Part, PrivacyConfig, Protection};
use crate::recommend::{Query, Recommender};

/// Which models to fit.
#[derive(Debug, Clone)]
pub struct FitPlan {
    models: Vec<Model>,
    reuse: Vec<Arc<dyn Scorer>>,
    /// The privacy rules and the noise seed, for a published index.
    privacy: Option<(PrivacyConfig, u64)>,
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
            privacy: None,
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

    /// Fits under the privacy rules of a published model index (see
    /// [`crate::privacy`]): the log is capped per shopper, links need their
    /// minimum support, and with `epsilon` counts get noise drawn from
    /// `noise_seed`. User-kNN keeps per-shopper rows, so a protected plan
    /// leaves it out. ALS's item factors are learned from the capped log,
    /// and items with fewer than `minSupport` shoppers get none; they are
    /// not differentially private, so with `epsilon` ALS is left out too.
    pub fn protected(mut self, privacy: &PrivacyConfig, noise_seed: u64) -> FitPlan {
        self.models.retain(|&m| m != Model::UserKnn);
        if privacy.epsilon.is_some() {
            self.models.retain(|&m| m != Model::Als);
        }
        self.privacy = Some((privacy.clone(), noise_seed));
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
    /// What the privacy rules did (a protected plan only).
    pub privacy: Option<PrivacyReport>,
}

/// What the privacy rules of a protected fit suppressed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrivacyReport {
    /// Shoppers with more items than the cap.
    pub capped_shoppers: usize,
    /// Log rows dropped by the cap.
    pub capped_rows: usize,
    /// Candidate item-kNN links the rules withheld, before each item's
    /// top-K cut (each direction counts).
    pub suppressed_item_links: usize,
    /// Candidate sequential links the rules withheld, before the top-K cut.
    pub suppressed_successors: usize,
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
    let rules = match &plan.privacy {
        Some((privacy, seed)) => {
            // Item-kNN and EASE release the same pair counts (the same
            // draws): one part between them.
            let has = |m: &[Model]| plan.models.iter().any(|k| m.contains(k));
            let pair_models = usize::from(has(&[Model::ItemKnn, Model::Ease]))
                + usize::from(has(&[Model::Sequential]));
            privacy.protection(pair_models, *seed)
        }
        None => Protection::none(),
    };
    let capped = match log {
        Some(log) if plan.privacy.is_some() => {
            let (capped, shoppers, rows) = rules.cap(log);
            report.privacy = Some(PrivacyReport {
                capped_shoppers: shoppers,
                capped_rows: rows,
                ..PrivacyReport::default()
            });
            Some(capped)
        }
        _ => None,
    };
    let log = capped.as_ref().or(log);
    let start = clock();
    let user_items = log.map(|log| log.aggregate(config.interactions.transform));
    report.aggregate = clock() - start;
    // Popularity first: with differential privacy the link models compute
    // their strengths from its released (noisy) counts.
    let mut order: Vec<Model> = plan.models().to_vec();
    order.sort_by_key(|&m| m != Model::Popular);
    let mut fitted: Vec<Arc<dyn Scorer>> = Vec::new();
    let mut popularity: Vec<f32> = Vec::new();
    for kind in order {
        if let Some(model) = plan.reuse.iter().find(|m| m.kind() == kind) {
            fitted.push(Arc::clone(model));
            continue;
        }
        let start = clock();
        let data = log.zip(user_items.as_ref());
        let fit = Fit {
            catalogue: &catalogue,
            data,
            config,
            rules: &rules,
            popularity: &popularity,
        };
        if let Some(model) = fit.one(kind) {
            if let Some(p) = model.as_any().downcast_ref::<Popularity>() {
                popularity = p.scores().to_vec();
            }
            fitted.push(model);
            report.models.push((kind, clock() - start));
        }
    }
    if let Some(privacy) = &mut report.privacy {
        // The rules count as the models ask; split the count by model.
        privacy.suppressed_item_links = rules.suppressed_by(Part::ItemPair);
        privacy.suppressed_successors = rules.suppressed_by(Part::Successor);
    }
    // Back into blend order.
    fitted.sort_by_key(|m| Model::SINGLE.iter().position(|&k| k == m.kind()));
    report
        .models
        .sort_by_key(|(m, _)| Model::SINGLE.iter().position(|k| k == m));
    Ok(Fitted {
        recommender: Recommender::new(catalogue, fitted, config.clone()),
        user_items,
        report,
    })
}

/// One model's fit: its inputs.
struct Fit<'a> {
    catalogue: &'a Catalogue,
    data: Option<(&'a Interactions, &'a UserItems)>,
    config: &'a CheckedConfig,
    rules: &'a Protection,
    /// Released popularity scores (empty until popularity is fitted).
    popularity: &'a [f32],
}

impl Fit<'_> {
    /// The registry's fit arms: one per model. `None` when the model cannot
    /// be fitted without interactions (it then stays silent in queries).
    fn one(&self, kind: Model) -> Option<Arc<dyn Scorer>> {
        let (config, rules, popularity) = (self.config, self.rules, self.popularity);
        Some(match (kind, self.data) {
            (Model::Content, _) => Arc::new(ContentModel::fit(self.catalogue, &config.content)),
            (Model::Popular, None) => {
                Arc::new(Popularity::from_scores(vec![0.0; self.catalogue.len()]))
            }
            (Model::Popular, Some((_, ui))) => {
                Arc::new(Popularity::fit_protected(ui, &config.popularity, rules))
            }
            (Model::ItemKnn, Some((_, ui))) => Arc::new(ItemKnn::fit_protected(
                &ui.matrix,
                &config.item_knn,
                rules,
                popularity,
            )),
            (Model::UserKnn, Some((_, ui))) => Arc::new(UserKnn::fit(&ui.matrix, &config.user_knn)),
            (Model::Ease, Some((_, ui))) => {
                Arc::new(Ease::fit_protected(&ui.matrix, &config.ease, rules))
            }
            (Model::Als, Some((_, ui))) => {
                let mut als = Als::fit(&ui.matrix, &config.als);
                if rules.min_support > 1 {
                    // A published index withholds the factors of items
                    // with fewer shoppers than a link needs.
                    let shoppers = ui.matrix.column_counts();
                    als.withhold(
                        |i| shoppers[i as usize] >= rules.min_support,
                        config.als.regularization,
                    );
                }
                Arc::new(als)
            }
            (Model::Sequential, Some((log, _))) => Arc::new(Sequential::fit_protected(
                log,
                &config.sequential,
                rules,
                popularity,
            )),
            (Model::Hybrid, _) | (_, None) => return None,
        })
    }
}
