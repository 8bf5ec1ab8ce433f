//! The models: each is fitted once from the data and then scores queries.
//!
//! * [`content`]: catalogue features (BM25 / IDF), cosine similarity;
//! * [`item_knn`]: "customers also bought", item–item neighbours;
//! * [`user_knn`]: "shoppers like you", user–user neighbours;
//! * [`sequential`]: "customers then chose", successor lists;
//! * [`popularity`]: distinct shoppers per item, optionally decayed.

pub mod content;
pub mod item_knn;
pub mod neighbours;
pub mod popularity;
pub mod sequential;
pub mod user_knn;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Which model answers a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Model {
    /// Most popular items.
    Popular,
    /// Content similarity only.
    Content,
    /// Item-based collaborative filtering only.
    #[serde(alias = "item-knn")]
    ItemKnn,
    /// What shoppers choose next (see [`crate::models::sequential`]) only.
    Sequential,
    /// User-based collaborative filtering (see [`crate::models::user_knn`]) only.
    #[serde(alias = "user-knn")]
    UserKnn,
    /// The blend of all three (default).
    #[default]
    Hybrid,
}

impl Model {
    /// The model's name on the command line: `popular`, `content`, `item-knn`, `hybrid`.
    pub fn name(self) -> &'static str {
        match self {
            Model::Popular => "popular",
            Model::Content => "content",
            Model::ItemKnn => "item-knn",
            Model::Sequential => "sequential",
            Model::UserKnn => "user-knn",
            Model::Hybrid => "hybrid",
        }
    }
}

impl std::str::FromStr for Model {
    type Err = Error;

    fn from_str(s: &str) -> Result<Model> {
        match s {
            "popular" => Ok(Model::Popular),
            "content" => Ok(Model::Content),
            "item-knn" | "itemKnn" => Ok(Model::ItemKnn),
            "sequential" => Ok(Model::Sequential),
            "user-knn" | "userKnn" => Ok(Model::UserKnn),
            "hybrid" => Ok(Model::Hybrid),
            _ => Err(Error::config(
                "model",
                format!(
                    "unknown model {s:?}; accepted: popular, content, item-knn, user-knn, sequential, hybrid"
                ),
            )),
        }
    }
}

/// Blend weights (each ≥ 0).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct BlendWeights {
    /// Item-kNN weight. Default 1.
    pub item_knn: f32,
    /// Content weight. Default 0.6.
    pub content: f32,
    /// Popularity weight. Default 0.05.
    pub popular: f32,
    /// Sequential ("chosen next") weight. Default 0.5.
    pub sequential: f32,
    /// User-kNN ("shoppers like you") weight. Default 0.5.
    pub user_knn: f32,
}

impl BlendWeights {
    /// Weight 1 for one model and 0 for the rest (all zero for `Hybrid`).
    pub fn only(model: Model) -> BlendWeights {
        let mut w = BlendWeights {
            item_knn: 0.0,
            content: 0.0,
            popular: 0.0,
            sequential: 0.0,
            user_knn: 0.0,
        };
        match model {
            Model::Popular => w.popular = 1.0,
            Model::Content => w.content = 1.0,
            Model::ItemKnn => w.item_knn = 1.0,
            Model::Sequential => w.sequential = 1.0,
            Model::UserKnn => w.user_knn = 1.0,
            Model::Hybrid => {}
        }
        w
    }
}

impl Default for BlendWeights {
    fn default() -> Self {
        BlendWeights {
            item_knn: 1.0,
            content: 0.6,
            popular: 0.05,
            sequential: 0.5,
            user_knn: 0.5,
        }
    }
}

/// Options of the hybrid blend.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct HybridConfig {
    /// Weights of the normalised model scores.
    pub weights: BlendWeights,
}

impl HybridConfig {
    /// Checks the weights.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for a negative or non-finite weight.
    pub fn validate(&self) -> Result<()> {
        let w = &self.weights;
        for (name, v) in [
            ("itemKnn", w.item_knn),
            ("sequential", w.sequential),
            ("userKnn", w.user_knn),
            ("content", w.content),
            ("popular", w.popular),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::config(
                    format!("hybrid.weights.{name}"),
                    format!("must be a finite number ≥ 0, got {v}"),
                ));
            }
        }
        Ok(())
    }
}
