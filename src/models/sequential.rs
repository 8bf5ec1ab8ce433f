//! Sequential model: "shoppers who chose X went on to choose Y".
//!
//! Each user's distinct items are put in order of first interaction
//! (timestamp; rows without one keep their order in the log). For items
//! `i` and `j`, `c(i → j)` counts the users who met `j` within `window`
//! positions *after* `i`. The directed similarity is
//! `s(i → j) = c(i → j) / √(n_i · n_j)`, with `n_i` the users of `i`
//! (a cosine-style normalisation, so popular items do not swamp the
//! rest), and only the `neighbours` strongest successors of each item are
//! kept (ties by item index). This is the sequential-rules idea of session
//! recommenders (Ludewig and Jannach, 2018), kept to item pairs.
//!
//! Scoring looks at the shopper's `recentItems` latest items, newest
//! last: `score(j) = Σ_k γ^(R − 1 − k) · s(recent_k → j)`, with `γ` the
//! `recencyDecay`. A history without times weighs items by their history
//! weights instead.

use serde::{Deserialize, Serialize};

use crate::data::catalogue::Catalogue;
use crate::data::interactions::Interactions;
use crate::error::{Error, Result};
use crate::models::neighbours::{Accumulator, Neighbours};
use crate::models::{naming_reasons, Evidence, Model, QueryContext, Reason, Scorer};
use crate::privacy::{Part, Protection};

/// Options of the sequential model.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SequentialConfig {
    /// How many later items of a user count as following an item (1–1000). Default 50.
    pub window: usize,
    /// Successors kept per item (1–10,000). Default 100.
    pub neighbours: usize,
    /// How many of the shopper's latest items a query looks at (1–1000). Default 20.
    pub recent_items: usize,
    /// Weight factor per step back in the shopper's history, γ in (0, 1]. Default 0.9.
    pub recency_decay: f32,
}

impl Default for SequentialConfig {
    fn default() -> Self {
        SequentialConfig {
            window: 50,
            neighbours: 100,
            recent_items: 20,
            recency_decay: 0.9,
        }
    }
}

impl SequentialConfig {
    /// Checks every option's range.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the option, the value and the range.
    pub fn validate(&self) -> Result<()> {
        for (name, v, max) in [
            ("window", self.window, 1000),
            ("neighbours", self.neighbours, 10_000),
            ("recentItems", self.recent_items, 1000),
        ] {
            if !(1..=max).contains(&v) {
                return Err(Error::config(
                    format!("sequential.{name}"),
                    format!("must be between 1 and {max}, got {v}"),
                ));
            }
        }
        if !(self.recency_decay > 0.0 && self.recency_decay <= 1.0) {
            return Err(Error::config(
                "sequential.recencyDecay",
                format!("must be in (0, 1], got {}", self.recency_decay),
            ));
        }
        Ok(())
    }
}

/// A fitted sequential model: the strongest successors of every item.
#[derive(Debug, Clone)]
pub struct Sequential {
    /// Row `i`: `s(i → j)` for `i`'s kept successors.
    successors: Neighbours,
    config: SequentialConfig,
}

impl Sequential {
    /// Counts ordered pairs in every user's sequence. Cost O(rows · window).
    ///
    /// The config is trusted: it comes from a [`crate::config::CheckedConfig`].
    pub fn fit(log: &Interactions, config: &SequentialConfig) -> Sequential {
        Sequential::fit_protected(log, config, &Protection::none(), &[])
    }

    /// [`Sequential::fit`] under the privacy rules of a published index: a
    /// link enters a list only when `rules` release it (see
    /// [`crate::privacy`]); with differential privacy `c` is the released
    /// count and `n_i` the released `popularity`.
    pub fn fit_protected(
        log: &Interactions,
        config: &SequentialConfig,
        rules: &Protection,
        popularity: &[f32],
    ) -> Sequential {
        debug_assert!(config.validate().is_ok(), "configs are checked at the edge");
        let n = log.item_count();
        let sequences = Sequences::of(log);
        let occurrences = Occurrences::of(&sequences, n);
        // n_i: the users who chose item i (each sequence holds an item once).
        let users_of: Vec<f32> = (0..n).map(|i| occurrences.at(i).len() as f32).collect();
        let mut acc = Accumulator::new(n);
        let rows = (0..n)
            .map(|i| {
                for &(u, p) in occurrences.at(i) {
                    let seq = sequences.at(u as usize);
                    let end = (p as usize + 1 + config.window).min(seq.len());
                    for &j in &seq[p as usize + 1..end] {
                        acc.add(j, 1.0);
                    }
                }
                // s(i → j) = c(i → j) / √(n_i · n_j)
                acc.take_top_k(config.neighbours, None, |j, c, support| {
                    match rules.link(Part::Successor, i as u32, j, support) {
                        None => 0.0,
                        Some(c) if rules.is_noisy() => {
                            let (p_i, p_j) = (popularity[i], popularity[j as usize]);
                            Protection::strength(c, p_i as f64, p_j as f64)
                        }
                        Some(_) => c / (users_of[i] * users_of[j as usize]).sqrt(),
                    }
                })
            })
            .collect();
        Sequential {
            successors: Neighbours::from_rows(rows),
            config: config.clone(),
        }
    }

