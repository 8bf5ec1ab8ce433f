//! The recommender: fitted models behind one query API.
//!
//! A query flows through four steps, each in its own module:
//! 1. the options are checked once ([`query`]) and the history weighed
//!    ([`crate::data::history`]) into a [`QueryContext`], built once;
//! 2. every taking part model scores it ([`crate::models::Scorer`]) and
//!    the scores are blended ([`blend`]), among the items the filter allows
//!    ([`filter`]);
//! 3. the best `k` are selected ([`rank`]): top-k, popularity fill,
//!    diversity ([`diversity`]);
//! 4. each result is explained ([`explain`]) from the evidence the models
//!    kept while scoring.
//!
//! **Ranking.** Items with a positive score come first, by score, ties by
//! item index. If fewer than `k` items have a positive score, the rest of
//! the list is filled from the popularity order (with score 0), so a query
//! returns `k` items whenever `k` items pass the filters. Items in the
//! history (or the query item) are removed before ranking.
//!
//! **Cold start.** With no history every model but popularity is silent, so
//! a new shopper gets the popular (or, with a half-life, trending) items;
//! an item without interactions gets its content neighbours.
//!
//! Models are fitted by one pipeline, [`fit`].

pub mod blend;
pub mod diversity;
pub mod explain;
pub mod filter;
pub mod fit;
pub mod query;
pub mod rank;

use std::sync::Arc;

use serde::Serialize;

use crate::config::CheckedConfig;
use crate::data::catalogue::Catalogue;
use crate::data::history::{weigh_history, Event, WeightedHistory};
use crate::data::interactions::Interactions;
use crate::error::{Error, Result};
use crate::models::content::ContentModel;
use crate::models::popularity::Popularity;
use crate::models::{QueryContext, Scorer};

pub use crate::models::{BlendWeights, HybridConfig, Model, Reason};
pub use fit::{FitPlan, FitReport, Fitted};
pub use query::{CheckedQuery, Query};

/// One recommended item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// External item id.
    pub id: String,
    /// Dense item index.
    #[serde(skip)]
    pub index: u32,
    /// Final score (0 for items filled in from the popularity order).
    pub score: f32,
    /// Explanations, strongest first.
    pub reasons: Vec<Reason>,
}

/// Fitted models over one catalogue.
#[derive(Debug, Clone)]
pub struct Recommender {
    catalogue: Arc<Catalogue>,
    /// The fitted models, in blend order ([`Model::SINGLE`]).
    models: Vec<Arc<dyn Scorer>>,
    /// The content vectors, for search and diversity, when content ranks
    /// by other means (a model index's content links).
    vectors: Option<Arc<ContentModel>>,
    config: CheckedConfig,
}

impl Recommender {
    /// Fits every model: content and popularity from the catalogue, and the
    /// collaborative models when interactions are given (see [`fit::fit`],
    /// which also reports timings and fits a chosen subset).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the log was read against another catalogue.
    pub fn fit(
        catalogue: impl Into<Arc<Catalogue>>,
        interactions: Option<&Interactions>,
        config: &CheckedConfig,
    ) -> Result<Recommender> {
        let fitted = fit::fit(
            catalogue,
            interactions,
            config,
            &FitPlan::all(),
            &fit::no_clock,
        )?;
        Ok(fitted.recommender)
    }

    /// Assembles a recommender from fitted models (in blend order): the
    /// fit pipeline does this, and [`crate::index`] from a model index.
    pub(crate) fn new(
        catalogue: Arc<Catalogue>,
        models: Vec<Arc<dyn Scorer>>,
        config: CheckedConfig,
    ) -> Recommender {
        Recommender {
            catalogue,
            models,
            vectors: None,
            config,
        }
    }

    /// The same models, with `vectors` serving search and diversity (a
    /// model index ranks content by its links).
    pub(crate) fn with_vectors(mut self, vectors: Option<Arc<ContentModel>>) -> Recommender {
        self.vectors = vectors;
        self
    }

