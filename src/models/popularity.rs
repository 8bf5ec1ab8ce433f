//! Popularity: the cold-start answer, the "trending" list and a baseline.
//!
//! `pop(i) = Σ_u decay(t_ui)` over the users who interacted with `i`, where
//! `t_ui` is the latest time `u` did so and, with a half-life `h`,
//! `decay(t) = 0.5^((t_max − t)/h)` relative to the latest timestamp in the
//! data (pairs without a timestamp count fully). Without a half-life
//! (default) every user counts 1: the number of distinct users, which a
//! single customer ordering thousands cannot inflate.

use serde::{Deserialize, Serialize};

use crate::data::catalogue::Catalogue;
use crate::data::history::half_life_decay;
use crate::data::interactions::UserItems;
use crate::error::{check_half_life, Result};
use crate::models::{Evidence, Model, QueryContext, Reason, Scorer};
use crate::privacy::Protection;

/// Options of the popularity model.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct PopularityConfig {
    /// Half-life of the time decay in days (> 0). Default none: no decay.
    pub half_life_days: Option<f64>,
}

impl PopularityConfig {
    /// Checks the half-life.
    ///
    /// # Errors
    /// [`crate::Error::InvalidConfig`] for a half-life that is not > 0.
    pub fn validate(&self) -> Result<()> {
        check_half_life("popularity.halfLifeDays", self.half_life_days)
    }
}

/// Fitted popularity scores and the resulting item order.
#[derive(Debug, Clone)]
pub struct Popularity {
    scores: Vec<f32>,
    /// Items by descending score, ties by index.
    order: Vec<u32>,
}

impl Popularity {
    /// Counts (decayed) users per item.
    ///
    /// The config is trusted: it comes from a [`crate::config::CheckedConfig`].
    pub fn fit(user_items: &UserItems, config: &PopularityConfig) -> Popularity {
        Popularity::fit_protected(user_items, config, &Protection::none())
    }

    /// [`Popularity::fit`] for a published index: with differential privacy
    /// each score gets its Laplace noise (see [`crate::privacy`]).
    pub fn fit_protected(
        user_items: &UserItems,
        config: &PopularityConfig,
        rules: &Protection,
    ) -> Popularity {
        debug_assert!(config.validate().is_ok(), "configs are checked at the edge");
        let n = user_items.matrix.cols();
        let latest = user_items.last_seen.iter().flatten().copied().max();
        let mut scores = vec![0f32; n];
        for u in 0..user_items.matrix.rows() {
            for (i, _, t) in user_items.history(u) {
                let decay = match (config.half_life_days, t, latest) {
                    (Some(h), Some(t), Some(latest)) => half_life_decay(latest, t, h) as f32,
                    _ => 1.0,
                };
                scores[i as usize] += decay;
            }
        }
        if rules.is_noisy() {
            for (i, s) in scores.iter_mut().enumerate() {
                *s = rules.popularity(i as u32, *s as f64) as f32;
            }
        }
        Popularity::from_scores(scores)
    }

    /// Popularity from given scores (all zero for a catalogue without interactions).
    pub fn from_scores(scores: Vec<f32>) -> Popularity {
        let mut order: Vec<u32> = (0..scores.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            scores[b as usize]
                .total_cmp(&scores[a as usize])
                .then(a.cmp(&b))
        });
        Popularity { scores, order }
    }

    /// Popularity known for the first ranks only (a model index opened in
    /// part): `ranked` in popularity order; every other item scores 0 and
    /// follows them, by index.
    pub fn from_ranked(n: usize, ranked: &[(u32, f32)]) -> Popularity {
        let mut scores = vec![0f32; n];
        let mut known = vec![false; n];
        let mut order = Vec::with_capacity(n);
        for &(i, s) in ranked {
            scores[i as usize] = s;
            known[i as usize] = true;
            order.push(i);
        }
        order.extend((0..n as u32).filter(|&i| !known[i as usize]));
        Popularity { scores, order }
    }

    /// Score of every item.
    pub fn scores(&self) -> &[f32] {
        &self.scores
    }

    /// Items from most to least popular (ties by index).
    pub fn order(&self) -> &[u32] {
        &self.order
    }
}

impl Scorer for Popularity {
    fn kind(&self) -> Model {
        Model::Popular
    }

    /// The popularity scores themselves.
    fn score(&self, _: &QueryContext, out: &mut [f32]) -> Evidence {
        out.iter_mut().zip(&self.scores).for_each(|(o, s)| *o += s);
        Evidence::default()
    }

    /// The item's popularity, when it has any.
    fn explain(&self, _: &QueryContext, _: &Evidence, item: u32, _: &Catalogue) -> Vec<Reason> {
        let score = self.scores[item as usize];
        if score > 0.0 {
            vec![Reason::Popular { score }]
        } else {
            Vec::new()
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::interactions::{Interactions, WeightTransform};

    #[test]
    fn counts_users_not_quantities() {
        let mut log = Interactions::new(3);
        log.push("a", 0, 1000.0, Some(0)).unwrap();
        log.push("b", 1, 1.0, Some(0)).unwrap();
        log.push("c", 1, 1.0, Some(0)).unwrap();
        let p = Popularity::fit(
            &log.aggregate(WeightTransform::Raw),
            &PopularityConfig::default(),
        );
        assert_eq!(p.scores(), &[1.0, 2.0, 0.0]);
        assert_eq!(p.order(), &[1, 0, 2]);
    }

    #[test]
    fn decay_halves_per_half_life() {
        let day = 86_400;
        let mut log = Interactions::new(2);
        log.push("a", 0, 1.0, Some(0)).unwrap();
        log.push("b", 1, 1.0, Some(2 * day)).unwrap();
        let config = PopularityConfig {
            half_life_days: Some(1.0),
        };
        let p = Popularity::fit(&log.aggregate(WeightTransform::Binary), &config);
        // Item 0 is two half-lives older than the latest event: 0.25.
        assert_eq!(p.scores(), &[0.25, 1.0]);
        let bad = PopularityConfig {
            half_life_days: Some(0.0),
        };
        assert_eq!(bad.validate().unwrap_err().code(), "invalid_config");
    }
}
