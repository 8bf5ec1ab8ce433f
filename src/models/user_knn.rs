//! User-based collaborative filtering: "shoppers with choices like yours
//! also chose".
//!
//! Users are rows of the users × items matrix `X` (weights as in
//! [`crate::data::interactions`]), weighted by the smoothed item IDF
//! `idf_i = ln((1 + U)/(1 + n_i)) + 1` with `U` users and `n_i` the users of
//! item `i`, and L2-normalised. (The smoothed form never reaches 0, so a
//! history made only of items nearly everyone chose still finds neighbours.) A query history `h` becomes `q_i = h_i · idf_i`,
//! normalised the same way, and is compared with every user through the
//! item → users index: `sim(u) = q · x_u`. The `neighbours` most similar
//! users (ties by user index) vote: `score(j) = Σ_u sim(u) · X_uj`.
//!
//! Nothing is precomputed between users, so memory stays O(interactions)
//! and a shopper who is not in the data (the usual case in the browser)
//! is handled exactly like one who is. Explanations count the similar
//! shoppers and never name them.

use serde::{Deserialize, Serialize};

use crate::data::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::models::{Evidence, Model, QueryContext, Reason, Scorer};
use crate::sparse::Csr;
use crate::topk::top_k;

/// Options of the user-kNN model.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct UserKnnConfig {
    /// Similar users who vote (1–10,000). Default 50.
    pub neighbours: usize,
}

impl Default for UserKnnConfig {
    fn default() -> Self {
        UserKnnConfig { neighbours: 50 }
    }
}

impl UserKnnConfig {
    /// Checks the neighbour count.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] outside 1–10,000.
    pub fn validate(&self) -> Result<()> {
        if !(1..=10_000).contains(&self.neighbours) {
            return Err(Error::config(
                "userKnn.neighbours",
                format!("must be between 1 and 10000, got {}", self.neighbours),
            ));
        }
        Ok(())
    }
}

/// A fitted user-kNN model: normalised user vectors and the item → users index.
#[derive(Debug, Clone)]
pub struct UserKnn {
    /// Users × items, raw (transformed) weights, for voting.
    votes: Csr,
    /// Items × users, IDF-weighted and user-normalised, for similarity.
    by_item: Csr,
    idf: Vec<f32>,
    config: UserKnnConfig,
}

impl UserKnn {
    /// Builds the user vectors from a users × items matrix.
    ///
    /// The config is trusted: it comes from a [`crate::config::CheckedConfig`].
    pub fn fit(user_items: &Csr, config: &UserKnnConfig) -> UserKnn {
        debug_assert!(config.validate().is_ok(), "configs are checked at the edge");
        let users = user_items.rows() as f32;
        let mut n = vec![0u32; user_items.cols()];
        for u in 0..user_items.rows() {
            user_items.row(u).0.iter().for_each(|&i| n[i as usize] += 1);
        }
        let idf: Vec<f32> = n
            .iter()
            .map(|&c| ((1.0 + users) / (1.0 + c as f32)).ln() + 1.0)
            .collect();
        let mut weighted = user_items.clone();
        let (cols, vals) = weighted.values_mut();
        for (v, &i) in vals.iter_mut().zip(cols) {
            *v *= idf[i as usize];
        }
        weighted.normalize_rows();
        UserKnn {
            votes: user_items.clone(),
            by_item: weighted.transpose(),
            idf,
            config: config.clone(),
        }
    }

    /// The most similar users to a history, strongest first (ties by user
    /// index), leaving out `own`, the training user the history belongs to
    /// (who would otherwise be their own nearest neighbour and use a slot).
    pub fn similar_users(&self, history: &[(u32, f32)], own: Option<u32>) -> Vec<(u32, f32)> {
        let mut query: Vec<(u32, f32)> = history
            .iter()
            .map(|&(i, h)| (i, h * self.idf[i as usize]))
            .collect();
        let norm = query.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm == 0.0 {
            return Vec::new();
        }
        query.iter_mut().for_each(|e| e.1 /= norm);
        let mut sims = rustc_hash::FxHashMap::<u32, f32>::default();
        for &(i, q) in &query {
            let (users, ws) = self.by_item.row(i as usize);
            for (&u, &w) in users.iter().zip(ws) {
                *sims.entry(u).or_insert(0.0) += q * w;
            }
        }
        top_k(
            sims.into_iter()
                .filter(|&(u, s)| s > 0.0 && Some(u) != own)
                .collect(),
            self.config.neighbours,
        )
    }

