//! Item-based collaborative filtering ("customers also bought").
//!
//! Items are vectors over users: `X` is the items × users matrix of
//! transformed weights (see [`crate::data::interactions`]). A weighting turns `X`
//! into `W`; item-item similarity is `s(i, j) = W_i · W_j`. The three
//! weightings follow the definitions of the `implicit` library's
//! CosineRecommender, TFIDFRecommender and BM25Recommender, so comparisons
//! with it are like for like. With `N` items and `df_u` the number of items
//! user `u` touched, `idf_u = max(0, ln(N / (1 + df_u)))` (implicit does not
//! clamp; the two differ only for users who touched nearly every item, whom
//! implicit would give negative weight):
//!
//! * **Cosine**: `W_i = X_i / ‖X_i‖`.
//! * **TF-IDF**: `W_iu = √X_iu · idf_u`, then each row L2-normalised.
//! * **BM25**: `W_iu = X_iu (k1 + 1) / (k1 (1 − b + b·len_i/avglen) + X_iu) · idf_u`
//!   with `len_i = Σ_u X_iu`; rows are not normalised (`k1` 1.2, `b` 0.75).
//! * **Jaccard**: on the sets of users, `s(i, j) = n_ij / (n_i + n_j − n_ij)`
//!   (weights ignored).
//! * **Pearson** (mean-centred): `W_iu = X_iu − x̄_i`, `x̄_i` the mean of the
//!   item's weights over the users who have it, then rows L2-normalised, so
//!   `s(i, j)` is the correlation of the two items' weights over their
//!   users (zero outside them). Only positive correlations are kept. On
//!   binary weights every `W_iu` is 0 and no link is kept: it needs weights
//!   that vary (ratings, event weights).
//!
//! Shrinkage damps pairs with little support: with `n_ij` users in common,
//! `s'(i, j) = s(i, j) · n_ij / (n_ij + λ)` (λ = 0 turns it off). Only the
//! `K` most similar other items are kept per item (ties by item index), so
//! memory is O(items × K); the n × n matrix is never built.
//!
//! Scoring a history with weights `h_i`: `score(j) = Σ_i h_i · s'(i, j)`.

use serde::{Deserialize, Serialize};

use crate::data::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::models::neighbours::{Accumulator, Neighbours};
use crate::models::{Evidence, Model, QueryContext, Reason, Scorer};
use crate::privacy::{Part, Protection};
use crate::sparse::Csr;

/// The item-item similarity definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Similarity {
    /// Cosine of the raw item vectors.
    Cosine,
    /// Cosine of TF-IDF weighted item vectors.
    Tfidf,
    /// Dot product of BM25 weighted item vectors (default).
    #[default]
    Bm25,
    /// Jaccard index of the items' sets of users.
    Jaccard,
    /// Cosine of the mean-centred item vectors (Pearson correlation).
    Pearson,
}

/// Options of the item-kNN model.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ItemKnnConfig {
    /// Similarity definition. Default BM25.
    pub similarity: Similarity,
    /// Neighbours kept per item, `K` (1–10,000). Default 20.
    pub neighbours: usize,
    /// Shrinkage λ (≥ 0). Default 20 (0 turns it off).
    pub shrinkage: f32,
    /// BM25 `k1` (> 0). Default 1.2.
    pub bm25_k1: f32,
    /// BM25 `b` (0–1). Default 0.75.
    pub bm25_b: f32,
}

impl Default for ItemKnnConfig {
    fn default() -> Self {
        ItemKnnConfig {
            similarity: Similarity::Bm25,
            neighbours: 20,
            shrinkage: 20.0,
            bm25_k1: 1.2,
            bm25_b: 0.75,
        }
    }
}

impl ItemKnnConfig {
    /// Checks every option's range.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the option, the value and the range.
    pub fn validate(&self) -> Result<()> {
        if !(1..=10_000).contains(&self.neighbours) {
            return Err(Error::config(
                "itemKnn.neighbours",
                format!("must be between 1 and 10000, got {}", self.neighbours),
            ));
        }
        if !(self.shrinkage.is_finite() && self.shrinkage >= 0.0) {
            return Err(Error::config(
                "itemKnn.shrinkage",
                format!("must be a finite number ≥ 0, got {}", self.shrinkage),
            ));
        }
        if !(self.bm25_k1.is_finite() && self.bm25_k1 > 0.0) {
            return Err(Error::config(
                "itemKnn.bm25K1",
                format!("must be > 0, got {}", self.bm25_k1),
            ));
        }
        if !(0.0..=1.0).contains(&self.bm25_b) {
            return Err(Error::config(
                "itemKnn.bm25B",
                format!("must be between 0 and 1, got {}", self.bm25_b),
            ));
        }
        Ok(())
    }
}