    /// The catalogue, to fill in (a model index opened piece by piece).
    pub(crate) fn catalogue_mut(&mut self) -> &mut Catalogue {
        Arc::make_mut(&mut self.catalogue)
    }

    /// The content vectors: the content model, or those kept beside the
    /// model that ranks content (a model index ranks it by its links).
    pub fn content_vectors(&self) -> Option<&ContentModel> {
        self.model::<ContentModel>().or(self.vectors.as_deref())
    }

    /// The content vectors, shared (see [`Recommender::content_vectors`]).
    pub(crate) fn shared_vectors(&self) -> Option<&Arc<ContentModel>> {
        self.vectors.as_ref()
    }

    /// The catalogue.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The catalogue, shared.
    pub fn shared_catalogue(&self) -> &Arc<Catalogue> {
        &self.catalogue
    }

    /// The configuration used to fit.
    pub fn config(&self) -> &CheckedConfig {
        &self.config
    }

    /// The fitted models, in blend order.
    pub fn models(&self) -> &[Arc<dyn Scorer>] {
        &self.models
    }

    /// A fitted model by type, e.g. `rec.model::<ItemKnn>()`; `None` when
    /// it was not fitted (no interactions, or not in the fit plan).
    pub fn model<T: Scorer>(&self) -> Option<&T> {
        self.models
            .iter()
            .find_map(|m| m.as_any().downcast_ref::<T>())
    }

    /// The popularity model (always fitted: every query falls back on it).
    pub fn popularity(&self) -> &Popularity {
        self.model::<Popularity>()
            .expect("the fit pipeline always fits popularity")
    }

    /// The history half-life in effect: the query's, else the config's.
    pub fn half_life_days(&self, query: &Query) -> Option<f64> {
        query.half_life_days.or(self.config.history.half_life_days)
    }

    /// Recommendations for a shopper's history (empty for a new shopper).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a malformed event.
    pub fn recommend(
        &self,
        history: &[Event],
        query: &CheckedQuery,
    ) -> Result<Vec<Recommendation>> {
        let weighted = weigh_history(
            history,
            &self.catalogue,
            &self.config.interactions,
            self.half_life_days(query),
            query.now,
        )?;
        self.recommend_history(&weighted, None, query)
    }

    /// Recommendations for an already weighted history `(item, h_i)`,
    /// sorted by item (see [`crate::data::history`]).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an index outside the catalogue or a
    /// weight that is not a finite number ≥ 0.
    pub fn recommend_weighted(
        &self,
        history: &[(u32, f32)],
        query: &CheckedQuery,
    ) -> Result<Vec<Recommendation>> {
        let history = WeightedHistory {
            items: history.to_vec(),
            recent: Vec::new(),
        };
        self.recommend_history(&history, None, query)
    }

    /// Recommendations for a weighed history with its order (see
    /// [`crate::data::history::WeightedHistory`]). `user` is the training
    /// user the history belongs to, when it is one (the CLI and
    /// evaluation), so user-kNN does not count them as their own neighbour.
    ///
    /// # Errors
    /// As [`Recommender::recommend_weighted`], also for an index in `recent`
    /// outside the catalogue.
    pub fn recommend_history(
        &self,
        history: &WeightedHistory,
        user: Option<u32>,
        query: &CheckedQuery,
    ) -> Result<Vec<Recommendation>> {
        self.check_history(history)?;
        let context = QueryContext {
            items: &history.items,
            recent: &history.recent,
            item: None,
            user,
        };
        let exclude: Vec<u32> = history.items.iter().map(|h| h.0).collect();
        self.rank(&context, &exclude, query)
    }

