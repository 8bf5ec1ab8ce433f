//! Top-K neighbour lists between items, shared by item-kNN and the
//! sequential model: how they are built (a sparse accumulator per item,
//! then the `K` strongest links) and how they score and explain a query.

use crate::sparse::{sort_by_index, Csr};
use crate::topk::{top_k, top_k_iter, Scored};

/// Sums contributions to one item's links without touching the items it
/// has no link to: a dense array plus the list of entries touched, reset
/// after each item. Also counts contributions per entry (the support).
pub struct Accumulator {
    /// `(sum, support)` per item, side by side: one cache line per add
    /// (item-kNN's fit is tens of millions of these scattered adds).
    slots: Vec<(f32, u32)>,
    touched: Vec<u32>,
}

impl Accumulator {
    /// An accumulator over `n` items.
    pub fn new(n: usize) -> Accumulator {
        Accumulator {
            slots: vec![(0.0, 0); n],
            touched: Vec::new(),
        }
    }

    /// Adds `x` to the link to `j`.
    #[inline]
    pub fn add(&mut self, j: u32, x: f32) {
        let slot = &mut self.slots[j as usize];
        if slot.1 == 0 {
            self.touched.push(j);
        }
        slot.0 += x;
        slot.1 += 1;
    }

    /// The `k` strongest links, sorted by item index, and resets. Each
    /// link's value is `finish(j, sum, support)`; links to `skip` and values
    /// ≤ 0 are dropped; ties keep the lower index.
    pub fn take_top_k(
        &mut self,
        k: usize,
        skip: Option<u32>,
        finish: impl Fn(u32, f32, u32) -> f32,
    ) -> Vec<Scored> {
        let candidates = self
            .touched
            .iter()
            .filter(|&&j| Some(j) != skip)
            .map(|&j| {
                let (sum, support) = self.slots[j as usize];
                (j, finish(j, sum, support))
            })
            .filter(|&(_, s)| s > 0.0);
        let mut row = top_k_iter(candidates, k);
        sort_by_index(&mut row);
        for &j in &self.touched {
            self.slots[j as usize] = (0.0, 0);
        }
        self.touched.clear();
        row
    }
}

/// Each item's kept links to other items, with their strengths.
#[derive(Debug, Clone)]
pub struct Neighbours {
    /// Items × items; row `i` holds `i`'s links, by item index.
    links: Csr,
}

impl Neighbours {
    /// Lists from rows in item order, each sorted by item index.
    pub fn from_rows(rows: Vec<Vec<Scored>>) -> Neighbours {
        let n = rows.len();
        Neighbours {
            links: Csr::from_rows(n, rows),
        }
    }

    /// The links of `item` (by item index) and their strengths.
    pub fn of(&self, item: u32) -> (&[u32], &[f32]) {
        self.links.row(item as usize)
    }

    /// The strength of `i`'s link to `j`, or 0 when `j` was not kept.
    pub fn get(&self, i: u32, j: u32) -> f32 {
        self.links.get(i as usize, j)
    }

    /// Adds `Σ_i w_i · s(i, j)` for every item `j` into `out`.
    pub fn score(&self, weights: &[(u32, f32)], out: &mut [f32]) {
        for &(i, w) in weights {
            let (items, strengths) = self.of(i);
            for (&j, &s) in items.iter().zip(strengths) {
                out[j as usize] += w * s;
            }
        }
    }

    /// The query items whose links to `item` contribute most, with their
    /// contributions `w_i · s(i, item)`, strongest first (at most `max`).
    pub fn explain(&self, weights: &[(u32, f32)], item: u32, max: usize) -> Vec<Scored> {
        let contributions = weights
            .iter()
            .map(|&(i, w)| (i, w * self.get(i, item)))
            .filter(|&(_, c)| c > 0.0)
            .collect();
        top_k(contributions, max)
    }

    /// "Often bought with": the (at most 3) query items whose links to
    /// `item` contributed most, named (item-kNN's and EASE's reasons).
    pub fn also_interacted(
        &self,
        query: &crate::models::QueryContext,
        item: u32,
        catalogue: &crate::data::catalogue::Catalogue,
    ) -> Vec<crate::models::Reason> {
        crate::models::naming_reasons(
            self.explain(query.items, item, 3),
            catalogue,
            |item, title, weight| crate::models::Reason::AlsoInteracted {
                item,
                title,
                weight,
            },
        )
    }

    /// Number of items (rows), whether or not they have links.
    pub fn item_count(&self) -> usize {
        self.links.rows()
    }

    /// Total number of kept links.
    pub fn len(&self) -> usize {
        self.links.nnz()
    }

    /// True when no link was kept.
    pub fn is_empty(&self) -> bool {
        self.links.nnz() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accumulates_keeps_the_best_and_resets() {
        let mut acc = Accumulator::new(4);
        acc.add(2, 1.0);
        acc.add(0, 3.0);
        acc.add(2, 1.5);
        acc.add(1, 9.0);
        // Item 1 skipped; values are sum × support: item 0 → 3, item 2 → 5.
        let row = acc.take_top_k(1, Some(1), |_, s, n| s * n as f32);
        assert_eq!(row, [(2, 5.0)]);
        // Reset: nothing left over.
        assert!(acc.take_top_k(4, None, |_, s, _| s).is_empty());
        let lists = Neighbours::from_rows(vec![vec![(1, 0.5), (2, 1.0)], vec![(0, 0.5)], vec![]]);
        let mut out = vec![0.0; 3];
        lists.score(&[(0, 2.0), (1, 1.0)], &mut out);
        assert_eq!(out, [0.5, 1.0, 2.0]);
        assert_eq!(lists.explain(&[(0, 2.0), (1, 1.0)], 0, 5), [(1, 0.5)]);
        assert_eq!(lists.len(), 3);
    }
}
