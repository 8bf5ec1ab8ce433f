//! Popularity: the cold-start answer, the "trending" list and a baseline.
//!
//! `pop(i) = Σ_u decay(t_ui)` over the users who interacted with `i`, where
//! `t_ui` is the latest time `u` did so and, with a half-life `h`,
//! `decay(t) = 0.5^((t_max − t)/h)` relative to the latest timestamp in the
//! data (pairs without a timestamp count fully). Without a half-life
//! (default) every user counts 1: the number of distinct users, which a
//! single customer ordering thousands cannot inflate.

use serde::{Deserialize, Serialize};

use crate::data::history::half_life_decay;
use crate::data::interactions::UserItems;
use crate::error::{check_half_life, Result};

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
    /// # Errors
    /// [`crate::Error::InvalidConfig`] for a bad half-life.
    pub fn fit(user_items: &UserItems, config: &PopularityConfig) -> Result<Popularity> {
        config.validate()?;
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
        Ok(Popularity::from_scores(scores))
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

    /// Score of every item.
    pub fn scores(&self) -> &[f32] {
        &self.scores
    }

    /// Items from most to least popular (ties by index).
    pub fn order(&self) -> &[u32] {
        &self.order
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
        )
        .unwrap();
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
        let p = Popularity::fit(&log.aggregate(WeightTransform::Binary), &config).unwrap();
        // Item 0 is two half-lives older than the latest event: 0.25.
        assert_eq!(p.scores(), &[0.25, 1.0]);
        let bad = PopularityConfig {
            half_life_days: Some(0.0),
        };
        assert_eq!(bad.validate().unwrap_err().code(), "invalid_config");
    }
}
