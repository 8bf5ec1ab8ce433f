//! The privacy rules of a published model index ([`crate::index`]): what a
//! shop's aggregates must satisfy before they leave the shop.
//!
//! A model index holds item-level aggregates only, but aggregates can still
//! betray one shopper: a pair of items that only one shopper combined tells
//! whoever knows one of their purchases about the other. Three rules, all
//! applied while the models are fitted (see
//! [`crate::recommend::fit::FitPlan::protected`]):
//!
//! 1. **Contribution cap.** Each shopper contributes at most
//!    `maxItemsPerShopper` distinct items (default 200): their latest (by
//!    timestamp, then by position in the log). One heavy shopper thus
//!    touches at most `L(L − 1)/2` item pairs, with `L` the cap.
//! 2. **Minimum support.** A link `i → j` (item-kNN's "also bought",
//!    sequential's "chosen next") is published only when at least
//!    `minSupport` distinct shoppers support it (default 5; 1 turns the
//!    rule off). Popularity counts distinct shoppers, so one shopper adds
//!    at most 1 to an item.
//! 3. **Differential privacy** (optional, `epsilon`): every released count
//!    gets Laplace noise of scale `Δ/ε'`, and a link is released only when
//!    its noisy count reaches `τ = (Δ/ε')·ln(1/(2δ')) + Δ` (the Laplace
//!    threshold rule). `Δ` is the most counts one shopper can change: `L`
//!    for popularity, `L(L − 1)/2` for a pair model. The budget is split
//!    evenly: `ε' = ε / m` over the `m` released parts (popularity and each
//!    pair model fitted) and `δ' = δ / p` over the `p` pair models, so the
//!    whole index is (ε, δ)-differentially private by basic composition.
//!    Link strengths are then computed from the noisy counts only (see
//!    [`Protection::strength`]), never from the raw log.
//!
//! The noise comes from a seeded generator. Its seed is secret: it is
//! never written to the index (whoever knows it can subtract the noise).
//! Without `noiseSeed` the caller draws one from the operating system.

use std::cell::Cell;

use serde::{Deserialize, Serialize};

use crate::data::interactions::Interactions;
use crate::error::{Error, Result};

/// The privacy options (the config's `privacy` section). Applied when a
/// model index is built; a live fit on the shopper's own device ignores them.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Fewest distinct shoppers behind a published link (≥ 1; 1 turns the
    /// rule off). Default 5.
    pub min_support: u32,
    /// Most distinct items one shopper contributes, their latest (1–100,000).
    /// Default 200.
    pub max_items_per_shopper: usize,
    /// Differential privacy's ε (> 0, at most 100). Default none: no noise.
    pub epsilon: Option<f64>,
    /// Differential privacy's δ (in (0, 0.1)). Default 1e-6.
    pub delta: f64,
    /// Seed of the noise. Keep it secret; it is never written to the index.
    /// Default none: the caller draws one from the operating system.
    #[serde(skip_serializing)]
    pub noise_seed: Option<u64>,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig {
            min_support: 5,
            max_items_per_shopper: 200,
            epsilon: None,
            delta: 1e-6,
            noise_seed: None,
        }
    }
}

impl PrivacyConfig {
    /// Checks every option's range.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the option, the value and the range.
    pub fn validate(&self) -> Result<()> {
        if self.min_support == 0 {
            return Err(Error::config(
                "privacy.minSupport",
                "must be ≥ 1 (1 turns the rule off), got 0",
            ));
        }
        if !(1..=100_000).contains(&self.max_items_per_shopper) {
            return Err(Error::config(
                "privacy.maxItemsPerShopper",
                format!(
                    "must be between 1 and 100000, got {}",
                    self.max_items_per_shopper
                ),
            ));
        }
        if let Some(e) = self
            .epsilon
            .filter(|e| !(e.is_finite() && *e > 0.0 && *e <= 100.0))
        {
            return Err(Error::config(
                "privacy.epsilon",
                format!("must be a number in (0, 100], got {e}"),
            ));
        }
        if !(self.delta > 0.0 && self.delta < 0.1) {
            return Err(Error::config(
                "privacy.delta",
                format!("must be in (0, 0.1), got {}", self.delta),
            ));
        }
        Ok(())
    }

    /// The rules for one fit in which `pair_models` link models (item-kNN,
    /// sequential) are released besides popularity; `seed` is the noise
    /// seed (used only with `epsilon`).
    pub fn protection(&self, pair_models: usize, seed: u64) -> Protection {
        let cap = self.max_items_per_shopper as f64;
        let noise = self.epsilon.map(|epsilon| {
            let parts = (pair_models + 1) as f64;
            let epsilon = epsilon / parts;
            let delta = self.delta / pair_models.max(1) as f64;
            let pair_sensitivity = (cap * (cap - 1.0) / 2.0).max(1.0);
            Noise {
                seed,
                popularity_scale: cap / epsilon,
                pair_scale: pair_sensitivity / epsilon,
                threshold: pair_sensitivity / epsilon * (1.0 / (2.0 * delta)).ln()
                    + pair_sensitivity,
            }
        });
        Protection {
            min_support: self.min_support,
            max_items: self.max_items_per_shopper,
            noise,
            suppressed: Cell::new([0; 4]),
        }
    }
}

