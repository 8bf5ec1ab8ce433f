//! Selecting the final `k` items from blended scores: top-k among the
//! allowed items, popularity fill, then diversity re-ranking.

use crate::models::item_knn::ItemKnn;
use crate::recommend::diversity::mmr;
use crate::recommend::{CheckedQuery, Recommender};
use crate::topk::{top_k_dense, Scored};

impl Recommender {
    /// The final `k` items: the best positive scores among `allowed`, then
    /// (with `backfill`) popular items up to `k`, then MMR when the query
    /// asks for diversity (over a pool of max(5k, 50) candidates).
    pub(crate) fn select(
        &self,
        scores: &[f32],
        allowed: &[bool],
        query: &CheckedQuery,
        backfill: bool,
    ) -> Vec<Scored> {
        let pool = if query.diversity > 0.0 {
            (query.k * 5).max(50)
        } else {
            query.k
        };
        let mut ranked = top_k_dense(scores, pool, 0.0, |i| allowed[i as usize]);
        if backfill {
            self.fill_from_popularity(&mut ranked, pool, allowed);
        }
        if query.diversity > 0.0 {
            ranked = mmr(&ranked, query.k, 1.0 - query.diversity, |a, b| {
                self.item_similarity(a, b)
            });
        }
        ranked.truncate(query.k);
        ranked
    }

    /// Appends items in popularity order until `ranked` holds `k` items.
    fn fill_from_popularity(&self, ranked: &mut Vec<Scored>, k: usize, allowed: &[bool]) {
        if ranked.len() >= k {
            return;
        }
        let mut present = vec![false; allowed.len()];
        ranked.iter().for_each(|&(i, _)| present[i as usize] = true);
        for &i in self.popularity().order() {
            if ranked.len() >= k {
                break;
            }
            if allowed[i as usize] && !present[i as usize] {
                ranked.push((i, 0.0));
            }
        }
    }

    /// Similarity used by diversity re-ranking: content cosine, or item-kNN
    /// similarity scaled by the item's strongest link when items have no
    /// content features.
    fn item_similarity(&self, a: u32, b: u32) -> f32 {
        if let Some(content) = self.content_vectors().filter(|c| c.feature_count() > 0) {
            return content.similarity(a, b);
        }
        self.model::<ItemKnn>().map_or(0.0, |knn| {
            let top = knn.neighbours(a).1.iter().copied().fold(0.0, f32::max);
            if top > 0.0 {
                knn.similarity(a, b) / top
            } else {
                0.0
            }
        })
    }
}
