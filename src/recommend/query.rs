//! The options of one query, checked once at the edge into [`CheckedQuery`].

use serde::{Deserialize, Serialize};

use crate::error::{check_half_life, Error, Result};
use crate::limits;
use crate::models::{BlendWeights, HybridConfig, Model};
use crate::recommend::filter::Filter;

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

    /// Checks every option once, into the type the recommender trusts.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the bad option.
    pub fn check(self) -> Result<CheckedQuery> {
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
        self.filter.validate()?;
        Ok(CheckedQuery(self))
    }
}

/// A [`Query`] whose options have been checked ([`Query::check`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedQuery(Query);

impl CheckedQuery {
    /// The same query for another model (a checked query stays checked).
    pub fn with_model(&self, model: Model) -> CheckedQuery {
        CheckedQuery(Query {
            model,
            ..self.0.clone()
        })
    }

    /// The same query with explanations on or off.
    pub fn with_explain(&self, explain: bool) -> CheckedQuery {
        CheckedQuery(Query {
            explain,
            ..self.0.clone()
        })
    }
}

impl std::ops::Deref for CheckedQuery {
    type Target = Query;

    fn deref(&self) -> &Query {
        &self.0
    }
}