/// The calibrated noise of differential privacy.
#[derive(Debug, Clone, PartialEq)]
pub struct Noise {
    seed: u64,
    /// Laplace scale of a popularity count, `L/ε'`.
    pub popularity_scale: f64,
    /// Laplace scale of a link count, `Δ/ε'`.
    pub pair_scale: f64,
    /// Release threshold τ of a noisy link count.
    pub threshold: f64,
}

/// The rules of [`PrivacyConfig`] ready to apply during one fit, counting
/// the links they suppress.
#[derive(Debug)]
pub struct Protection {
    /// Fewest distinct shoppers behind a link.
    pub min_support: u32,
    /// Most items per shopper.
    pub max_items: usize,
    /// Differential privacy's noise, if on.
    pub noise: Option<Noise>,
    suppressed: Cell<[usize; 4]>,
}

/// Which released count a noise draw belongs to, so two parts never share
/// one draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Popularity of an item.
    Popularity = 1,
    /// Item-kNN's unordered pair (drawn once for both directions).
    ItemPair = 2,
    /// The sequential model's ordered pair.
    Successor = 3,
}

impl Protection {
    /// No rule at all (a live fit).
    pub fn none() -> Protection {
        Protection {
            min_support: 1,
            max_items: usize::MAX,
            noise: None,
            suppressed: Cell::new([0; 4]),
        }
    }

    /// The count of link `(i, j)` to publish, given `support` distinct
    /// shoppers: `None` when the rules suppress the link (too few
    /// shoppers, or a noisy count under the threshold), else the count
    /// (noisy with differential privacy). Item pairs are unordered: pass
    /// [`Part::ItemPair`] and the same draw serves `(i, j)` and `(j, i)`.
    pub fn link(&self, part: Part, i: u32, j: u32, support: u32) -> Option<f64> {
        let released = self.released(part, i, j, support);
        if released.is_none() {
            let mut counts = self.suppressed.get();
            counts[part as usize] += 1;
            self.suppressed.set(counts);
        }
        released
    }

    /// As [`Protection::link`], without counting a suppressed link (EASE
    /// reads the pairs item-kNN's lists already counted).
    pub fn released(&self, part: Part, i: u32, j: u32, support: u32) -> Option<f64> {
        if support < self.min_support {
            None
        } else if let Some(noise) = &self.noise {
            let (a, b) = match part {
                Part::ItemPair => (i.min(j), i.max(j)),
                _ => (i, j),
            };
            let noisy = support as f64 + laplace(noise.seed, part, a, b, noise.pair_scale);
            (noisy >= noise.threshold).then_some(noisy)
        } else {
            Some(support as f64)
        }
    }

    /// A popularity count to publish: noisy (never below 0) with
    /// differential privacy, else as it is.
    pub fn popularity(&self, item: u32, count: f64) -> f64 {
        match &self.noise {
            Some(noise) => (count
                + laplace(
                    noise.seed,
                    Part::Popularity,
                    item,
                    0,
                    noise.popularity_scale,
                ))
            .max(0.0),
            None => count,
        }
    }

    /// True when link strengths must come from noisy counts only.
    pub fn is_noisy(&self) -> bool {
        self.noise.is_some()
    }

    /// A link's strength from published counts only (differential privacy):
    /// `c_ij / √(c_i · c_j)`, the cosine of the two items' shopper sets,
    /// with `c_i` the published popularity (floored at 1).
    pub fn strength(count: f64, pop_i: f64, pop_j: f64) -> f32 {
        (count / (pop_i.max(1.0) * pop_j.max(1.0)).sqrt()) as f32
    }

    /// Links of one part suppressed so far (both directions of an item
    /// pair count).
    pub fn suppressed_by(&self, part: Part) -> usize {
        self.suppressed.get()[part as usize]
    }

