//! Matrix factorisation for implicit feedback: ALS (Hu, Koren & Volinsky
//! 2008), solved by conjugate gradient (Takács et al. 2011) as the
//! `implicit` library does.
//!
//! Each shopper `u` and item `i` get `d` factors, `x_u` and `y_i`. With
//! `w_ui` the transformed weight (see [`crate::data::interactions`]), the
//! preference is `p_ui = 1` where `w_ui > 0` (else 0) and the confidence
//! `c_ui = 1 + α·w_ui` (1 where there is nothing). The factors minimise
//!
//! ```text
//! Σ_u,i c_ui (p_ui − x_uᵀ y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)
//! ```
//!
//! by alternating: with `Y` fixed each `x_u` solves the `d × d` system
//! `(YᵀY + λI + Σ_{i∈u} (c_ui − 1) y_i y_iᵀ) x_u = Σ_{i∈u} c_ui y_i`, then the
//! same for each `y_i` with `X` fixed. `YᵀY` is computed once per half-step,
//! so a row costs `O(d² + n_u·d)` per conjugate-gradient step; a few steps
//! from the previous solution are enough (`cgSteps`, default 3).
//!
//! **Fold-in.** A shopper is never stored: their factors are solved from
//! their history `h` at query time by the same system, exactly (Cholesky,
//! `d³/3`), with `YᵀY` kept from the fit; `score(j) = y_jᵀ x`. So a shopper
//! the fit never saw (every shopper in the browser) is served like one it
//! did, and no history leaves the device.
//!
//! **Explanations.** With `A` the system's matrix, `score(j) =
//! Σ_{i∈h} c_i · y_jᵀ A⁻¹ y_i`: history item `i` contributed
//! `c_i · y_jᵀ A⁻¹ y_i` (Hu et al., section 5), and the largest are named.
//!
//! Factors start uniform in `[0, 0.01)` from `seed`; each row's solve is
//! independent, so the result is the same on any number of threads.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis};
use serde::{Deserialize, Serialize};

use crate::data::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::models::{naming_reasons, Evidence, Model, QueryContext, Reason, Scorer};
use crate::sparse::Csr;
use crate::topk::top_k;

/// Options of the ALS model.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct AlsConfig {
    /// Factors per item and shopper, `d` (1–512). Default 64.
    pub factors: usize,
    /// Regularisation λ (≥ 0). Default 10 (chosen across MovieLens and
    /// online-retail, random and temporal splits; see the README).
    pub regularization: f32,
    /// Confidence slope α in `c = 1 + α·w` (≥ 0). Default 1.
    pub alpha: f32,
    /// Alternating iterations (1–200). Default 15.
    pub iterations: usize,
    /// Conjugate-gradient steps per row and half-step (1–64). Default 3.
    pub cg_steps: usize,
    /// Seed of the initial factors. Default 42.
    pub seed: u64,
}

impl Default for AlsConfig {
    fn default() -> Self {
        AlsConfig {
            factors: 64,
            regularization: 10.0,
            alpha: 1.0,
            iterations: 15,
            cg_steps: 3,
            seed: 42,
        }
    }
}

impl AlsConfig {
    /// Checks every option's range.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the option, the value and the range.
    pub fn validate(&self) -> Result<()> {
        let range = |name: &str, v: usize, lo: usize, hi: usize| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(Error::config(
                    format!("als.{name}"),
                    format!("must be between {lo} and {hi}, got {v}"),
                ))
            }
        };
        range("factors", self.factors, 1, 512)?;
        range("iterations", self.iterations, 1, 200)?;
        range("cgSteps", self.cg_steps, 1, 64)?;
        for (name, v) in [
            ("regularization", self.regularization),
            ("alpha", self.alpha),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::config(
                    format!("als.{name}"),
                    format!("must be a finite number ≥ 0, got {v}"),
                ));
            }
        }
        Ok(())
    }
}

