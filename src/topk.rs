//! Bounded top-k selection with a deterministic tie-break.
//!
//! Order: higher score first; equal scores by ascending item index, so
//! results are the same in every browser and on every run.

use std::cmp::Ordering;

/// A scored item (dense index and score).
pub type Scored = (u32, f32);

/// The ranking order: score descending, then item index ascending.
pub fn rank_order(a: &Scored, b: &Scored) -> Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The `k` best of `candidates` in ranking order. O(n + k log k).
pub fn top_k(mut candidates: Vec<Scored>, k: usize) -> Vec<Scored> {
    if k == 0 {
        return Vec::new();
    }
    if candidates.len() > k {
        candidates.select_nth_unstable_by(k - 1, rank_order);
        candidates.truncate(k);
    }
    candidates.sort_unstable_by(rank_order);
    candidates
}

/// The `k` best items of a dense score array among those `keep` accepts and
/// whose score is finite and above `floor`.
pub fn top_k_dense(
    scores: &[f32],
    k: usize,
    floor: f32,
    keep: impl Fn(u32) -> bool,
) -> Vec<Scored> {
    let candidates = scores
        .iter()
        .enumerate()
        .filter(|&(i, &s)| s.is_finite() && s > floor && keep(i as u32))
        .map(|(i, &s)| (i as u32, s))
        .collect();
    top_k(candidates, k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_break_by_index() {
        let got = top_k(vec![(3, 1.0), (1, 2.0), (0, 1.0), (2, 1.0)], 3);
        assert_eq!(got, [(1, 2.0), (0, 1.0), (2, 1.0)]);
    }

    #[test]
    fn k_zero_and_k_beyond_len() {
        assert!(top_k(vec![(0, 1.0)], 0).is_empty());
        assert_eq!(top_k(vec![(1, 1.0), (0, 3.0)], 10), [(0, 3.0), (1, 1.0)]);
    }

    #[test]
    fn dense_respects_floor_filter_and_nan() {
        let scores = [0.5, f32::NAN, 0.0, 0.9, 0.7];
        assert_eq!(
            top_k_dense(&scores, 5, 0.0, |i| i != 4),
            [(3, 0.9), (0, 0.5)]
        );
    }
}