    /// A model from successor lists made elsewhere (a model index).
    pub fn from_successors(successors: Neighbours, config: &SequentialConfig) -> Sequential {
        Sequential {
            successors,
            config: config.clone(),
        }
    }

    /// All successor lists.
    pub fn all_successors(&self) -> &Neighbours {
        &self.successors
    }

    /// The successors of `item` and their directed similarities.
    pub fn successors(&self, item: u32) -> (&[u32], &[f32]) {
        self.successors.of(item)
    }

    /// Weights of the items a query starts from: the latest `recentItems`
    /// of `recent` (oldest first) with `γ^(steps back)`, or, when there is
    /// no order, the history weights.
    pub fn query_weights(&self, recent: &[u32], history: &[(u32, f32)]) -> Vec<(u32, f32)> {
        if recent.is_empty() {
            return history.to_vec();
        }
        let start = recent.len().saturating_sub(self.config.recent_items);
        let last = recent.len() - 1;
        recent[start..]
            .iter()
            .enumerate()
            .map(|(k, &i)| (i, self.config.recency_decay.powi((last - start - k) as i32)))
            .collect()
    }
}

impl Scorer for Sequential {
    fn kind(&self) -> Model {
        Model::Sequential
    }

    /// `Σ_i v_i · s(i → j)`, with `v` the query weights (the query item
    /// with weight 1, or [`Sequential::query_weights`] of the history),
    /// which are the evidence.
    fn score(&self, query: &QueryContext, out: &mut [f32]) -> Evidence {
        let weights = match query.item {
            Some(item) => vec![(item, 1.0)],
            None => self.query_weights(query.recent, query.items),
        };
        self.successors.score(&weights, out);
        Evidence(weights)
    }

