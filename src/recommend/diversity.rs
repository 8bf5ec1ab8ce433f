//! Diversity re-ranking by Maximal Marginal Relevance (Carbonell and
//! Goldstein, 1998).
//!
//! From a pool of candidates in rank order, pick greedily the item that
//! maximises `λ · rel(i) − (1 − λ) · max_{j ∈ S} sim(i, j)`, where `S` holds
//! the items picked so far and `rel(i) = score(i) / score(best)`. `λ = 1`
//! keeps the original order; smaller λ trades relevance for variety. Ties
//! go to the earlier candidate, so the result is deterministic.

use crate::topk::Scored;

/// Re-ranks `pool` (in rank order) and returns `k` items with their
/// original scores.
pub fn mmr(pool: &[Scored], k: usize, lambda: f32, sim: impl Fn(u32, u32) -> f32) -> Vec<Scored> {
    let top = pool.first().map_or(0.0, |c| c.1);
    let rel = |s: f32| if top > 0.0 { s / top } else { 0.0 };
    let mut picked: Vec<Scored> = Vec::with_capacity(k.min(pool.len()));
    // Highest similarity of each remaining candidate to anything picked.
    let mut max_sim = vec![0f32; pool.len()];
    let mut taken = vec![false; pool.len()];
    while picked.len() < k.min(pool.len()) {
        let mut best: Option<(usize, f32)> = None;
        for (c, &(_, s)) in pool.iter().enumerate() {
            if taken[c] {
                continue;
            }
            let value = lambda * rel(s) - (1.0 - lambda) * max_sim[c];
            if best.is_none_or(|(_, b)| value > b) {
                best = Some((c, value));
            }
        }
        let (c, _) = best.expect("fewer picked than candidates");
        taken[c] = true;
        picked.push(pool[c]);
        for (other, &(item, _)) in pool.iter().enumerate() {
            if !taken[other] {
                max_sim[other] = max_sim[other].max(sim(item, pool[c].0));
            }
        }
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trades_relevance_for_variety_by_hand() {
        // Items 0 and 1 are near-duplicates (sim 0.9); item 2 is different.
        let sim = |a: u32, b: u32| if a + b == 1 { 0.9 } else { 0.0 };
        let pool = [(0, 1.0), (1, 0.9), (2, 0.6)];
        // λ = 1: plain order.
        assert_eq!(mmr(&pool, 3, 1.0, sim), pool);
        // λ = 0.5, after picking 0: item 1 → 0.5·0.9 − 0.5·0.9 = 0;
        // item 2 → 0.5·0.6 − 0 = 0.3: item 2 comes second.
        let got: Vec<u32> = mmr(&pool, 3, 0.5, sim).iter().map(|c| c.0).collect();
        assert_eq!(got, [0, 2, 1]);
    }
}
