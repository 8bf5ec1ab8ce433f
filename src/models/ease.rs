//! EASE (Steck 2019, "Embarrassingly Shallow Autoencoders"): a linear
//! item–item model learned in closed form from the Gram matrix alone.
//!
//! With `X` the users × items matrix (transformed weights, see
//! [`crate::data::interactions`]) and `G = XᵀX` its Gram (co-occurrence)
//! matrix, the weights `B` minimise `‖X − XB‖² + λ‖B‖²` under
//! `diag(B) = 0`:
//!
//! ```text
//! P = (G + λI)⁻¹,   B_ij = −P_ij / P_jj  (i ≠ j),   B_jj = 0
//! ```
//!
//! and a history `h` scores `score(j) = Σ_i h_i · B_ij`. `B` is dense and
//! may be negative; only the `K` entries of each column `j` largest in
//! magnitude (the items that best predict `j`, or best rule it out) are
//! kept, stored by source item like item-kNN's lists, so the browser uses
//! them the same way (their strengths signed).
//! `neighbours: 0` keeps the whole dense `B`, to measure what the cut costs.
//!
//! **Cost.** `G` takes `Σ_u n_u²` multiply-adds; the inverse `O(m³)` for
//! `m` items, up to `3m²` floats of memory (`G`, its Cholesky factor's inverse,
//! `P`). Above `maxItems` (default 20,000: 148 s and 3.5 GB peak, measured by `tests/benches/ease_scale.sh`) EASE learns only the
//! most popular `maxItems` items; the rest get no links.
//!
//! **Privacy.** In a published index ([`crate::privacy`]) `G` is built
//! from the binary co-occurrence counts the rules release: a pair under
//! `minSupport` shoppers is 0, and with differential privacy every count
//! (pairs and the diagonal, the item's shoppers) is the noisy one drawn for
//! item-kNN's pairs and popularity (the same draws: post-processing, no
//! extra budget). Only the rules' output reaches the inverse.
//!
//! The inverse is faer's blocked Cholesky (`LLᵀ`, then `L⁻ᵀL⁻¹`) in `f32`,
//! on every core natively: a hand-written one would be 10–50× slower at
//! 10k items (measured against nalgebra's, which is). `G` lives in an
//! `ndarray` array, viewed by faer without a copy.

use ndarray::{Array2, Axis};
use serde::{Deserialize, Serialize};

use crate::data::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::models::neighbours::Neighbours;
use crate::models::{Evidence, Model, QueryContext, Reason, Scorer};
use crate::privacy::{Part, Protection};
use crate::sparse::{sort_by_index, Csr};
use crate::topk::{top_k_iter, Scored};

/// Options of the EASE model.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct EaseConfig {
    /// L2 regularisation λ (> 0), added to `G`'s diagonal. Default 500.
    pub lambda: f32,
    /// Entries of `B` kept per target item, the largest in magnitude
    /// (1–10,000), or 0 for all of `B`. Default 300 (within 1.2% of dense
    /// on MovieLens).
    pub neighbours: usize,
    /// Most items learned, the most popular (2–30,000). Default 20,000.
    pub max_items: usize,
}

impl Default for EaseConfig {
    fn default() -> Self {
        EaseConfig {
            lambda: 500.0,
            neighbours: 300,
            max_items: 20_000,
        }
    }
}

impl EaseConfig {
    /// Checks every option's range.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the option, the value and the range.
    pub fn validate(&self) -> Result<()> {
        if !(self.lambda.is_finite() && self.lambda > 0.0) {
            return Err(Error::config(
                "ease.lambda",
                format!("must be a finite number > 0, got {}", self.lambda),
            ));
        }
        if self.neighbours > 10_000 {
            return Err(Error::config(
                "ease.neighbours",
                format!(
                    "must be between 0 (dense) and 10000, got {}",
                    self.neighbours
                ),
            ));
        }
        if !(2..=30_000).contains(&self.max_items) {
            return Err(Error::config(
                "ease.maxItems",
                format!("must be between 2 and 30000, got {}", self.max_items),
            ));
        }
        Ok(())
    }
}

/// A fitted EASE model: the kept entries of `B`, by source item.
#[derive(Debug, Clone)]
pub struct Ease {
    /// Row `i`: the items `j` that `i` predicts, with `B_ij`.
    links: Neighbours,
}

impl Ease {
    /// Learns `B` from a users × items matrix (a live fit: no rules).
    ///
    /// The config is trusted: it comes from a [`crate::config::CheckedConfig`].
    pub fn fit(user_items: &Csr, config: &EaseConfig) -> Ease {
        Ease::fit_protected(user_items, config, &Protection::none())
    }

