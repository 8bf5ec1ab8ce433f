//! The recommender: fitted models behind one query API, and the hybrid blend.
//!
//! **Blend.** Each model's scores are normalised by their maximum over the
//! items that may be returned, `ŝ_m(j) = s_m(j) / max_j s_m(j)` (so each lies
//! in [0, 1] and an item a model knows nothing about gets 0), then
//! `score(j) = Σ_m w_m · ŝ_m(j)` over item-kNN, user-kNN, content,
//! sequential and popularity.
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

use serde::{Deserialize, Serialize};

pub mod diversity;
pub mod filter;

pub use crate::models::{BlendWeights, HybridConfig, Model};

use crate::config::Config;
use crate::data::catalogue::{Catalogue, FieldValues, Role};
use crate::data::history::{weigh_history, Event, WeightedHistory};
use crate::data::interactions::Interactions;
use crate::error::{check_half_life, Error, Result};
use crate::limits;
use crate::models::content::ContentModel;
use crate::models::item_knn::ItemKnn;
use crate::models::popularity::Popularity;
use crate::models::sequential::Sequential;
use crate::models::user_knn::UserKnn;
use crate::recommend::diversity::mmr;
use crate::recommend::filter::Filter;
use crate::topk::{top_k_dense, Scored};

/// Options of one query.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Query {
    /// Number of items wanted (0–100,000). Default 10.
    pub k: usize,
    /// Model to use. Default hybrid.
    pub model: Model,
    /// Which items may be returned.
    pub filter: Filter,
    /// Diversity in [0, 1]: MMR with λ = 1 − diversity. Default 0 (off).
    pub diversity: f32,
    /// Half-life of the history's time decay, in days. Default: the
    /// config's `history.halfLifeDays` (none unless set).
    pub half_life_days: Option<f64>,
    /// Reference time for the decay (seconds since 1970). Default: the
    /// history's latest event.
    pub now: Option<i64>,
    /// Blend weights for this query instead of the configured ones.
    pub weights: Option<BlendWeights>,
    /// Whether to compute explanations. Default true.
    pub explain: bool,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            k: 10,
            model: Model::Hybrid,
            filter: Filter::default(),
            diversity: 0.0,
            half_life_days: None,
            now: None,
            weights: None,
            explain: true,
        }
    }
}

impl Query {
    /// A default query for `k` items from `model`.
    pub fn new(k: usize, model: Model) -> Query {
        Query {
            k,
            model,
            ..Default::default()
        }
    }

    /// Checks the options.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the bad option.
    pub fn validate(&self) -> Result<()> {
        if self.k > limits::MAX_K {
            return Err(Error::config(
                "k",
                format!("must be at most {}, got {}", limits::MAX_K, self.k),
            ));
        }
        if !(0.0..=1.0).contains(&self.diversity) {
            return Err(Error::config(
                "diversity",
                format!("must be between 0 and 1, got {}", self.diversity),
            ));
        }
        check_half_life("halfLifeDays", self.half_life_days)?;
        if let Some(w) = &self.weights {
            HybridConfig { weights: w.clone() }.validate()?;
        }
        self.filter.validate()
    }
}

/// Why an item was recommended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Reason {
    /// A feature shared with the query item or the shopper's profile.
    #[serde(rename_all = "camelCase")]
    SharedFeature {
        /// Catalogue field.
        field: String,
        /// Shared token, value or numeric range.
        value: String,
        /// Share of the content cosine.
        weight: f32,
    },
    /// An item in the history (or the query item) that shoppers combine with this one.
    #[serde(rename_all = "camelCase")]
    AlsoInteracted {
        /// External id of that item.
        item: String,
        /// Its contribution to the item-kNN score.
        weight: f32,
    },
    /// Shoppers who chose this item (in the history, or the query item)
    /// went on to choose the recommended one.
    #[serde(rename_all = "camelCase")]
    ChosenAfter {
        /// External id of that earlier item.
        item: String,
        /// Its contribution to the sequential score.
        weight: f32,
    },
    /// Shoppers whose choices resemble the history also chose this item
    /// (they are counted, never named).
    #[serde(rename_all = "camelCase")]
    SimilarShoppers {
        /// How many of the most similar shoppers chose it.
        count: usize,
    },
    /// Popular with shoppers.
    #[serde(rename_all = "camelCase")]
    Popular {
        /// Popularity score (distinct users, decayed if configured).
        score: f32,
    },
}

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