/// A fitted item-kNN model: the top-K neighbours of every item.
#[derive(Debug, Clone)]
pub struct ItemKnn {
    /// Row `i`: `i`'s neighbours and similarities.
    neighbours: Neighbours,
}

impl ItemKnn {
    /// Computes the neighbour lists from a users × items matrix.
    ///
    /// Cost: O(Σ_u n_u²) multiply-adds, where `n_u` is user `u`'s item count.
    ///
    /// The config is trusted: it comes from a [`crate::config::CheckedConfig`].
    pub fn fit(user_items: &Csr, config: &ItemKnnConfig) -> ItemKnn {
        ItemKnn::fit_protected(user_items, config, &Protection::none(), &[])
    }

    /// [`ItemKnn::fit`] under the privacy rules of a published index: a
    /// pair enters a list only when `rules` release it (see
    /// [`crate::privacy`]). With differential privacy the similarity is
    /// computed from released counts only, `s(i, j) = c̃_ij / √(p̃_i p̃_j)`
    /// with `p̃` the released `popularity`, then shrunk as above.
    pub fn fit_protected(
        user_items: &Csr,
        config: &ItemKnnConfig,
        rules: &Protection,
        popularity: &[f32],
    ) -> ItemKnn {
        debug_assert!(config.validate().is_ok(), "configs are checked at the edge");
        let weighted = weigh(&user_items.transpose(), config);
        let by_user = weighted.transpose();
        let n = weighted.rows();
        let mut acc = Accumulator::new(n);
        let shrink = |s: f32, n_ij: f64| s * n_ij as f32 / (n_ij as f32 + config.shrinkage);
        // Jaccard needs each item's user count n_i (its weights are 1).
        let users: Vec<f32> = (0..n).map(|i| weighted.row(i).0.len() as f32).collect();
        let base = |i: usize, j: u32, s: f32, n_ij: u32| match config.similarity {
            Similarity::Jaccard => n_ij as f32 / (users[i] + users[j as usize] - n_ij as f32),
            _ => s,
        };
        let rows = (0..n)
            .map(|i| {
                let (users, wi) = weighted.row(i);
                for (&u, &w_iu) in users.iter().zip(wi) {
                    let (items, wu) = by_user.row(u as usize);
                    for (&j, &w_ju) in items.iter().zip(wu) {
                        acc.add(j, w_iu * w_ju);
                    }
                }
                // s'(i, j) = s(i, j) · n_ij / (n_ij + λ)
                acc.take_top_k(
                    config.neighbours,
                    Some(i as u32),
                    |j, s, n_ij| match rules.link(Part::ItemPair, i as u32, j, n_ij) {
                        None => 0.0,
                        Some(c) if rules.is_noisy() => {
                            let (p_i, p_j) = (popularity[i], popularity[j as usize]);
                            shrink(Protection::strength(c, p_i as f64, p_j as f64), c)
                        }
                        Some(_) => shrink(base(i, j, s, n_ij), n_ij as f64),
                    },
                )
            })
            .collect();
        ItemKnn {
            neighbours: Neighbours::from_rows(rows),
        }
    }

    /// A model from neighbour lists made elsewhere (a model index).
    pub fn from_neighbours(neighbours: Neighbours) -> ItemKnn {
        ItemKnn { neighbours }
    }

    /// All neighbour lists.
    pub fn all_neighbours(&self) -> &Neighbours {
        &self.neighbours
    }

    /// The neighbours of `item` (by item index) and their similarities.
    pub fn neighbours(&self, item: u32) -> (&[u32], &[f32]) {
        self.neighbours.of(item)
    }

    /// Similarity of `i` to `j` if `j` is among `i`'s neighbours, else 0.
    pub fn similarity(&self, i: u32, j: u32) -> f32 {
        self.neighbours.get(i, j)
    }

    /// Total number of stored neighbour links.
    pub fn link_count(&self) -> usize {
        self.neighbours.len()
    }
}

impl Scorer for ItemKnn {
    fn kind(&self) -> Model {
        Model::ItemKnn
    }

    /// `Σ_i h_i · s(i, j)` over the query items; no evidence beyond them.
    fn score(&self, query: &QueryContext, out: &mut [f32]) -> Evidence {
        self.neighbours.score(query.items, out);
        Evidence::default()
    }