    /// Items similar to `id` ("similar products" with the content model,
    /// "customers also bought" with item-kNN, both with hybrid).
    ///
    /// # Errors
    /// [`Error::UnknownItem`] for an id the catalogue lacks.
    pub fn similar_items(&self, id: &str, query: &CheckedQuery) -> Result<Vec<Recommendation>> {
        let item = self.catalogue.require(id)?;
        let items = [(item, 1.0)];
        let context = QueryContext {
            items: &items,
            recent: &[],
            item: Some(item),
            user: None,
        };
        self.rank(&context, &[item], query)
    }

    /// Items matching free text (a search box), by content cosine with the
    /// text's query vector (see [`ContentModel::text_query`]); only items
    /// that match are returned, filtered, optionally diversified, each with
    /// the words or values it matched. `query.model` is not used.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the content model was not fitted.
    pub fn search(&self, text: &str, query: &CheckedQuery) -> Result<Vec<Recommendation>> {
        let content = self.content_vectors().ok_or_else(|| {
            Error::value(
                "model",
                "search needs the content model, which was not fitted",
            )
        })?;
        let q = content.text_query(text);
        let allowed = query.filter.mask(&self.catalogue);
        let mut scores = vec![0f32; self.catalogue.len()];
        content.score_query(&q, &mut scores);
        // Search results are what matched: no popular items filled in.
        let ranked = self.select(&scores, &allowed, query, false);
        Ok(self.results(ranked, query.explain, |index| {
            content.reasons(&q, index, &self.catalogue)
        }))
    }

    /// Most popular (or trending, with a popularity half-life) items.
    ///
    /// # Errors
    /// As [`Recommender::recommend`].
    pub fn popular(&self, query: &CheckedQuery) -> Result<Vec<Recommendation>> {
        self.recommend_weighted(&[], &query.with_model(Model::Popular))
    }

    /// Scores, selects and explains.
    fn rank(
        &self,
        context: &QueryContext,
        exclude: &[u32],
        query: &CheckedQuery,
    ) -> Result<Vec<Recommendation>> {
        let mut allowed = query.filter.mask(&self.catalogue);
        for &i in exclude {
            allowed[i as usize] = false;
        }
        let weights = query
            .weights
            .as_ref()
            .unwrap_or(&self.config.hybrid.weights);
        let weights = blend::effective_weights(query.model, weights);
        let (scores, parts) = blend::blend(&self.models, context, &weights, &allowed);
        let ranked = self.select(&scores, &allowed, query, true);
        Ok(self.results(ranked, query.explain, |index| {
            explain::explain(
                &parts,
                self.popularity(),
                context,
                query.model,
                index,
                &self.catalogue,
            )
        }))
    }

    /// Ranked items as results, with `reasons(index)` when `explain` is set.
    fn results(
        &self,
        ranked: Vec<crate::topk::Scored>,
        explain: bool,
        reasons: impl Fn(u32) -> Vec<Reason>,
    ) -> Vec<Recommendation> {
        ranked
            .into_iter()
            .map(|(index, score)| Recommendation {
                id: self.catalogue.id(index).to_string(),
                index,
                score,
                reasons: if explain { reasons(index) } else { Vec::new() },
            })
            .collect()
    }

    /// Checks a weighted history's indices and weights.
    fn check_history(&self, history: &WeightedHistory) -> Result<()> {
        let n = self.catalogue.len();
        let outside = |path: String, item: u32| {
            Error::value(
                path,
                format!("item index {item} is outside the catalogue of {n} items"),
            )
        };
        if let Some((k, &item)) = history
            .recent
            .iter()
            .enumerate()
            .find(|(_, &i)| i as usize >= n)
        {
            return Err(outside(format!("recent[{k}]"), item));
        }
        for (k, &(item, w)) in history.items.iter().enumerate() {
            if item as usize >= n {
                return Err(outside(format!("history[{k}]"), item));
            }
            if !(w.is_finite() && w >= 0.0) {
                return Err(Error::value(
                    format!("history[{k}]"),
                    format!("weight must be a finite number ≥ 0, got {w}"),
                ));
            }
        }
        Ok(())
    }
}
