//! The model registry: every model's name, its place in the blend and its
//! blend weight. A new model registers here (a [`Model`] variant, its name,
//! its weight) and implements [`crate::models::Scorer`]; the fit pipeline
//! ([`crate::recommend::fit`]) has one arm per model.

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
    /// The closed-form linear item model EASE (see [`crate::models::ease`]) only.
    Ease,
    /// Matrix factorisation by implicit ALS (see [`crate::models::als`]) only.
    Als,
    /// The blend of all the others (default).
    #[default]
    Hybrid,
}

impl Model {
    /// The single models, in blend order: scores are added in this order
    /// and explanations listed in it (popularity last, as the fallback).
    pub const SINGLE: [Model; 7] = [
        Model::ItemKnn,
        Model::Ease,
        Model::Als,
        Model::UserKnn,
        Model::Sequential,
        Model::Content,
        Model::Popular,
    ];

    /// Whether the model is fitted on interactions (the others need only
    /// the catalogue).
    pub fn needs_interactions(self) -> bool {
        !matches!(self, Model::Content | Model::Popular | Model::Hybrid)
    }

    /// The single models a query with this model uses under `weights`:
    /// itself (every single model), or each with a positive weight (hybrid).
    pub fn components(self, weights: &BlendWeights) -> Vec<Model> {
        match self {
            Model::Hybrid => Model::SINGLE
                .into_iter()
                .filter(|&m| weights.get(m) > 0.0)
                .collect(),
            single => vec![single],
        }
    }

    /// The model's name on the command line: `popular`, `content`,
    /// `item-knn`, `user-knn`, `sequential`, `ease`, `als`, `hybrid`.
    pub fn name(self) -> &'static str {
        match self {
            Model::Popular => "popular",
            Model::Content => "content",
            Model::ItemKnn => "item-knn",
            Model::Sequential => "sequential",
            Model::UserKnn => "user-knn",
            Model::Ease => "ease",
            Model::Als => "als",
            Model::Hybrid => "hybrid",
        }
    }
}

impl Model {
    /// The model's name in a config or options object (camelCase).
    pub fn config_name(self) -> &'static str {
        match self {
            Model::ItemKnn => "itemKnn",
            Model::UserKnn => "userKnn",
            other => other.name(),
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
            "ease" => Ok(Model::Ease),
            "als" => Ok(Model::Als),
            "hybrid" => Ok(Model::Hybrid),
            _ => Err(Error::config(
                "model",
                format!(
                    "unknown model {s:?}; accepted: popular, content, item-knn, user-knn, sequential, ease, als, hybrid"
                ),
            )),
        }
    }
}

/// Blend weights (each ≥ 0).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct BlendWeights {
    /// Item-kNN weight. Default 0 (EASE does its work better).
    pub item_knn: f32,
    /// Content weight. Default 0.05.
    pub content: f32,
    /// Popularity weight. Default 0.02.
    pub popular: f32,
    /// Sequential ("chosen next") weight. Default 0.3.
    pub sequential: f32,
    /// User-kNN ("shoppers like you") weight. Default 0.1.
    pub user_knn: f32,
    /// EASE weight. Default 1.
    pub ease: f32,
    /// ALS weight. Default 0.
    pub als: f32,
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
            ease: 0.0,
            als: 0.0,
        };
        if let Some(slot) = w.slot(model) {
            *slot = 1.0;
        }
        w
    }

    /// The weight of one model (0 for `Hybrid`).
    pub fn get(&self, model: Model) -> f32 {
        match model {
            Model::Popular => self.popular,
            Model::Content => self.content,
            Model::ItemKnn => self.item_knn,
            Model::Sequential => self.sequential,
            Model::UserKnn => self.user_knn,
            Model::Ease => self.ease,
            Model::Als => self.als,
            Model::Hybrid => 0.0,
        }
    }

    /// The weight of one model, to change it (`None` for `Hybrid`).
    pub fn slot(&mut self, model: Model) -> Option<&mut f32> {
        match model {
            Model::Popular => Some(&mut self.popular),
            Model::Content => Some(&mut self.content),
            Model::ItemKnn => Some(&mut self.item_knn),
            Model::Sequential => Some(&mut self.sequential),
            Model::UserKnn => Some(&mut self.user_knn),
            Model::Ease => Some(&mut self.ease),
            Model::Als => Some(&mut self.als),
            Model::Hybrid => None,
        }
    }
}

impl Default for BlendWeights {
    fn default() -> Self {
        // Chosen across MovieLens and online-retail, random and temporal
        // splits (the best worst case, near the best mean, of the blends
        // tried; see the README). ALS adds little on top of EASE and would
        // make every page fetch all its factors, so it is off.
        BlendWeights {
            item_knn: 0.0,
            content: 0.05,
            popular: 0.02,
            sequential: 0.3,
            user_knn: 0.1,
            ease: 1.0,
            als: 0.0,
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
        for model in Model::SINGLE {
            let (name, v) = (model.config_name(), w.get(model));
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