    /// Each shopper's rows on their latest `max_items` distinct items (by
    /// latest timestamp, then by latest position in the log); with the
    /// number of shoppers whose rows were cut and of rows dropped.
    pub fn cap(&self, log: &Interactions) -> (Interactions, usize, usize) {
        let rows = log.len();
        // Per user: each distinct item with its latest (timestamp, row).
        let mut latest: Vec<Vec<(u32, Option<i64>, usize)>> = vec![Vec::new(); log.user_count()];
        for r in 0..rows {
            let (u, i, _, t) = log.row(r);
            latest[u as usize].push((i, t, r));
        }
        let mut keep = vec![true; rows];
        let mut capped = 0;
        for entries in &mut latest {
            entries.sort_unstable_by_key(|&(i, t, r)| (i, t, r));
            // The last entry of each item is its latest (timestamps sort
            // `None` first, then rows in order).
            let mut items: Vec<(Option<i64>, usize, u32)> = Vec::new();
            for (k, &(i, t, r)) in entries.iter().enumerate() {
                if entries.get(k + 1).is_none_or(|next| next.0 != i) {
                    items.push((t, r, i));
                }
            }
            if items.len() <= self.max_items {
                continue;
            }
            capped += 1;
            items.sort_unstable();
            let dropped: Vec<u32> = {
                let mut d: Vec<u32> = items[..items.len() - self.max_items]
                    .iter()
                    .map(|e| e.2)
                    .collect();
                d.sort_unstable();
                d
            };
            for &(i, _, r) in entries.iter() {
                if dropped.binary_search(&i).is_ok() {
                    keep[r] = false;
                }
            }
        }
        let kept: Vec<usize> = (0..rows).filter(|&r| keep[r]).collect();
        let dropped = rows - kept.len();
        (log.select(&kept), capped, dropped)
    }
}

/// A Laplace draw of scale `b` for one released count, from the secret
/// seed and the count's key, so each count has its own draw and a rebuild
/// with the same seed draws the same noise.
///
/// Inverse CDF: `u` uniform in (−½, ½), `x = −b·sgn(u)·ln(1 − 2|u|)`.
fn laplace(seed: u64, part: Part, a: u32, b: u32, scale: f64) -> f64 {
    let key = ((a as u64) << 32 | b as u64) ^ ((part as u64) << 61);
    let mut rng = fastrand::Rng::with_seed(seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    // f64() is in [0, 1); keep 1 − 2|u| away from 0.
    let u = rng.f64() - 0.5;
    let tail = (1.0 - 2.0 * u.abs()).max(f64::MIN_POSITIVE);
    -scale * u.signum() * tail.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bad_values() {
        assert!(PrivacyConfig::default().validate().is_ok());
        let e = PrivacyConfig {
            min_support: 0,
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "config privacy.minSupport: must be ≥ 1 (1 turns the rule off), got 0"
        );
        let e = PrivacyConfig {
            epsilon: Some(-1.0),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert!(e.to_string().contains("privacy.epsilon"), "{e}");
    }

    #[test]
    fn minimum_support_suppresses_and_counts() {
        let p = PrivacyConfig::default().protection(1, 0);
        assert_eq!(p.link(Part::ItemPair, 0, 1, 4), None);
        assert_eq!(p.link(Part::ItemPair, 0, 1, 5), Some(5.0));
        assert_eq!(p.suppressed_by(Part::ItemPair), 1);
    }

    #[test]
    fn threshold_by_hand() {
        // L = 10: Δ = 45. ε = 2 over popularity and one pair model: ε' = 1;
        // δ' = 1e-6. τ = 45·ln(1/2e-6) + 45 = 45·13.122363 + 45 = 635.506.
        let config = PrivacyConfig {
            max_items_per_shopper: 10,
            epsilon: Some(2.0),
            ..Default::default()
        };
        let noise = config.protection(1, 7).noise.unwrap();
        assert!(
            (noise.threshold - 635.506).abs() < 1e-3,
            "{}",
            noise.threshold
        );
        assert_eq!(noise.popularity_scale, 10.0);
        assert_eq!(noise.pair_scale, 45.0);
    }

    #[test]
    fn noise_is_symmetric_for_item_pairs_and_seeded() {
        let config = PrivacyConfig {
            min_support: 1,
            max_items_per_shopper: 2,
            epsilon: Some(8.0),
            ..Default::default()
        };
        let p = config.protection(1, 42);
        let a = p.link(Part::ItemPair, 3, 9, 1000);
        assert_eq!(a, p.link(Part::ItemPair, 9, 3, 1000));
        assert_ne!(a, Some(1000.0), "noise was added");
        assert_eq!(a, config.protection(1, 42).link(Part::ItemPair, 3, 9, 1000));
        assert_ne!(a, config.protection(1, 43).link(Part::ItemPair, 3, 9, 1000));
        // Laplace(b) has mean 0 and mean |x| = b.
        let draws: Vec<f64> = (0..20_000)
            .map(|i| laplace(1, Part::Successor, i, 0, 2.0))
            .collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let abs = draws.iter().map(|x| x.abs()).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.1, "{mean}");
        assert!((abs - 2.0).abs() < 0.1, "{abs}");
    }
}