/// A fitted ALS model: item factors and what fold-in needs.
#[derive(Debug, Clone)]
pub struct Als {
    /// Items × `d`.
    items: Array2<f32>,
    /// `YᵀY + λI` (`d × d`), kept from the fit for fold-in.
    gram: Array2<f32>,
    /// Confidence slope α.
    alpha: f32,
}

impl Als {
    /// Fits the factors on a users × items matrix.
    ///
    /// The config is trusted: it comes from a [`crate::config::CheckedConfig`].
    pub fn fit(user_items: &Csr, config: &AlsConfig) -> Als {
        debug_assert!(config.validate().is_ok(), "configs are checked at the edge");
        let d = config.factors;
        let mut rng = fastrand::Rng::with_seed(config.seed);
        let mut start = |rows: usize| Array2::from_shape_fn((rows, d), |_| rng.f32() * 0.01);
        let mut users = start(user_items.rows());
        let mut items = start(user_items.cols());
        let by_item = user_items.transpose();
        let solver = Solver {
            lambda: config.regularization,
            alpha: config.alpha,
            steps: config.cg_steps,
        };
        for _ in 0..config.iterations {
            solver.half_step(users.view_mut(), items.view(), user_items);
            solver.half_step(items.view_mut(), users.view(), &by_item);
        }
        Als::from_factors(items, config.regularization, config.alpha)
    }

    /// A model from item factors (a fit, or a model index): `YᵀY + λI` is
    /// computed from them.
    pub fn from_factors(items: Array2<f32>, lambda: f32, alpha: f32) -> Als {
        let gram = regularised_gram(items.view(), lambda);
        Als { items, gram, alpha }
    }

    /// A model from published parts: item factors and `YᵀY + λI` (a model
    /// index carries both, so the browser need not compute the Gram).
    pub fn from_parts(items: Array2<f32>, gram: Array2<f32>, alpha: f32) -> Als {
        Als { items, gram, alpha }
    }

    /// Zeroes the factors of items `keep` rejects (a published index
    /// withholds items with too few shoppers); `YᵀY` is recomputed.
    pub fn withhold(&mut self, keep: impl Fn(u32) -> bool, lambda: f32) {
        for (i, mut row) in self.items.axis_iter_mut(Axis(0)).enumerate() {
            if !keep(i as u32) {
                row.fill(0.0);
            }
        }
        self.gram = regularised_gram(self.items.view(), lambda);
    }

    /// The item factors (items × `d`).
    pub fn item_factors(&self) -> ArrayView2<'_, f32> {
        self.items.view()
    }

    /// `YᵀY + λI`.
    pub fn gram(&self) -> ArrayView2<'_, f32> {
        self.gram.view()
    }

    /// The confidence slope α.
    pub fn alpha(&self) -> f32 {
        self.alpha
    }

    /// The number of factors `d`.
    pub fn factors(&self) -> usize {
        self.items.ncols()
    }

    /// A shopper's factors from their weighted history (see the module
    /// docs), with the Cholesky factor of the system's matrix for
    /// explanations; `None` for an empty history.
    pub fn fold_in(&self, history: &[(u32, f32)]) -> Option<FoldIn> {
        if history.is_empty() {
            return None;
        }
        let d = self.factors();
        let mut a: Vec<f64> = self.gram.iter().map(|&v| v as f64).collect();
        let mut b = vec![0f64; d];
        for &(i, w) in history {
            let y = self.items.row(i as usize);
            let c = 1.0 + (self.alpha * w) as f64;
            for r in 0..d {
                let yr = y[r] as f64;
                b[r] += c * yr;
                let row = &mut a[r * d..r * d + d];
                for (s, v) in row.iter_mut().enumerate() {
                    *v += (c - 1.0) * yr * y[s] as f64;
                }
            }
        }
        let chol = Cholesky::factor(a, d)?;
        chol.solve(&mut b);
        Some(FoldIn {
            factors: b.iter().map(|&v| v as f32).collect(),
            chol,
        })
    }

    /// Adds `y_jᵀ x` for every item `j` into `out`.
    pub fn score_all(&self, x: &[f32], out: &mut [f32]) {
        for (row, o) in self.items.axis_iter(Axis(0)).zip(out.iter_mut()) {
            let row = row.as_slice().expect("factor rows are contiguous");
            *o += dot(row, x);
        }
    }
}