/// What a query starts from.
enum Context<'a> {
    History(&'a WeightedHistory),
    Item(u32),
}

impl Context<'_> {
    /// Weighted items the collaborative models start from.
    fn items(&self) -> Vec<(u32, f32)> {
        match self {
            Context::History(h) => h.items.clone(),
            Context::Item(i) => vec![(*i, 1.0)],
        }
    }
}

/// Fitted models over one catalogue.
#[derive(Debug, Clone)]
pub struct Recommender {
    catalogue: Catalogue,
    content: ContentModel,
    item_knn: Option<ItemKnn>,
    sequential: Option<Sequential>,
    user_knn: Option<UserKnn>,
    popularity: Popularity,
    config: Config,
}

/// The models fitted on interactions.
#[derive(Debug, Clone)]
pub struct CollaborativeModels {
    /// Item-kNN.
    pub item_knn: ItemKnn,
    /// Sequential.
    pub sequential: Sequential,
    /// User-kNN.
    pub user_knn: UserKnn,
}

impl Recommender {
    /// Fits the content model, and with interactions the item-kNN,
    /// sequential and popularity models.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for a bad option.
    pub fn fit(
        catalogue: Catalogue,
        interactions: Option<&Interactions>,
        config: &Config,
    ) -> Result<Recommender> {
        config.validate()?;
        if let Some(log) = interactions.filter(|log| log.item_count() != catalogue.len()) {
            return Err(Error::value(
                "interactions",
                format!("were read against a catalogue of {} items, but this catalogue has {}; read them with this catalogue", log.item_count(), catalogue.len()),
            ));
        }
        let content = ContentModel::fit(&catalogue, &config.content)?;
        let (collaborative, popularity) = match interactions.filter(|log| !log.is_empty()) {
            Some(log) => {
                let user_items = log.aggregate(config.interactions.transform);
                let models = CollaborativeModels {
                    item_knn: ItemKnn::fit(&user_items.matrix, &config.item_knn)?,
                    sequential: Sequential::fit(log, &config.sequential)?,
                    user_knn: UserKnn::fit(&user_items.matrix, &config.user_knn)?,
                };
                (
                    Some(models),
                    Popularity::fit(&user_items, &config.popularity)?,
                )
            }
            None => (None, Popularity::from_scores(vec![0.0; catalogue.len()])),
        };
        Ok(Recommender::from_parts(
            catalogue,
            content,
            collaborative,
            popularity,
            config.clone(),
        ))
    }

    /// Assembles a recommender from models fitted separately (the CLI
    /// does this to time each model's fit).
    pub fn from_parts(
        catalogue: Catalogue,
        content: ContentModel,
        collaborative: Option<CollaborativeModels>,
        popularity: Popularity,
        config: Config,
    ) -> Recommender {
        let (item_knn, sequential, user_knn) = match collaborative {
            Some(m) => (Some(m.item_knn), Some(m.sequential), Some(m.user_knn)),
            None => (None, None, None),
        };
        Recommender {
            catalogue,
            content,
            item_knn,
            sequential,
            user_knn,
            popularity,
            config,
        }
    }

    /// The catalogue.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The configuration used to fit.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The content model.
    pub fn content(&self) -> &ContentModel {
        &self.content
    }

    /// The item-kNN model, when interactions were given.
    pub fn item_knn(&self) -> Option<&ItemKnn> {
        self.item_knn.as_ref()
    }

    /// The sequential model, when interactions were given.
    pub fn sequential(&self) -> Option<&Sequential> {
        self.sequential.as_ref()
    }

    /// The popularity model.
    pub fn popularity(&self) -> &Popularity {
        &self.popularity
    }

    /// Recommendations for a shopper's history (empty for a new shopper).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for bad query options; [`Error::InvalidValue`]
    /// for a malformed event.
    pub fn recommend(&self, history: &[Event], query: &Query) -> Result<Vec<Recommendation>> {
        query.validate()?;
        let weighted = weigh_history(
            history,
            &self.catalogue,
            &self.config.interactions,
            self.half_life_days(query),
            query.now,
        )?;
        self.recommend_history(&weighted, query)
    }

    /// The history half-life in effect: the query's, else the config's.
    pub fn half_life_days(&self, query: &Query) -> Option<f64> {
        query.half_life_days.or(self.config.history.half_life_days)
    }

