//! Bounded top-k selection with a deterministic tie-break.
//!
//! Order: higher score first; equal scores by ascending item index, so
//! results are the same in every browser and on every run.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A scored item (dense index and score).
pub type Scored = (u32, f32);

/// The ranking order: score descending, then item index ascending.
pub fn rank_order(a: &Scored, b: &Scored) -> Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// A candidate ordered by [`rank_order`]: "greater" means ranked lower,
/// so a max-heap keeps the worst of the current best `k` on top.
#[derive(PartialEq)]
struct Ranked(Scored);

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        rank_order(&self.0, &other.0)
    }
}

/// The `k` best of `candidates` in ranking order: a bounded heap, so most
/// candidates cost one comparison with the current `k`-th best.
/// O(n + k log k) typically, O(n log k) at worst.
pub fn top_k_iter(candidates: impl IntoIterator<Item = Scored>, k: usize) -> Vec<Scored> {
    if k == 0 {
        return Vec::new();
    }
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(k + 1);
    for c in candidates {
        if heap.len() < k {
            heap.push(Ranked(c));
        } else if let Some(mut worst) = heap.peek_mut() {
            // Most candidates score below the k-th best: one float
            // comparison (where `<` holds, so does the full order).
            if c.1 < worst.0 .1 {
                continue;
            }
            if rank_order(&c, &worst.0) == Ordering::Less {
                *worst = Ranked(c);
            }
        }
    }
    heap.into_sorted_vec().into_iter().map(|r| r.0).collect()
}

/// The `k` best of `candidates` in ranking order.
pub fn top_k(candidates: Vec<Scored>, k: usize) -> Vec<Scored> {
    top_k_iter(candidates, k)
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
        .map(|(i, &s)| (i as u32, s));
    top_k_iter(candidates, k)
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
    fn heap_selection_matches_a_full_sort() {
        // Many ties and a k in the middle: the result must equal sorting everything.
        let candidates: Vec<Scored> = (0..500u32).map(|i| (i, ((i * 37) % 11) as f32)).collect();
        let mut sorted = candidates.clone();
        sorted.sort_by(rank_order);
        for k in [1, 7, 50, 499, 500, 600] {
            assert_eq!(
                top_k(candidates.clone(), k),
                sorted[..k.min(500)],
                "k = {k}"
            );
        }
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