/// A shopper's folded-in factors.
#[derive(Debug, Clone)]
pub struct FoldIn {
    /// `x`, `d` factors.
    pub factors: Vec<f32>,
    chol: Cholesky,
}

impl Scorer for Als {
    fn kind(&self) -> Model {
        Model::Als
    }

    /// `y_jᵀ x` with `x` folded in from the query items; no evidence kept
    /// (explanations solve again: one `d × d` system per explained item).
    fn score(&self, query: &QueryContext, out: &mut [f32]) -> Evidence {
        if let Some(fold) = self.fold_in(query.items) {
            self.score_all(&fold.factors, out);
        }
        Evidence::default()
    }

    /// The (at most 3) history items with the largest contributions
    /// `c_i · y_jᵀ A⁻¹ y_i`.
    fn explain(
        &self,
        query: &QueryContext,
        _: &Evidence,
        item: u32,
        catalogue: &Catalogue,
    ) -> Vec<Reason> {
        let Some(fold) = self.fold_in(query.items) else {
            return Vec::new();
        };
        let mut z: Vec<f64> = self
            .items
            .row(item as usize)
            .iter()
            .map(|&v| v as f64)
            .collect();
        fold.chol.solve(&mut z);
        let contributions = query
            .items
            .iter()
            .map(|&(i, w)| {
                let y = self.items.row(i as usize);
                let dot: f64 = y.iter().zip(&z).map(|(&a, b)| a as f64 * b).sum();
                (i, ((1.0 + (self.alpha * w) as f64) * dot) as f32)
            })
            .filter(|&(_, c)| c > 0.0)
            .collect();
        naming_reasons(top_k(contributions, 3), catalogue, |item, title, weight| {
            Reason::BecauseYouChose {
                item,
                title,
                weight,
            }
        })
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `YᵀY + λI` for factors `Y` (rows × `d`).
fn regularised_gram(y: ArrayView2<f32>, lambda: f32) -> Array2<f32> {
    let mut gram = y.t().dot(&y);
    gram.diag_mut().iter_mut().for_each(|v| *v += lambda);
    gram
}

/// One half-step's solver settings.
struct Solver {
    lambda: f32,
    alpha: f32,
    steps: usize,
}

impl Solver {
    /// Updates every row of `target` (users or items) given the `fixed`
    /// factors, `matrix` holding the target rows' weights over the fixed
    /// ones. Rows are split over the cores.
    fn half_step(&self, mut target: ArrayViewMut2<f32>, fixed: ArrayView2<f32>, matrix: &Csr) {
        let gram = regularised_gram(fixed, self.lambda);
        let rows = target.nrows();
        let threads = crate::parallel::threads();
        let solve = |first: usize, mut chunk: ArrayViewMut2<f32>| {
            let mut scratch = Scratch::new(fixed.ncols());
            for (r, mut x) in chunk.axis_iter_mut(Axis(0)).enumerate() {
                let x = x.as_slice_mut().expect("factor rows are contiguous");
                self.solve_row(x, matrix.row(first + r), &gram, fixed, &mut scratch);
            }
        };
        if threads > 1 && rows >= 256 {
            let chunk = rows.div_ceil(threads);
            std::thread::scope(|scope| {
                for (c, part) in target.axis_chunks_iter_mut(Axis(0), chunk).enumerate() {
                    let solve = &solve;
                    scope.spawn(move || solve(c * chunk, part));
                }
            });
        } else {
            solve(0, target);
        }
    }

    /// A few conjugate-gradient steps on one row's system, from its
    /// current factors `x` (see the module docs).
    fn solve_row(
        &self,
        x: &mut [f32],
        (cols, weights): (&[u32], &[f32]),
        gram: &Array2<f32>,
        fixed: ArrayView2<f32>,
        s: &mut Scratch,
    ) {
        let y = |i: u32| fixed.row(i as usize).to_slice().expect("contiguous");
        // r = Σ c_i y_i − A x, with A x = gram·x + Σ (c_i − 1)(y_i·x) y_i.
        mat_vec(gram, x, &mut s.r);
        s.r.iter_mut().for_each(|v| *v = -*v);
        for (&i, &w) in cols.iter().zip(weights) {
            let (yi, c) = (y(i), 1.0 + self.alpha * w);
            let coef = c - (c - 1.0) * dot(yi, x);
            axpy(coef, yi, &mut s.r);
        }
        s.p.copy_from_slice(&s.r);
        let mut rs_old = dot(&s.r, &s.r);
        for _ in 0..self.steps {
            if rs_old < 1e-20 {
                break;
            }
            mat_vec(gram, &s.p, &mut s.ap);
            for (&i, &w) in cols.iter().zip(weights) {
                let yi = y(i);
                axpy(self.alpha * w * dot(yi, &s.p), yi, &mut s.ap);
            }
            let step = rs_old / dot(&s.p, &s.ap);
            axpy(step, &s.p, x);
            axpy(-step, &s.ap, &mut s.r);
            let rs_new = dot(&s.r, &s.r);
            let beta = rs_new / rs_old;
            for (p, &r) in s.p.iter_mut().zip(&s.r) {
                *p = r + beta * *p;
            }
            rs_old = rs_new;
        }
    }
}

/// A row solve's vectors, reused across rows.
struct Scratch {
    r: Vec<f32>,
    p: Vec<f32>,
    ap: Vec<f32>,
}

impl Scratch {
    fn new(d: usize) -> Scratch {
        Scratch {
            r: vec![0.0; d],
            p: vec![0.0; d],
            ap: vec![0.0; d],
        }
    }
}

/// `a · b` in eight running sums: the compiler keeps them in vector
/// registers (a single `f32` sum must be added in order, so it would not
/// vectorise). The result differs from the sequential sum only by rounding.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut sums = [0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a8.zip(b8) {
        for k in 0..8 {
            sums[k] += x[k] * y[k];
        }
    }
    sums.iter().sum::<f32>() + tail
}