    /// Recommendations for an already weighted history `(item, h_i)`,
    /// sorted by item (see [`crate::data::history`]).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for bad query options; [`Error::InvalidValue`]
    /// for an index outside the catalogue or a weight that is not a finite
    /// number ≥ 0.
    pub fn recommend_weighted(
        &self,
        history: &[(u32, f32)],
        query: &Query,
    ) -> Result<Vec<Recommendation>> {
        let history = WeightedHistory {
            items: history.to_vec(),
            recent: Vec::new(),
        };
        self.recommend_history(&history, query)
    }

    /// Recommendations for a weighed history with its order (see
    /// [`crate::data::history::WeightedHistory`]).
    ///
    /// # Errors
    /// As [`Recommender::recommend_weighted`], also for an index in `recent`
    /// outside the catalogue.
    pub fn recommend_history(
        &self,
        history: &WeightedHistory,
        query: &Query,
    ) -> Result<Vec<Recommendation>> {
        query.validate()?;
        if let Some((n, item)) = history
            .recent
            .iter()
            .enumerate()
            .find(|(_, &i)| i as usize >= self.catalogue.len())
        {
            return Err(Error::value(
                format!("recent[{n}]"),
                format!(
                    "item index {item} is outside the catalogue of {} items",
                    self.catalogue.len()
                ),
            ));
        }
        for (n, &(item, w)) in history.items.iter().enumerate() {
            if item as usize >= self.catalogue.len() {
                return Err(Error::value(
                    format!("history[{n}]"),
                    format!(
                        "item index {item} is outside the catalogue of {} items",
                        self.catalogue.len()
                    ),
                ));
            }
            if !(w.is_finite() && w >= 0.0) {
                return Err(Error::value(
                    format!("history[{n}]"),
                    format!("weight must be a finite number ≥ 0, got {w}"),
                ));
            }
        }
        let exclude: Vec<u32> = history.items.iter().map(|h| h.0).collect();
        self.rank(Context::History(history), &exclude, query)
    }

    /// Items similar to `id` ("similar products" with the content model,
    /// "customers also bought" with item-kNN, both with hybrid).
    ///
    /// # Errors
    /// [`Error::UnknownItem`] for an id the catalogue lacks;
    /// [`Error::InvalidConfig`] for bad query options.
    pub fn similar_items(&self, id: &str, query: &Query) -> Result<Vec<Recommendation>> {
        query.validate()?;
        let item = self.catalogue.require(id)?;
        self.rank(Context::Item(item), &[item], query)
    }

    /// Items matching free text (a search box), by content cosine with the
    /// text's query vector (see [`ContentModel::text_query`]); only items
    /// that match are returned, filtered, optionally diversified, each with
    /// the words or values it matched. `query.model` is not used.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for bad query options.
    pub fn search(&self, text: &str, query: &Query) -> Result<Vec<Recommendation>> {
        query.validate()?;
        let q = self.content.text_query(text);
        let allowed = query.filter.mask(&self.catalogue)?;
        let mut scores = vec![0f32; self.catalogue.len()];
        self.content.score_query(&q, &mut scores);
        // Search results are what matched: no popular items filled in.
        let ranked = self.select(&scores, &allowed, query, false);
        Ok(self.results(ranked, query.explain, |index| {
            self.shared_reasons(&q, index)
        }))
    }

    /// Most popular (or trending, with a popularity half-life) items.
    ///
    /// # Errors
    /// As [`Recommender::recommend`].
    pub fn popular(&self, query: &Query) -> Result<Vec<Recommendation>> {
        self.recommend_weighted(
            &[],
            &Query {
                model: Model::Popular,
                ..query.clone()
            },
        )
    }

    fn rank(
        &self,
        context: Context,
        exclude: &[u32],
        query: &Query,
    ) -> Result<Vec<Recommendation>> {
        let mut allowed = query.filter.mask(&self.catalogue)?;
        for &i in exclude {
            allowed[i as usize] = false;
        }
        let content_query = self.content_query(&context, query.model);
        let (scores, shoppers) = self.blend(&context, content_query.as_deref(), query, &allowed);
        let ranked = self.select(&scores, &allowed, query, true);
        Ok(self.results(ranked, query.explain, |index| {
            self.explain(&context, content_query.as_deref(), &shoppers, index, query)
        }))
    }

