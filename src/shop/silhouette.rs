//! The silhouette of a clustering (Rousseeuw, 1987): how much closer each
//! point is to its own cluster than to the next one.
//!
//! For point `i` in cluster `A`, with Euclidean distances `d`:
//! `a(i)` = mean `d(i, j)` over the other points `j` of `A`;
//! `b(i)` = min over the other clusters `B` of the mean `d(i, j)`, `j ∈ B`;
//! `s(i) = (b(i) − a(i)) / max(a(i), b(i))` (0 when both are 0), and
//! `s(i) = 0` when `i` is alone in its cluster. The silhouette is the mean
//! of `s(i)`, in `[−1, 1]`; higher is better separated. It is the measure
//! scikit-learn's `silhouette_score` computes.
//!
//! It costs `n²` distances, so past [`SAMPLE`] points (4 338 customers in
//! the online-retail log; 9.4 M distances) it is computed on a seeded
//! uniform sample of [`SAMPLE`] points, among themselves only, as
//! scikit-learn's `sample_size` does: the estimate's standard error is
//! about `sd(s) / √3000`, under 0.01 for any clustering.

use ndarray::ArrayView2;

/// Points beyond which the silhouette is computed on a sample.
pub const SAMPLE: usize = 3000;

/// The mean silhouette of `labels` (clusters `0..k`) on the rows of
/// `points`, on a sample of [`SAMPLE`] points drawn with `seed` when there
/// are more. `None` with fewer than two clusters (it is undefined).
pub fn silhouette(points: ArrayView2<f64>, labels: &[usize], seed: u64) -> Option<f64> {
    let n = points.nrows();
    let k = labels.iter().max().map_or(0, |m| m + 1);
    if k < 2 || n != labels.len() {
        return None;
    }
    let chosen = sample(n, SAMPLE, seed);
    let rows: Vec<Vec<f64>> = chosen.iter().map(|&i| points.row(i).to_vec()).collect();
    let labels: Vec<usize> = chosen.iter().map(|&i| labels[i]).collect();
    let mut sizes = vec![0usize; k];
    for &l in &labels {
        sizes[l] += 1;
    }
    let mut sums = vec![0.0; k];
    let mut total = 0.0;
    for (i, x) in rows.iter().enumerate() {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for (y, &l) in rows.iter().zip(&labels) {
            sums[l] += super::kmeans::squared(x, y).sqrt();
        }
        let own = labels[i];
        if sizes[own] < 2 {
            continue; // s(i) = 0 for a point alone in its cluster
        }
        let a = sums[own] / (sizes[own] - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own && sizes[c] > 0)
            .map(|c| sums[c] / sizes[c] as f64)
            .fold(f64::INFINITY, f64::min);
        if !b.is_finite() {
            continue; // only one cluster in the sample
        }
        let m = a.max(b);
        if m > 0.0 {
            total += (b - a) / m;
        }
    }
    Some(total / rows.len() as f64)
}

/// `m` of `0..n` drawn uniformly without replacement (a partial
/// Fisher–Yates shuffle), in increasing order; all of them when `n ≤ m`.
fn sample(n: usize, m: usize, seed: u64) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    if n <= m {
        return all;
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    for i in 0..m {
        let j = rng.usize(i..n);
        all.swap(i, j);
    }
    all.truncate(m);
    all.sort_unstable();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    #[test]
    fn silhouette_by_hand_on_four_points() {
        // Points 0, 1 (cluster 0) and 4, 6 (cluster 1) on a line.
        // Point 0: a = 1, b = (4 + 6)/2 = 5, s = 4/5 = 0.8.
        // Point 1: a = 1, b = (3 + 5)/2 = 4, s = 3/4 = 0.75.
        // Point 4: a = 2, b = (4 + 3)/2 = 3.5, s = 1.5/3.5 = 3/7.
        // Point 6: a = 2, b = (6 + 5)/2 = 5.5, s = 3.5/5.5 = 7/11.
        let points = array![[0.0], [1.0], [4.0], [6.0]];
        let s = silhouette(points.view(), &[0, 0, 1, 1], 1).unwrap();
        let expected = (0.8 + 0.75 + 3.0 / 7.0 + 7.0 / 11.0) / 4.0;
        assert!((s - expected).abs() < 1e-12, "{s} vs {expected}");
    }

    #[test]
    fn a_lone_point_counts_zero_and_one_cluster_has_none() {
        // Points 0, 1 in cluster 0 and 10 alone in cluster 1.
        // Point 0: a = 1, b = 10, s = 0.9; point 1: a = 1, b = 9, s = 8/9;
        // point 10: alone, s = 0.
        let points = array![[0.0], [1.0], [10.0]];
        let s = silhouette(points.view(), &[0, 0, 1], 1).unwrap();
        assert!((s - (0.9 + 8.0 / 9.0) / 3.0).abs() < 1e-12);
        assert_eq!(silhouette(points.view(), &[0, 0, 0], 1), None);
    }

    #[test]
    fn large_inputs_are_sampled_reproducibly() {
        let n = SAMPLE + 500;
        let points =
            Array2::from_shape_fn((n, 1), |(i, _)| (i % 2) as f64 * 10.0 + i as f64 * 1e-4);
        let labels: Vec<usize> = (0..n).map(|i| i % 2).collect();
        let a = silhouette(points.view(), &labels, 5).unwrap();
        assert_eq!(Some(a), silhouette(points.view(), &labels, 5));
        assert!(a > 0.9, "{a}");
        let drawn = sample(n, SAMPLE, 5);
        assert_eq!(drawn.len(), SAMPLE);
        assert!(drawn.windows(2).all(|w| w[0] < w[1]));
    }
}