    /// The (at most 3) query items that contributed most.
    fn explain(
        &self,
        query: &QueryContext,
        _: &Evidence,
        item: u32,
        catalogue: &Catalogue,
    ) -> Vec<Reason> {
        self.neighbours.also_interacted(query, item, catalogue)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Applies the configured weighting to the items × users matrix.
fn weigh(items_users: &Csr, config: &ItemKnnConfig) -> Csr {
    let mut w = items_users.clone();
    let n_items = w.rows() as f32;
    let mut df = vec![0u32; w.cols()];
    let (cols, _) = w.values_mut();
    for &u in cols {
        df[u as usize] += 1;
    }
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| (n_items / (1.0 + d as f32)).ln().max(0.0))
        .collect();
    match config.similarity {
        Similarity::Cosine => w.normalize_rows(),
        Similarity::Jaccard => {
            let (_, vals) = w.values_mut();
            vals.iter_mut().for_each(|v| *v = 1.0);
        }
        Similarity::Pearson => {
            for i in 0..w.rows() {
                let range = w.row_range(i);
                let (_, vals) = w.values_mut();
                let row = &mut vals[range];
                let mean = row.iter().sum::<f32>() / row.len().max(1) as f32;
                row.iter_mut().for_each(|v| *v -= mean);
            }
            w.normalize_rows();
        }
        Similarity::Tfidf => {
            let (cols, vals) = w.values_mut();
            for (v, &u) in vals.iter_mut().zip(cols) {
                *v = v.sqrt() * idf[u as usize];
            }
            w.normalize_rows();
        }
        Similarity::Bm25 => {
            let lengths: Vec<f32> = (0..w.rows()).map(|i| w.row(i).1.iter().sum()).collect();
            let avg = lengths.iter().sum::<f32>() / lengths.len().max(1) as f32;
            let (k1, b) = (config.bm25_k1, config.bm25_b);
            for (i, &len) in lengths.iter().enumerate() {
                let norm = k1 * (1.0 - b + b * len / avg);
                let range = w.row_range(i);
                let (cols, vals) = w.values_mut();
                for (v, &u) in vals[range.clone()].iter_mut().zip(&cols[range]) {
                    *v = *v * (k1 + 1.0) / (norm + *v) * idf[u as usize];
                }
            }
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-5
    }

    /// Users × items:
    /// ```text
    ///        i0 i1 i2 i3
    ///   u0    1  1  0  0
    ///   u1    1  1  1  0
    ///   u2    0  1  1  0
    ///   u3    0  0  0  1
    /// ```
    fn matrix() -> Csr {
        let t = [
            (0, 0, 1.0),
            (0, 1, 1.0),
            (1, 0, 1.0),
            (1, 1, 1.0),
            (1, 2, 1.0),
            (2, 1, 1.0),
            (2, 2, 1.0),
            (3, 3, 1.0),
        ];
        Csr::from_triplets(4, 4, &t)
    }

    fn fit(similarity: Similarity, shrinkage: f32) -> ItemKnn {
        ItemKnn::fit(
            &matrix(),
            &ItemKnnConfig {
                similarity,
                shrinkage,
                ..Default::default()
            },
        )
    }

    #[test]
    fn cosine_by_hand() {
        // i0 = (u0, u1), i1 = (u0, u1, u2), i2 = (u1, u2).
        // cos(i0, i1) = 2/(√2·√3) = 0.816497; cos(i0, i2) = 1/(√2·√2) = 0.5.
        let m = fit(Similarity::Cosine, 0.0);
        assert!(close(m.similarity(0, 1), 0.816497));
        assert!(close(m.similarity(0, 2), 0.5));
        assert_eq!(m.similarity(0, 3), 0.0);
        assert_eq!(m.similarity(0, 0), 0.0, "an item is not its own neighbour");
    }

    #[test]
    fn jaccard_by_hand() {
        // i0 = {u0, u1}, i1 = {u0, u1, u2}, i2 = {u1, u2}.
        // J(i0, i1) = 2/3; J(i0, i2) = 1/3; J(i1, i2) = 2/3.
        let m = fit(Similarity::Jaccard, 0.0);
        assert!(close(m.similarity(0, 1), 2.0 / 3.0));
        assert!(close(m.similarity(0, 2), 1.0 / 3.0));
        assert!(close(m.similarity(1, 2), 2.0 / 3.0));
        // Shrinkage applies as to the others: n_ij = 2, λ = 2 → · 1/2.
        assert!(close(
            fit(Similarity::Jaccard, 2.0).similarity(0, 1),
            1.0 / 3.0
        ));
    }

    #[test]
    fn pearson_by_hand() {
        // Weights (ratings) users × items:
        //   u0: i0 5, i1 4;  u1: i0 1, i1 2, i2 5;  u2: i1 3, i2 1.
        // Means: i0 3, i1 3, i2 3. Centred: i0 = (2, −2, 0), i1 = (1, −1, 0),
        // i2 = (0, 2, −2) over (u0, u1, u2).
        // r(i0, i1) = (2 + 2)/(√8·√2) = 1; r(i0, i2) = −4/8 < 0 (dropped);
        // r(i1, i2) = −2/(√2·√8) < 0 (dropped).
        let t = [
            (0, 0, 5.0),
            (0, 1, 4.0),
            (1, 0, 1.0),
            (1, 1, 2.0),
            (1, 2, 5.0),
            (2, 1, 3.0),
            (2, 2, 1.0),
        ];
        let config = ItemKnnConfig {
            similarity: Similarity::Pearson,
            shrinkage: 0.0,
            ..Default::default()
        };
        let m = ItemKnn::fit(&Csr::from_triplets(3, 3, &t), &config);
        assert!(close(m.similarity(0, 1), 1.0));
        assert_eq!(m.similarity(0, 2), 0.0);
        assert_eq!(m.similarity(1, 2), 0.0);
        // Binary weights centre to 0: no links.
        assert_eq!(fit(Similarity::Pearson, 0.0).link_count(), 0);
    }

    #[test]
    fn tfidf_by_hand() {
        // N = 4 items; df: u0 = 2, u1 = 3, u2 = 2, u3 = 1.
        // idf = ln(4/3) = 0.287682 (u0, u2), ln(4/4) = 0 (u1), ln(4/2) = 0.693147 (u3).
        // i0 = (0.287682, 0) → normalised (1, 0); i1 = (0.287682, 0, 0.287682) → (1/√2, 0, 1/√2);
        // i2 = (0, 0.287682) → (0, 1) over (u1, u2).
        // s(i0, i1) = 1/√2 = 0.707107; s(i0, i2) = 0; s(i1, i2) = 0.707107.
        let m = fit(Similarity::Tfidf, 0.0);
        assert!(close(m.similarity(0, 1), std::f32::consts::FRAC_1_SQRT_2));
        assert_eq!(m.similarity(0, 2), 0.0);
        assert!(close(m.similarity(1, 2), std::f32::consts::FRAC_1_SQRT_2));
    }

    #[test]
    fn bm25_by_hand() {
        // len: i0 = 2, i1 = 3, i2 = 2, i3 = 1; avg = 2. k1 = 1.2, b = 0.75.
        // norm_i = 1.2 (0.25 + 0.75 len/2): i0 = 1.2, i1 = 1.65, i2 = 1.2.
        // W_iu = 2.2/(norm_i + 1) · idf_u:
        //   i0: u0 = 1·0.287682 = 0.287682, u1 = 0
        //   i1: u0 = 2.2/2.65·0.287682 = 0.238830, u1 = 0, u2 = 0.238830
        //   i2: u1 = 0, u2 = 0.287682
        // s(i0, i1) = 0.287682 · 0.238830 = 0.068707; s(i1, i2) = 0.068707.
        let m = fit(Similarity::Bm25, 0.0);
        assert!(
            close(m.similarity(0, 1), 0.068707),
            "{}",
            m.similarity(0, 1)
        );
        assert!(close(m.similarity(1, 0), 0.068707));
        assert!(close(m.similarity(2, 1), 0.068707));
    }

    #[test]
    fn shrinkage_by_hand() {
        // Cosine with λ = 2: s(i0, i1) has n = 2 common users → 0.816497 · 2/4 = 0.408248;
        // s(i0, i2) has n = 1 → 0.5 · 1/3 = 0.166667.
        let m = fit(Similarity::Cosine, 2.0);
        assert!(close(m.similarity(0, 1), 0.408248));
        assert!(close(m.similarity(0, 2), 0.166667));
    }

    #[test]
    fn top_k_keeps_the_best_neighbours() {
        let m = ItemKnn::fit(
            &matrix(),
            &ItemKnnConfig {
                similarity: Similarity::Cosine,
                neighbours: 1,
                ..Default::default()
            },
        );
        // i1's neighbours: i0 (0.816497) and i2 (0.816497) tie; the lower index wins.
        assert_eq!(m.neighbours(1).0, &[0]);
        assert_eq!(m.link_count(), 3);
    }

    #[test]
    fn scoring_and_explanations() {
        let m = fit(Similarity::Cosine, 0.0);
        // History {i0: 2, i2: 1}: score(i1) = 2·0.816497 + 1·0.816497 = 2.449490.
        let mut out = vec![0.0; 4];
        m.neighbours.score(&[(0, 2.0), (2, 1.0)], &mut out);
        assert!(close(out[1], 2.449_49));
        assert_eq!(out[3], 0.0);
        let why = m.neighbours.explain(&[(0, 2.0), (2, 1.0)], 1, 5);
        assert_eq!(why.iter().map(|w| w.0).collect::<Vec<_>>(), [0, 2]);
    }

    #[test]
    fn bad_config() {
        let e = ItemKnnConfig {
            neighbours: 0,
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "config itemKnn.neighbours: must be between 1 and 10000, got 0"
        );
    }
}