    /// Ranked items as results, with `reasons(index)` when `explain` is set.
    fn results(
        &self,
        ranked: Vec<Scored>,
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

    /// The final `k` items: the best positive scores among `allowed`, then
    /// (with `backfill`) popular items up to `k`, then MMR when the query
    /// asks for diversity (over a pool of max(5k, 50) candidates).
    fn select(
        &self,
        scores: &[f32],
        allowed: &[bool],
        query: &Query,
        backfill: bool,
    ) -> Vec<Scored> {
        let pool = if query.diversity > 0.0 {
            (query.k * 5).max(50)
        } else {
            query.k
        };
        let mut ranked = top_k_dense(scores, pool, 0.0, |i| allowed[i as usize]);
        if backfill {
            self.fill_from_popularity(&mut ranked, pool, allowed);
        }
        if query.diversity > 0.0 {
            ranked = mmr(&ranked, query.k, 1.0 - query.diversity, |a, b| {
                self.item_similarity(a, b)
            });
        }
        ranked.truncate(query.k);
        ranked
    }

    /// The content query vector, when the content model takes part.
    fn content_query(&self, context: &Context, model: Model) -> Option<Vec<(u32, f32)>> {
        if !matches!(model, Model::Content | Model::Hybrid) {
            return None;
        }
        Some(match context {
            Context::History(h) => self.content.profile(&h.items),
            Context::Item(i) => self.content.item_query(*i),
        })
    }

    /// The blended scores, and the similar shoppers when user-kNN took part
    /// (kept for the explanations).
    fn blend(
        &self,
        context: &Context,
        content_query: Option<&[(u32, f32)]>,
        query: &Query,
        allowed: &[bool],
    ) -> (Vec<f32>, Vec<(u32, f32)>) {
        let n = self.catalogue.len();
        let weights = query
            .weights
            .as_ref()
            .unwrap_or(&self.config.hybrid.weights);
        let w = match query.model {
            Model::Hybrid => weights.clone(),
            single => BlendWeights::only(single),
        };
        let (w_knn, w_content, w_seq, w_pop) = (w.item_knn, w.content, w.sequential, w.popular);
        let mut total = vec![0f32; n];
        let mut part = vec![0f32; n];
        if let (true, Some(knn)) = (w_knn > 0.0, &self.item_knn) {
            knn.score_history(&context.items(), &mut part);
            add_normalised(&mut total, &mut part, w_knn, allowed);
        }
        // The similar shoppers found here also explain the results.
        let mut shoppers = Vec::new();
        if let (true, Some(users)) = (w.user_knn > 0.0, &self.user_knn) {
            shoppers = users.score_history(&context.items(), &mut part);
            add_normalised(&mut total, &mut part, w.user_knn, allowed);
        }
        if let (true, Some(seq)) = (w_seq > 0.0, &self.sequential) {
            seq.score(&self.sequential_query(seq, context), &mut part);
            add_normalised(&mut total, &mut part, w_seq, allowed);
        }
        if let (true, Some(q)) = (w_content > 0.0, content_query) {
            self.content.score_query(q, &mut part);
            add_normalised(&mut total, &mut part, w_content, allowed);
        }
        if w_pop > 0.0 {
            part.copy_from_slice(self.popularity.scores());
            add_normalised(&mut total, &mut part, w_pop, allowed);
        }
        (total, shoppers)
    }

    /// The weighted items the sequential model starts from.
    fn sequential_query(&self, seq: &Sequential, context: &Context) -> Vec<(u32, f32)> {
        match context {
            Context::History(h) => seq.query_weights(&h.recent, &h.items),
            Context::Item(i) => vec![(*i, 1.0)],
        }
    }

    /// Appends items in popularity order until `ranked` holds `k` items.
    fn fill_from_popularity(&self, ranked: &mut Vec<Scored>, k: usize, allowed: &[bool]) {
        if ranked.len() >= k {
            return;
        }
        let mut present = vec![false; allowed.len()];
        ranked.iter().for_each(|&(i, _)| present[i as usize] = true);
        for &i in self.popularity.order() {
            if ranked.len() >= k {
                break;
            }
            if allowed[i as usize] && !present[i as usize] {
                ranked.push((i, 0.0));
            }
        }
    }

    /// Similarity used by diversity re-ranking: content cosine, or item-kNN
    /// similarity scaled by the item's strongest link when items have no
    /// content features.
    fn item_similarity(&self, a: u32, b: u32) -> f32 {
        if self.content.feature_count() > 0 {
            return self.content.similarity(a, b);
        }
        self.item_knn.as_ref().map_or(0.0, |knn| {
            let top = knn.neighbours(a).1.iter().copied().fold(0.0, f32::max);
            if top > 0.0 {
                knn.similarity(a, b) / top
            } else {
                0.0
            }
        })
    }

    fn explain(
        &self,
        context: &Context,
        content_query: Option<&[(u32, f32)]>,
        shoppers: &[(u32, f32)],
        item: u32,
        query: &Query,
    ) -> Vec<Reason> {
        let mut reasons = Vec::new();
        let model = query.model;
        let weights = query
            .weights
            .as_ref()
            .unwrap_or(&self.config.hybrid.weights);
        let uses = |m: Model, w: f32| model == m || model == Model::Hybrid && w > 0.0;
        if let (Some(knn), true) = (&self.item_knn, uses(Model::ItemKnn, weights.item_knn)) {
            let because = knn.explain(&context.items(), item, 3);
            reasons.extend(because.into_iter().map(|(i, w)| Reason::AlsoInteracted {
                item: self.catalogue.id(i).to_string(),
                weight: w,
            }));
        }
        if let Some(users) = &self.user_knn {
            let count = users.supporters(shoppers, item);
            if count > 0 {
                reasons.push(Reason::SimilarShoppers { count });
            }
        }
        if let (Some(seq), true) = (
            &self.sequential,
            uses(Model::Sequential, weights.sequential),
        ) {
            let after = seq.explain(&self.sequential_query(seq, context), item, 2);
            reasons.extend(after.into_iter().map(|(i, w)| Reason::ChosenAfter {
                item: self.catalogue.id(i).to_string(),
                weight: w,
            }));
        }
        if let Some(q) = content_query {
            reasons.extend(self.shared_reasons(q, item));
        }
        let pop = self.popularity.scores()[item as usize];
        if pop > 0.0 && (model == Model::Popular || reasons.is_empty()) {
            reasons.push(Reason::Popular { score: pop });
        }
        reasons
    }
}

impl Recommender {
    /// The features `item` shares with the content query, as reasons.
    fn shared_reasons(&self, query: &[(u32, f32)], item: u32) -> Vec<Reason> {
        self.content
            .explain(query, item, 3)
            .into_iter()
            .map(|s| {
                // A numeric match is shown with the item's own value ("price
                // 89.5"), not the bucket range that happened to overlap.
                let value = match (&self.catalogue.fields()[s.field_index].values, s.role) {
                    (FieldValues::Numeric(v), Role::Numeric) => {
                        v[item as usize].map_or(s.value, |x| format!("{x}"))
                    }
                    _ => s.value,
                };
                Reason::SharedFeature {
                    field: s.field,
                    value,
                    weight: s.weight,
                }
            })
            .collect()
    }
}

/// `total += w · part / max(part over allowed items)`, then clears `part`.
fn add_normalised(total: &mut [f32], part: &mut [f32], w: f32, allowed: &[bool]) {
    let max = part
        .iter()
        .zip(allowed)
        .filter(|(_, &a)| a)
        .map(|(&s, _)| s)
        .fold(0.0f32, f32::max);
    if max > 0.0 {
        let scale = w / max;
        for (t, &p) in total.iter_mut().zip(part.iter()) {
            if p > 0.0 {
                *t += scale * p;
            }
        }
    }
    part.iter_mut().for_each(|p| *p = 0.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_and_blend_by_hand() {
        // part = (2, 4, 0): max over allowed items (all) = 4;
        // w = 0.5 → total += (0.25, 0.5, 0).
        let mut total = vec![0.0, 0.0, 1.0];
        let mut part = vec![2.0, 4.0, 0.0];
        add_normalised(&mut total, &mut part, 0.5, &[true; 3]);
        assert_eq!(total, [0.25, 0.5, 1.0]);
        assert_eq!(part, [0.0; 3]);
        // The max is taken over allowed items only: item 1 excluded → max 2.
        let mut total = vec![0.0; 3];
        let mut part = vec![2.0, 4.0, 1.0];
        add_normalised(&mut total, &mut part, 1.0, &[true, false, true]);
        assert_eq!(total, [1.0, 2.0, 0.5]);
    }

    #[test]
    fn model_names_parse() {
        assert_eq!("item-knn".parse::<Model>().unwrap(), Model::ItemKnn);
        let e = "svd".parse::<Model>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "config model: unknown model \"svd\"; accepted: popular, content, item-knn, user-knn, sequential, hybrid"
        );
    }
}