    /// How many of `neighbours` chose `item`.
    pub fn supporters(&self, neighbours: &[(u32, f32)], item: u32) -> usize {
        neighbours
            .iter()
            .filter(|&&(u, _)| self.votes.get(u as usize, item) > 0.0)
            .count()
    }
}

impl Scorer for UserKnn {
    fn kind(&self) -> Model {
        Model::UserKnn
    }

    /// `Σ_u sim(u) · X_uj` over the similar users, who are the evidence
    /// (user index, similarity).
    fn score(&self, query: &QueryContext, out: &mut [f32]) -> Evidence {
        let neighbours = self.similar_users(query.items, query.user);
        for &(u, s) in &neighbours {
            let (items, ws) = self.votes.row(u as usize);
            for (&j, &w) in items.iter().zip(ws) {
                out[j as usize] += s * w;
            }
        }
        Evidence(neighbours)
    }

    /// How many of the similar shoppers chose the item (never who).
    fn explain(
        &self,
        _: &QueryContext,
        evidence: &Evidence,
        item: u32,
        _: &Catalogue,
    ) -> Vec<Reason> {
        match self.supporters(&evidence.0, item) {
            0 => Vec::new(),
            count => vec![Reason::SimilarShoppers { count }],
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_and_votes_by_hand() {
        // Users × items (4 users, 4 items):
        //   u0: 0, 1     u1: 0, 1, 2     u2: 3     u3: 2, 3
        // n = (2, 2, 2, 2): idf = ln(5/3) + 1 = 1.510826 for every item, so after
        // normalisation u0 = (1, 1)/√2, u1 = (1, 1, 1)/√3, u2 = (1), u3 = (1, 1)/√2.
        // Query {0: 1}: sim(u0) = 1/√2 = 0.707107, sim(u1) = 1/√3 = 0.577350.
        let m = Csr::from_triplets(
            4,
            4,
            &[
                (0, 0, 1.0),
                (0, 1, 1.0),
                (1, 0, 1.0),
                (1, 1, 1.0),
                (1, 2, 1.0),
                (2, 3, 1.0),
                (3, 2, 1.0),
                (3, 3, 1.0),
            ],
        );
        let knn = UserKnn::fit(&m, &UserKnnConfig::default());
        let sims = knn.similar_users(&[(0, 1.0)], None);
        assert_eq!(sims.iter().map(|s| s.0).collect::<Vec<_>>(), [0, 1]);
        assert!((sims[0].1 - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
        assert!((sims[1].1 - 0.577_350).abs() < 1e-6);
        // Votes: item 1 ← u0 + u1 = 1.284457; item 2 ← u1 = 0.577350; item 3 ← none.
        let mut out = vec![0.0; 4];
        let context = QueryContext {
            items: &[(0, 1.0)],
            recent: &[],
            item: None,
            user: None,
        };
        let neighbours = knn.score(&context, &mut out).0;
        assert!((out[1] - 1.284_457).abs() < 1e-5, "{out:?}");
        assert!((out[2] - 0.577_350).abs() < 1e-6);
        assert_eq!(out[3], 0.0);
        assert_eq!(knn.supporters(&neighbours, 1), 2);
        // One neighbour only: u0.
        let one = UserKnn::fit(&m, &UserKnnConfig { neighbours: 1 });
        assert_eq!(one.similar_users(&[(0, 1.0)], None).len(), 1);
        // A training user is never their own neighbour: u0's own history
        // {0, 1} finds u1 (and, with one slot, only u1).
        assert_eq!(one.similar_users(&[(0, 1.0), (1, 1.0)], Some(0))[0].0, 1);
        assert_eq!(one.similar_users(&[(0, 1.0), (1, 1.0)], None)[0].0, 0);
        assert_eq!(
            UserKnnConfig { neighbours: 0 }
                .validate()
                .unwrap_err()
                .code(),
            "invalid_config"
        );
    }
}