    /// Learns `B` under the privacy rules of a published index (see the
    /// module docs).
    pub fn fit_protected(user_items: &Csr, config: &EaseConfig, rules: &Protection) -> Ease {
        debug_assert!(config.validate().is_ok(), "configs are checked at the edge");
        let n = user_items.cols();
        let learned = learned_items(user_items, config.max_items);
        let protected = rules.min_support > 1 || rules.is_noisy();
        let mut gram = gram(user_items, &learned, n, protected);
        if protected {
            release(&mut gram, &learned, rules);
        }
        let lambda = config.lambda;
        let p = invert(gram, lambda);
        let columns = columns_of_b(&p, config.neighbours);
        // Columns (target j ← sources i) into rows by source item.
        let mut rows: Vec<Vec<Scored>> = vec![Vec::new(); n];
        for (j, column) in columns.into_iter().enumerate() {
            for (i, b) in column {
                rows[learned[i as usize] as usize].push((learned[j], b));
            }
        }
        rows.iter_mut().for_each(|r| sort_by_index(r));
        Ease {
            links: Neighbours::from_rows(rows),
        }
    }

    /// A model from lists made elsewhere (a model index).
    pub fn from_neighbours(links: Neighbours) -> Ease {
        Ease { links }
    }

    /// All kept entries of `B`, by source item.
    pub fn all_neighbours(&self) -> &Neighbours {
        &self.links
    }

    /// `B_ij` if kept, else 0.
    pub fn weight(&self, i: u32, j: u32) -> f32 {
        self.links.get(i, j)
    }

    /// Total number of kept entries.
    pub fn link_count(&self) -> usize {
        self.links.len()
    }
}

impl Scorer for Ease {
    fn kind(&self) -> Model {
        Model::Ease
    }

    /// `Σ_i h_i · B_ij` over the query items; no evidence beyond them.
    fn score(&self, query: &QueryContext, out: &mut [f32]) -> Evidence {
        self.links.score(query.items, out);
        Evidence::default()
    }

