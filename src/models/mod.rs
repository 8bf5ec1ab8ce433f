//! The models: each is fitted once from the data, then scores queries
//! through one interface, [`Scorer`].
//!
//! * [`content`]: catalogue features (BM25 / IDF), cosine similarity;
//! * [`item_knn`]: "customers also bought", item–item neighbours;
//! * [`user_knn`]: "shoppers like you", user–user neighbours;
//! * [`ease`]: a linear item–item model learned in closed form (EASE);
//! * [`als`]: matrix factorisation (implicit ALS), the shopper's factors
//!   solved from their history at query time;
//! * [`sequential`]: "customers then chose", successor lists;
//! * [`popularity`]: distinct shoppers per item, optionally decayed.
//!
//! [`kind`] is the registry of their names and blend weights. A new model
//! implements [`Scorer`], registers a [`Model`] variant in [`kind`], and gets
//! an arm in the fit pipeline ([`crate::recommend::fit`]); blending,
//! explaining, evaluation, tuning, the CLI and the wasm engine then use it
//! without further change.

pub mod als;
pub mod content;
pub mod ease;
pub mod item_knn;
pub mod kind;
pub mod neighbours;
pub mod popularity;
pub mod sequential;
pub mod user_knn;

use std::any::Any;
use std::fmt::Debug;

use serde::Serialize;

use crate::data::catalogue::Catalogue;

pub use kind::{BlendWeights, HybridConfig, Model};

/// What one query starts from, built once and shared by every model, the
/// blend and the explanations.
#[derive(Debug, Clone, Copy)]
pub struct QueryContext<'a> {
    /// Weighted items the query starts from, sorted by item: the shopper's
    /// weighted history, or the query item with weight 1.
    pub items: &'a [(u32, f32)],
    /// The history's items in order, oldest first (empty when the order is
    /// unknown, and for an item query).
    pub recent: &'a [u32],
    /// The query item of "similar items" (`None` for a history).
    pub item: Option<u32>,
    /// The training user whose history this is, when it is one (the CLI and
    /// evaluation): user-kNN never counts a shopper as their own neighbour.
    pub user: Option<u32>,
}

/// What a model derived from a query and used to score it (the content
/// profile, the sequential query weights, the similar shoppers), kept so the
/// explanations need not derive it again. Pairs of (index, weight), whose
/// meaning each model documents; empty when the model needs nothing more
/// than the [`QueryContext`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence(pub Vec<(u32, f32)>);

/// The interface every model implements.
///
/// Scores are raw (each model's own scale); the blend normalises them.
/// Implementations must be deterministic and must only add to `out`.
pub trait Scorer: Debug + Send + Sync + Any {
    /// The model's registered kind.
    fn kind(&self) -> Model;

    /// Adds the model's score for every item into `out` (one slot per
    /// catalogue item) and returns the evidence it used.
    fn score(&self, query: &QueryContext, out: &mut [f32]) -> Evidence;

    /// Why `item` scored, from the query and the evidence `score` returned,
    /// strongest first.
    fn explain(
        &self,
        query: &QueryContext,
        evidence: &Evidence,
        item: u32,
        catalogue: &Catalogue,
    ) -> Vec<Reason>;

    /// The model as `Any`, so the recommender can reach a model's own
    /// methods (search uses the content model's text queries).
    fn as_any(&self) -> &dyn Any;
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
        /// Its title (its id when it has none), for display.
        title: String,
        /// Its contribution to the item-kNN score.
        weight: f32,
    },
    /// Shoppers who chose this item (in the history, or the query item)
    /// went on to choose the recommended one.
    #[serde(rename_all = "camelCase")]
    ChosenAfter {
        /// External id of that earlier item.
        item: String,
        /// Its title (its id when it has none), for display.
        title: String,
        /// Its contribution to the sequential score.
        weight: f32,
    },
    /// An item in the history that the shopper's taste, as matrix
    /// factorisation models it, most links to this one ("Because you
    /// viewed X").
    #[serde(rename_all = "camelCase")]
    BecauseYouChose {
        /// External id of that history item.
        item: String,
        /// Its title (its id when it has none), for display.
        title: String,
        /// Its contribution to the ALS score.
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

/// Reasons that name the items behind a score: `contributions` are
/// `(item, weight)`, strongest first; `reason(id, title, weight)` builds
/// each (the title falls back to the id).
pub(crate) fn naming_reasons(
    contributions: Vec<(u32, f32)>,
    catalogue: &Catalogue,
    reason: fn(String, String, f32) -> Reason,
) -> Vec<Reason> {
    contributions
        .into_iter()
        .map(|(i, weight)| {
            let id = catalogue.id(i);
            let title = catalogue.title(i).unwrap_or(id);
            reason(id.to_string(), title.to_string(), weight)
        })
        .collect()
}
