//! The whole configuration, as one JSON document (`--config cfg.json` in
//! the CLI, an options object in the browser). Every section and field is
//! optional; see each section's type for its defaults.
//!
//! ```json
//! {
//!   "catalogue": {"fields": {"colour": {"role": "categorical", "weight": 0.4}}},
//!   "content": {"textWeighting": "bm25"},
//!   "interactions": {"transform": "log1p", "eventWeights": {"view": 1, "cart": 3, "purchase": 5}},
//!   "itemKnn": {"similarity": "bm25", "neighbours": 20, "shrinkage": 20},
//!   "ease": {"lambda": 500, "neighbours": 100},
//!   "als": {"factors": 64, "regularization": 10, "alpha": 1, "iterations": 15},
//!   "popularity": {"halfLifeDays": 30},
//!   "hybrid": {"weights": {"ease": 1, "itemKnn": 0, "als": 0, "content": 0.05, "popular": 0.02, "sequential": 0.3, "userKnn": 0.1}},
//!   "history": {"halfLifeDays": 7},
//!   "privacy": {"minSupport": 5, "maxItemsPerShopper": 200, "epsilon": 2}
//! }
//! ```

use serde::{Deserialize, Serialize};

use crate::data::catalogue::CatalogueConfig;
use crate::data::history::HistoryConfig;
use crate::data::interactions::InteractionConfig;
use crate::error::{Error, Result};
use crate::models::als::AlsConfig;
use crate::models::content::ContentConfig;
use crate::models::ease::EaseConfig;
use crate::models::item_knn::ItemKnnConfig;
use crate::models::popularity::PopularityConfig;
use crate::models::sequential::SequentialConfig;
use crate::models::user_knn::UserKnnConfig;
use crate::models::HybridConfig;
use crate::privacy::PrivacyConfig;

/// All options of pocketrec.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Config {
    /// Field roles and weights.
    pub catalogue: CatalogueConfig,
    /// Content model.
    pub content: ContentConfig,
    /// Interaction reading and weighting.
    pub interactions: InteractionConfig,
    /// Item-kNN model.
    pub item_knn: ItemKnnConfig,
    /// Popularity model.
    pub popularity: PopularityConfig,
    /// Sequential model.
    pub sequential: SequentialConfig,
    /// User-kNN model.
    pub user_knn: UserKnnConfig,
    /// EASE model.
    pub ease: EaseConfig,
    /// ALS model.
    pub als: AlsConfig,
    /// Blending.
    pub hybrid: HybridConfig,
    /// History weighting defaults.
    pub history: HistoryConfig,
    /// Privacy rules of a published model index (`pocketrec build`).
    pub privacy: PrivacyConfig,
}

impl Config {
    /// Parses and checks a JSON config. Unknown keys are errors (a typo
    /// should not be silently ignored).
    ///
    /// # Errors
    /// [`Error::Json`] with line and column (including unknown keys, with
    /// the accepted ones listed, and values of the wrong type, both with
    /// their JSON path, e.g. `$.itemKnn.neighbors`);
    /// [`Error::InvalidConfig`] for a value out of range.
    pub fn from_json(text: impl AsRef<[u8]>) -> Result<CheckedConfig> {
        let text = crate::data::strip_bom(text.as_ref());
        let config: Config = serde_json::from_slice(text).map_err(|e| {
            let mut error = Error::json("config", &e);
            // Well-formed JSON of the wrong shape: say which value.
            if let (Error::Json { message, .. }, serde_json::error::Category::Data) =
                (&mut error, e.classify())
            {
                let path = crate::data::json_path::path_at(text, e.line(), e.column());
                *message = format!("{path}: {message}");
            }
            error
        })?;
        config.check()
    }

    /// Checks every option once, into the type the layers below trust.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the first bad option.
    pub fn check(self) -> Result<CheckedConfig> {
        self.validate()?;
        Ok(CheckedConfig(self))
    }

    /// Checks every section.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the first bad option.
    pub fn validate(&self) -> Result<()> {
        self.catalogue.validate()?;
        self.content.validate()?;
        self.interactions.validate()?;
        self.item_knn.validate()?;
        self.popularity.validate()?;
        self.sequential.validate()?;
        self.user_knn.validate()?;
        self.ease.validate()?;
        self.als.validate()?;
        self.history.validate()?;
        self.privacy.validate()?;
        self.hybrid.validate()
    }
}

/// A [`Config`] whose every option has been checked ([`Config::check`]).
/// The fit pipeline and the models take this and never check again.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CheckedConfig(Config);

impl CheckedConfig {
    /// The options.
    pub fn get(&self) -> &Config {
        &self.0
    }

    /// The options, to change them (they must then be checked again).
    pub fn into_inner(self) -> Config {
        self.0
    }
}

impl std::ops::Deref for CheckedConfig {
    type Target = Config;

    fn deref(&self) -> &Config {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_object_gives_defaults() {
        assert_eq!(*Config::from_json("{}").unwrap(), Config::default());
        // A byte-order mark (some Windows editors write one) is not an error.
        assert_eq!(*Config::from_json("\u{feff}{}").unwrap(), Config::default());
    }

    #[test]
    fn typos_and_bad_values_are_reported() {
        let e = Config::from_json(r#"{"itemKnn": {"neighbors": 5}}"#).unwrap_err();
        assert!(e.to_string().starts_with("config: invalid JSON at line 1, column 24: $.itemKnn.neighbors: unknown field `neighbors`, expected one of"), "{e}");
        let e = Config::from_json(r#"{"hybrid": {"weights": {"content": "lots"}}}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("$.hybrid.weights.content: invalid type: string \"lots\", expected"),
            "{e}"
        );
        let e = Config::from_json(r#"{"itemKnn": {"similarity": "dice"}}"#).unwrap_err();
        assert!(
            e.to_string().contains(
                "unknown variant `dice`, expected one of `cosine`, `tfidf`, `bm25`, `jaccard`, `pearson`"
            ),
            "{e}"
        );
        let e = Config::from_json(r#"{"hybrid": {"weights": {"content": -1}}}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "config hybrid.weights.content: must be a finite number ≥ 0, got -1"
        );
    }
}