    /// The (at most 3) query items whose weights contributed most.
    fn explain(
        &self,
        query: &QueryContext,
        _: &Evidence,
        item: u32,
        catalogue: &Catalogue,
    ) -> Vec<Reason> {
        self.links.also_interacted(query, item, catalogue)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The items EASE learns, ascending: those with a shopper, at most `max`
/// of them, the ones with most shoppers (ties by index).
fn learned_items(user_items: &Csr, max: usize) -> Vec<u32> {
    let shoppers = user_items.column_counts();
    let mut items: Vec<u32> = (0..shoppers.len() as u32)
        .filter(|&i| shoppers[i as usize] > 0)
        .collect();
    if items.len() > max {
        items.sort_by_key(|&i| (std::cmp::Reverse(shoppers[i as usize]), i));
        items.truncate(max);
        items.sort_unstable();
    }
    items
}

/// `G = XᵀX` over the learned items (binary weights when `counts`, so each
/// entry is the number of shoppers behind it). Row `a` of `G` is
/// `Σ_{u ∋ a} x_ua · x_u`; rows are split over the cores.
fn gram(user_items: &Csr, learned: &[u32], n: usize, counts: bool) -> Array2<f32> {
    let m = learned.len();
    let mut position = vec![u32::MAX; n];
    for (a, &i) in learned.iter().enumerate() {
        position[i as usize] = a as u32;
    }
    let by_item = user_items.transpose();
    let weight = |w: f32| if counts { 1.0 } else { w };
    let mut gram = Array2::<f32>::zeros((m, m));
    let fill = |first: usize, mut rows: ndarray::ArrayViewMut2<f32>| {
        for (r, mut row) in rows.axis_iter_mut(Axis(0)).enumerate() {
            let (users, w_a) = by_item.row(learned[first + r] as usize);
            for (&u, &wa) in users.iter().zip(w_a) {
                let (items, w_u) = user_items.row(u as usize);
                for (&j, &wj) in items.iter().zip(w_u) {
                    let b = position[j as usize];
                    if b != u32::MAX {
                        row[b as usize] += weight(wa) * weight(wj);
                    }
                }
            }
        }
    };
    let threads = crate::parallel::threads();
    if threads > 1 && m >= 1_000 {
        let chunk = m.div_ceil(threads);
        std::thread::scope(|scope| {
            for (c, rows) in gram.axis_chunks_iter_mut(Axis(0), chunk).enumerate() {
                let fill = &fill;
                scope.spawn(move || fill(c * chunk, rows));
            }
        });
    } else {
        fill(0, gram.view_mut());
    }
    gram
}

/// Replaces every count of `G` by what the privacy rules release (see the
/// module docs): pairs through [`Protection::link`], the diagonal through
/// [`Protection::popularity`].
fn release(gram: &mut Array2<f32>, learned: &[u32], rules: &Protection) {
    let m = learned.len();
    for a in 0..m {
        let own = gram[[a, a]] as f64;
        gram[[a, a]] = rules.popularity(learned[a], own) as f32;
        for b in a + 1..m {
            let count = gram[[a, b]];
            if count == 0.0 {
                continue;
            }
            let released = rules
                .released(Part::ItemPair, learned[a], learned[b], count as u32)
                .unwrap_or(0.0) as f32;
            gram[[a, b]] = released;
            gram[[b, a]] = released;
        }
    }
}

/// `P = (G + λI)⁻¹` (full and symmetric). `G + λI` is positive definite
/// for a Gram matrix and λ > 0; the privacy rules' zeroed or noisy entries
/// can break that, so λ is doubled until the factorisation succeeds.
///
/// The factorisation works in place on the lower triangle, so a failed
/// attempt leaves part of it overwritten: before each retry the lower
/// triangle is restored from the upper one, which faer never touches. If λ
/// overflows (only a non-finite `G` could get there), no model is learned:
/// `P = 0`.
fn invert(mut gram: Array2<f32>, lambda: f32) -> Array2<f32> {
    use faer::dyn_stack::{MemBuffer, MemStack};
    use faer::linalg::cholesky::llt;
    let m = gram.nrows();
    let par = parallelism();
    let original = gram.diag().to_owned();
    let mut added = lambda;
    loop {
        for a in 0..m {
            gram[[a, a]] = original[a] + added;
        }
        let slice = gram.as_slice_mut().expect("a fresh array is contiguous");
        let mut mem = MemBuffer::new(llt::factor::cholesky_in_place_scratch::<f32>(
            m,
            par,
            Default::default(),
        ));
        let a = faer::MatMut::from_row_major_slice_mut(slice, m, m);
        let factored = llt::factor::cholesky_in_place(
            a,
            Default::default(),
            par,
            MemStack::new(&mut mem),
            Default::default(),
        );
        if factored.is_ok() {
            break;
        }
        added *= 2.0;
        if !added.is_finite() {
            return Array2::zeros((m, m));
        }
        for a in 0..m {
            for b in 0..a {
                gram[[a, b]] = gram[[b, a]];
            }
        }
    }
    let mut p = Array2::<f32>::zeros((m, m));
    {
        let l = faer::MatRef::from_row_major_slice(gram.as_slice().expect("contiguous"), m, m);
        let mut mem = MemBuffer::new(llt::inverse::inverse_scratch::<f32>(m, par));
        let out =
            faer::MatMut::from_row_major_slice_mut(p.as_slice_mut().expect("contiguous"), m, m);
        llt::inverse::inverse(out, l, par, MemStack::new(&mut mem));
    }
    drop(gram);
    // faer writes the lower triangle; mirror it.
    for a in 0..m {
        for b in a + 1..m {
            p[[a, b]] = p[[b, a]];
        }
    }
    p
}

/// faer's parallelism: every core natively, none in wasm.
fn parallelism() -> faer::Par {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = crate::parallel::threads();
        if threads > 1 {
            return faer::Par::rayon(threads);
        }
    }
    faer::Par::Seq
}

/// Each column `j` of `B` as `(i, B_ij)`: the `k` largest positive
/// entries (ties by index), or every non-zero entry when `k` is 0.
fn columns_of_b(p: &Array2<f32>, k: usize) -> Vec<Vec<Scored>> {
    let m = p.nrows();
    let column = |j: usize| -> Vec<Scored> {
        // P is symmetric: column j is row j, contiguous.
        let row = p.row(j);
        let scale = -1.0 / row[j];
        let entries = row
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != j)
            .map(|(i, &pij)| (i as u32, pij * scale));
        if k == 0 {
            entries.filter(|e| e.1 != 0.0).collect()
        } else {
            // The largest in magnitude: the negative weights (items that
            // make `j` less likely) carry as much as the positive ones.
            // (Measured on MovieLens, λ 500: dense 0.3735 NDCG@10; the top
            // 100 positive entries 0.3526, and every positive one 0.3478.)
            let magnitudes = entries.filter(|e| e.1 != 0.0).map(|(i, b)| (i, b.abs()));
            let mut kept = top_k_iter(magnitudes, k);
            for (i, b) in kept.iter_mut() {
                *b = row[*i as usize] * scale;
            }
            kept
        }
    };
    crate::parallel::in_parallel(m, 1_000, &|range| range.map(column).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// G = [[1, 10], [10, 1]] (eigenvalues 11 and −9, as a released G with
    /// zeroed entries can be): λ = 1, 2, 4, 8 fail, 16 succeeds, and P is
    /// the inverse of [[17, 10], [10, 17]] = [[17, −10], [−10, 17]] / 189;
    /// not the inverse of a matrix left half-factored by failed attempts.
    #[test]
    fn retries_start_from_the_whole_matrix() {
        let gram = ndarray::array![[1.0f32, 10.0], [10.0, 1.0]];
        let p = invert(gram, 1.0);
        let expect = [[17.0 / 189.0, -10.0 / 189.0], [-10.0 / 189.0, 17.0 / 189.0]];
        for a in 0..2 {
            for b in 0..2 {
                assert!(
                    (p[[a, b]] - expect[a][b]).abs() < 1e-5,
                    "P[{a}][{b}] = {}, expected {}",
                    p[[a, b]],
                    expect[a][b]
                );
            }
        }
    }

    #[test]
    fn a_non_finite_gram_learns_nothing_and_ends() {
        let gram = ndarray::array![[f32::NAN, 1.0], [1.0, 1.0]];
        assert_eq!(invert(gram, 1.0), Array2::<f32>::zeros((2, 2)));
    }

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-4
    }