fn axpy(a: f32, x: &[f32], y: &mut [f32]) {
    y.iter_mut().zip(x).for_each(|(y, x)| *y += a * x);
}

/// `out = m·v` for a square row-major `m`.
fn mat_vec(m: &Array2<f32>, v: &[f32], out: &mut [f32]) {
    let data = m.as_slice().expect("a gram matrix is contiguous");
    for (o, row) in out.iter_mut().zip(data.chunks_exact(v.len())) {
        *o = dot(row, v);
    }
}

/// The Cholesky factor `L` of a small symmetric positive-definite matrix
/// (`LLᵀ = A`, row-major, `f64`): fold-in solves one `d × d` system per
/// query, in the browser's query module, where a linear-algebra crate would
/// cost more bytes than these thirty lines.
#[derive(Debug, Clone)]
struct Cholesky {
    l: Vec<f64>,
    d: usize,
}

impl Cholesky {
    /// Factors `a` (row-major `d × d`); `None` when it is not positive definite.
    fn factor(mut a: Vec<f64>, d: usize) -> Option<Cholesky> {
        for j in 0..d {
            let mut diag = a[j * d + j];
            for k in 0..j {
                diag -= a[j * d + k] * a[j * d + k];
            }
            if diag.is_nan() || diag <= 0.0 {
                return None;
            }
            let diag = diag.sqrt();
            a[j * d + j] = diag;
            for i in j + 1..d {
                let mut v = a[i * d + j];
                for k in 0..j {
                    v -= a[i * d + k] * a[j * d + k];
                }
                a[i * d + j] = v / diag;
            }
        }
        Some(Cholesky { l: a, d })
    }