    /// The (at most 2) query items that lead to `item` most strongly.
    fn explain(
        &self,
        _: &QueryContext,
        evidence: &Evidence,
        item: u32,
        catalogue: &Catalogue,
    ) -> Vec<Reason> {
        naming_reasons(
            self.successors.explain(&evidence.0, item, 2),
            catalogue,
            |item, title, weight| Reason::ChosenAfter {
                item,
                title,
                weight,
            },
        )
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Each user's distinct items in the order first chosen (ties by position
/// in the log), users one after another in two flat arrays: one vector per
/// user and per item cost thousands of small allocations per fit.
struct Sequences {
    /// User `u`'s sequence is `items[starts[u]..starts[u + 1]]`.
    starts: Vec<usize>,
    items: Vec<u32>,
}

impl Sequences {
    fn of(log: &Interactions) -> Sequences {
        // The log's rows grouped by user (a counting sort keeps log order).
        let starts = prefix_sums(log.user_count(), (0..log.len()).map(|r| log.row(r).0));
        let mut events = vec![(0i64, 0usize, 0u32); log.len()];
        let mut next = starts.clone();
        for r in 0..log.len() {
            let (u, i, _, t) = log.row(r);
            events[next[u as usize]] = (t.unwrap_or(i64::MIN), r, i);
            next[u as usize] += 1;
        }
        let mut out = Sequences {
            starts: vec![0],
            items: Vec::with_capacity(log.len()),
        };
        let mut user_events = Vec::new();
        for user in starts.windows(2) {
            // Keep each item's earliest event, then order by it.
            user_events.clear();
            user_events.extend_from_slice(&events[user[0]..user[1]]);
            user_events.sort_unstable_by_key(|&(t, r, i)| (i, t, r));
            user_events.dedup_by_key(|e| e.2);
            user_events.sort_unstable();
            out.items.extend(user_events.iter().map(|e| e.2));
            out.starts.push(out.items.len());
        }
        out
    }

    fn at(&self, user: usize) -> &[u32] {
        &self.items[self.starts[user]..self.starts[user + 1]]
    }

    fn users(&self) -> usize {
        self.starts.len() - 1
    }
}

/// Where each item occurs in the sequences, as (user, position), grouped by
/// item and, within an item, by user.
struct Occurrences {
    starts: Vec<usize>,
    places: Vec<(u32, u32)>,
}

impl Occurrences {
    fn of(sequences: &Sequences, items: usize) -> Occurrences {
        let starts = prefix_sums(items, sequences.items.iter().copied());
        let mut places = vec![(0, 0); sequences.items.len()];
        let mut next = starts.clone();
        for u in 0..sequences.users() {
            for (p, &i) in sequences.at(u).iter().enumerate() {
                places[next[i as usize]] = (u as u32, p as u32);
                next[i as usize] += 1;
            }
        }
        Occurrences { starts, places }
    }

    fn at(&self, item: usize) -> &[(u32, u32)] {
        &self.places[self.starts[item]..self.starts[item + 1]]
    }
}

/// Where each of `groups` groups starts when `keys` are grouped by key:
/// `groups + 1` offsets, the last one the number of keys.
fn prefix_sums(groups: usize, keys: impl Iterator<Item = u32>) -> Vec<usize> {
    let mut starts = vec![0usize; groups + 1];
    for k in keys {
        starts[k as usize + 1] += 1;
    }
    for g in 1..starts.len() {
        starts[g] += starts[g - 1];
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(rows: &[(&str, u32, i64)]) -> Interactions {
        let mut log = Interactions::new(4);
        for &(u, i, t) in rows {
            log.push(u, i, 1.0, Some(t)).unwrap();
        }
        log
    }

    #[test]
    fn directed_counts_by_hand() {
        // a: 0 → 1 → 2;  b: 0 → 1;  c: 1 → 0 (rows out of time order on purpose).
        let l = log(&[
            ("a", 1, 20),
            ("a", 0, 10),
            ("a", 2, 30),
            ("b", 0, 5),
            ("b", 1, 6),
            ("c", 1, 1),
            ("c", 0, 2),
        ]);
        let m = Sequential::fit(&l, &SequentialConfig::default());
        // users: n0 = 3, n1 = 3, n2 = 1.
        // c(0 → 1) = 2 (a, b): s = 2/√9 = 0.666667; c(1 → 0) = 1 (c): 1/3.
        // c(0 → 2) = 1: 1/√3 = 0.577350; c(1 → 2) = 1: 0.577350.
        let s = |i: u32, j: u32| m.successors.get(i, j);
        assert!((s(0, 1) - 2.0 / 3.0).abs() < 1e-6);
        assert!((s(1, 0) - 1.0 / 3.0).abs() < 1e-6);
        assert!((s(0, 2) - 0.577_350).abs() < 1e-6);
        assert_eq!(s(2, 0), 0.0, "nothing follows item 2");
        // A window of 1 forgets 0 → 2 in a's sequence (two steps apart).
        let w1 = Sequential::fit(
            &l,
            &SequentialConfig {
                window: 1,
                ..Default::default()
            },
        );
        assert_eq!(w1.successors.get(0, 2), 0.0);
    }

    #[test]
    fn recent_items_weigh_by_recency() {
        let l = log(&[("a", 0, 1), ("a", 1, 2)]);
        let m = Sequential::fit(
            &l,
            &SequentialConfig {
                recent_items: 2,
                recency_decay: 0.5,
                ..Default::default()
            },
        );
        // Three recent items, two kept: 1 (one step back, 0.5) and 2 (newest, 1).
        assert_eq!(m.query_weights(&[0, 1, 2], &[]), [(1, 0.5), (2, 1.0)]);
        // No order known: the history weights.
        assert_eq!(m.query_weights(&[], &[(3, 0.7)]), [(3, 0.7)]);
        let bad = SequentialConfig {
            recency_decay: 0.0,
            ..Default::default()
        };
        assert_eq!(
            bad.validate().unwrap_err().to_string(),
            "config sequential.recencyDecay: must be in (0, 1], got 0"
        );
    }
}