    /// Users × items (binary):
    /// ```text
    ///        i0 i1 i2
    ///   u0    1  1  0
    ///   u1    1  1  1
    ///   u2    0  1  1
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
        ];
        Csr::from_triplets(3, 3, &t)
    }

    fn config(lambda: f32, neighbours: usize) -> EaseConfig {
        EaseConfig {
            lambda,
            neighbours,
            ..Default::default()
        }
    }

    #[test]
    fn closed_form_by_hand() {
        // G = [[2,2,1],[2,3,2],[1,2,2]]; λ = 1: A = [[3,2,1],[2,4,2],[1,2,3]].
        // det A = 3·8 − 2·4 + 1·0 = 16; adj(A) = [[8,−4,0],[−4,8,−4],[0,−4,8]],
        // so P = adj/16: P00 = P11 = P22 = 0.5, P01 = P12 = −0.25, P02 = 0.
        // B_ij = −P_ij/P_jj: B01 = B10 = B12 = B21 = 0.5, B02 = B20 = 0.
        let m = Ease::fit(&matrix(), &config(1.0, 0));
        assert!(close(m.weight(0, 1), 0.5), "{}", m.weight(0, 1));
        assert!(close(m.weight(1, 0), 0.5));
        assert!(close(m.weight(2, 1), 0.5));
        assert_eq!(m.weight(0, 2), 0.0);
        assert_eq!(m.weight(1, 1), 0.0, "the diagonal is 0");
        // History {i0}: score(i1) = B01 = 0.5, score(i2) = 0.
        let mut out = vec![0.0; 3];
        m.links.score(&[(0, 1.0)], &mut out);
        assert!(close(out[1], 0.5) && out[2] == 0.0, "{out:?}");
    }

    #[test]
    fn top_k_per_column_and_popular_items_only() {
        // K = 1: column 1 holds B01 = B21 = 0.5; the tie keeps i0.
        let m = Ease::fit(&matrix(), &config(1.0, 1));
        assert!(close(m.weight(0, 1), 0.5));
        assert_eq!(m.weight(2, 1), 0.0);
        // maxItems = 2 learns i1 (3 shoppers) and i0 (2 shoppers, ties with
        // i2 by index); i2 gets no links.
        let c = EaseConfig {
            max_items: 2,
            ..config(1.0, 0)
        };
        let m = Ease::fit(&matrix(), &c);
        assert!(m.weight(0, 1) > 0.0);
        assert_eq!(m.all_neighbours().of(2).0.len(), 0);
        assert_eq!(m.weight(1, 2), 0.0);
    }

    #[test]
    fn minimum_support_zeroes_pairs_before_the_inverse() {
        // minSupport 2: pairs (0,2) (1 shopper) is dropped, (0,1) and (1,2)
        // (2 shoppers) stay: G is unchanged except G02 = 0 (already 1 → 0).
        // A = [[3,2,0],[2,4,2],[0,2,3]]: det = 3·8 − 2·6 = 12;
        // P01 = −(2·3)/12 = −0.5, P11 = 9/12 = 0.75 → B01 = 0.5/0.75 = 2/3.
        let privacy = crate::privacy::PrivacyConfig {
            min_support: 2,
            ..Default::default()
        };
        let rules = privacy.protection(1, 0);
        let m = Ease::fit_protected(&matrix(), &config(1.0, 0), &rules);
        assert!(close(m.weight(0, 1), 2.0 / 3.0), "{}", m.weight(0, 1));
    }

    #[test]
    fn bad_config() {
        let e = config(0.0, 10).validate().unwrap_err();
        assert_eq!(
            e.to_string(),
            "config ease.lambda: must be a finite number > 0, got 0"
        );
        assert!(config(1.0, 10_001).validate().is_err());
    }
}