    /// Solves `A z = b` in place (forward, then backward substitution).
    fn solve(&self, b: &mut [f64]) {
        let (l, d) = (&self.l, self.d);
        for i in 0..d {
            let v = (0..i).fold(b[i], |v, k| v - l[i * d + k] * b[k]);
            b[i] = v / l[i * d + i];
        }
        for i in (0..d).rev() {
            let v = (i + 1..d).fold(b[i], |v, k| v - l[k * d + i] * b[k]);
            b[i] = v / l[i * d + i];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_by_hand() {
        // A = [[4, 2], [2, 3]], b = (2, 1): z = A⁻¹b = (3·2 − 2·1, −2·2 + 4·1)/8 = (0.5, 0).
        let c = Cholesky::factor(vec![4.0, 2.0, 2.0, 3.0], 2).unwrap();
        let mut b = vec![2.0, 1.0];
        c.solve(&mut b);
        assert!((b[0] - 0.5).abs() < 1e-12 && b[1].abs() < 1e-12, "{b:?}");
        assert!(Cholesky::factor(vec![1.0, 2.0, 2.0, 1.0], 2).is_none());
    }

    #[test]
    fn fold_in_by_hand() {
        // d = 1, Y = (1, 2), λ = 1, α = 1: YᵀY + λ = 6. History {i0: w 1}:
        // c = 2, A = 6 + (2 − 1)·1 = 7, b = 2·1 = 2, x = 2/7;
        // score(i1) = 2·2/7 = 4/7. Contribution of i0 to i1: c·y1·A⁻¹·y0 = 2·2/7.
        let m = Als::from_factors(
            Array2::from_shape_vec((2, 1), vec![1.0, 2.0]).unwrap(),
            1.0,
            1.0,
        );
        let fold = m.fold_in(&[(0, 1.0)]).unwrap();
        assert!((fold.factors[0] - 2.0 / 7.0).abs() < 1e-6);
        let mut out = vec![0.0; 2];
        m.score_all(&fold.factors, &mut out);
        assert!((out[1] - 4.0 / 7.0).abs() < 1e-6);
    }

    #[test]
    fn cg_reaches_the_exact_solution_and_fits_structure() {
        // Two groups of items bought together: {0, 1, 2} and {3, 4, 5}.
        let mut t = Vec::new();
        for u in 0..40u32 {
            let group = if u % 2 == 0 { 0 } else { 3 };
            for k in 0..3 {
                if (u + k) % 5 != 0 {
                    t.push((u, group + k, 1.0));
                }
            }
        }
        let x = Csr::from_triplets(40, 6, &t);
        let config = AlsConfig {
            factors: 2,
            iterations: 20,
            regularization: 1.0,
            ..AlsConfig::default()
        };
        let m = Als::fit(&x, &config);
        assert_eq!(m.item_factors().dim(), (6, 2));
        // A shopper with item 0 is offered 1 and 2 before 3, 4 and 5.
        let fold = m.fold_in(&[(0, 1.0)]).unwrap();
        let mut out = vec![0.0; 6];
        m.score_all(&fold.factors, &mut out);
        assert!(
            out[1].min(out[2]) > out[3].max(out[4]).max(out[5]),
            "{out:?}"
        );
        // Deterministic: same seed, same factors.
        assert_eq!(m.item_factors(), Als::fit(&x, &config).item_factors());
    }

    #[test]
    fn bad_config() {
        let e = AlsConfig {
            factors: 0,
            ..AlsConfig::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "config als.factors: must be between 1 and 512, got 0"
        );
    }
}
